import { describe, expect, it } from 'vitest';
import { importSettingsSchema, type ColumnMapping } from '../../../shared/imports.ts';
import {
  buildImportSettings,
  columnsFor,
  initialWizardSettings,
  mappingProblems,
  parseTargetValue,
  policyKeys,
  targetValue,
  wizardFromSaved,
} from './import-settings.ts';

const HEADER = ['E-Mail', 'Vorname', 'Nachname', 'PLZ', 'Tags', 'Newsletter', 'Notiz'];
const SUGGESTIONS: ColumnMapping[] = [
  { header: 'E-Mail', target: { kind: 'email' } },
  { header: 'Vorname', target: { kind: 'first_name' } },
  { header: 'Nachname', target: { kind: 'last_name' } },
  { header: 'Tags', target: { kind: 'tags' } },
  { header: 'Newsletter', target: { kind: 'email_consent' } },
];

describe('the upload wizard settings', () => {
  it('starts from the suggestions, one entry per column in file order, the rest skipped', () => {
    const state = initialWizardSettings(HEADER, SUGGESTIONS);
    expect(state.columns.map((c) => [c.header, targetValue(c.target)])).toEqual([
      ['E-Mail', 'email'],
      ['Vorname', 'first_name'],
      ['Nachname', 'last_name'],
      ['PLZ', 'skip'],
      ['Tags', 'tags'],
      ['Newsletter', 'email_consent'],
      ['Notiz', 'skip'],
    ]);
    expect(state).toMatchObject({
      mode: 'upsert',
      matchBy: 'email',
      blankClears: false,
      applyConsent: false,
    });
  });

  it('builds settings the shared schema accepts, with policies only for mapped fields that differ from overwrite', () => {
    const state = initialWizardSettings(HEADER, SUGGESTIONS);
    state.columns[3] = { header: 'PLZ', target: { kind: 'custom', key: 'plz' } };
    state.policies = {
      first_name: 'fill_empty',
      last_name: 'overwrite',
      'custom.plz': 'never',
      phone: 'never', // not mapped: dropped
      email: 'never', // the match key: dropped
    };
    state.fixedTagIds = ['7'];
    state.listIds = ['3', '4'];
    state.applyConsent = true;
    const settings = buildImportSettings(state);
    expect(importSettingsSchema.parse(settings)).toEqual(settings);
    expect(settings.policies).toEqual({ first_name: 'fill_empty', 'custom.plz': 'never' });
    expect(settings.applyConsent).toBe(true);
    expect(settings.columns).toHaveLength(HEADER.length);
    expect(settings).toMatchObject({ fixedTagIds: ['7'], listIds: ['3', '4'], tagSeparator: ',' });
  });

  it('never applies consent when no consent column is mapped', () => {
    const state = initialWizardSettings(HEADER, SUGGESTIONS);
    state.columns[5] = { header: 'Newsletter', target: { kind: 'skip' } };
    state.applyConsent = true;
    expect(buildImportSettings(state).applyConsent).toBe(false);
  });

  it('names what blocks the import: no column for the match key, a field from two columns', () => {
    const state = initialWizardSettings(HEADER, SUGGESTIONS);
    expect(mappingProblems(state.columns, 'email')).toEqual([]);
    expect(mappingProblems(state.columns, 'phone')).toEqual([{ kind: 'noMatchColumn', field: 'phone' }]);
    const twice = state.columns.map((c) =>
      c.header === 'Notiz' ? { ...c, target: { kind: 'first_name' as const } } : c,
    );
    expect(mappingProblems(twice, 'email')).toEqual([
      { kind: 'duplicateTarget', target: 'first_name', headers: ['Vorname', 'Notiz'] },
    ]);
    // Several tag columns add up: no problem.
    const tags = state.columns.map((c) =>
      c.header === 'Notiz' ? { ...c, target: { kind: 'tags' as const } } : c,
    );
    expect(mappingProblems(tags, 'email')).toEqual([]);
  });

  it('lays a saved mapping over a file with other columns: saved by header, else suggested, else skipped', () => {
    const saved = importSettingsSchema.parse({
      columns: [
        { header: 'E-Mail', target: { kind: 'email' } },
        { header: 'PLZ', target: { kind: 'custom', key: 'plz' } },
        { header: 'Gone', target: { kind: 'phone' } },
      ],
      mode: 'update',
      matchBy: 'email',
      policies: { 'custom.plz': 'fill_empty' },
    });
    const state = wizardFromSaved(saved, HEADER, SUGGESTIONS);
    expect(state.columns.map((c) => targetValue(c.target))).toEqual([
      'email',
      'first_name',
      'last_name',
      'custom:plz',
      'tags',
      'email_consent',
      'skip',
    ]);
    expect(state.mode).toBe('update');
    expect(buildImportSettings(state).policies).toEqual({ 'custom.plz': 'fill_empty' });
  });

  it('round-trips select values and lists each policy key once', () => {
    for (const value of ['email', 'sms_consent', 'custom:plz', 'tags', 'skip'])
      expect(targetValue(parseTargetValue(value))).toBe(value);
    expect(parseTargetValue('nonsense')).toEqual({ kind: 'skip' });
    const columns = columnsFor(
      ['a', 'b', 'c'],
      [
        { header: 'a', target: { kind: 'custom', key: 'x' } },
        { header: 'b', target: { kind: 'tags' } },
        { header: 'c', target: { kind: 'custom', key: 'x' } },
      ],
    );
    expect(policyKeys(columns)).toEqual(['custom.x']);
  });
});
