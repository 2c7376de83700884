import { describe, expect, it } from 'vitest';
import { columnTargetSchema } from '../../../../shared/import-files.ts';
import { suggestTarget, suggestTargets } from './header-suggestions.ts';

const custom = [
  { key: 'customer_no', label: 'Kundennummer' },
  { key: 'birthday', label: 'Date of birth' },
];
const kind = (name: string): string => {
  const t = suggestTarget(name, custom);
  return t.kind === 'custom' ? `custom:${t.key}` : t.kind;
};

describe('suggestTarget', () => {
  it.each([
    ['email', ['E-Mail', 'Email', 'E-Mail-Adresse', 'Mail', 'email_address', 'EMAIL ADDRESS', ' e-mail ']],
    [
      'phone',
      ['Telefon', 'Mobil', 'Handy', 'Mobilnummer', 'Phone', 'Mobile', 'Telefonnummer', 'Mobile phone'],
    ],
    ['first_name', ['Vorname', 'First name', 'firstname', 'Given name', 'FIRST_NAME']],
    ['last_name', ['Nachname', 'Familienname', 'Last name', 'Surname', 'last-name']],
    ['tags', ['Tags', 'Schlagworte', 'Stichworte', 'Schlagwörter']],
    ['email_consent', ['Einwilligung E-Mail', 'Newsletter', 'email consent', 'E-Mail-Einwilligung']],
    ['sms_consent', ['SMS-Einwilligung', 'sms consent', 'Einwilligung SMS']],
  ])('%s from English and German names', (target, names) => {
    for (const name of names) expect(kind(name), name).toBe(target);
  });

  it('custom fields by key or label; anything else is skipped', () => {
    expect(kind('customer_no')).toBe('custom:customer_no');
    expect(kind('Kunden-Nummer')).toBe('custom:customer_no');
    expect(kind('date of birth')).toBe('custom:birthday');
    expect(kind('Firma')).toBe('skip');
    expect(kind('')).toBe('skip');
    expect(kind('Name')).toBe('skip'); // ambiguous: first, last or full name
  });

  it('answers targets the shared schema accepts', () => {
    for (const name of ['E-Mail', 'customer_no', 'Firma']) {
      expect(columnTargetSchema.safeParse(suggestTarget(name, custom)).success).toBe(true);
    }
  });
});

describe('suggestTargets', () => {
  it('each target once: the first column wins, later ones are skipped', () => {
    const header = ['E-Mail', 'Telefon', 'Mobil', 'Email', 'Kundennummer', 'customer_no', 'Vorname'];
    expect(suggestTargets(header, custom)).toEqual([
      { kind: 'email' },
      { kind: 'phone' },
      { kind: 'skip' },
      { kind: 'skip' },
      { kind: 'custom', key: 'customer_no' },
      { kind: 'skip' },
      { kind: 'first_name' },
    ]);
  });
});
