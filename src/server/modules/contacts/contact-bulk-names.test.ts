import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BULK_TYPES, CONTROLS_BY_TYPE, DERIVING_CONTROLS } from '../../../shared/bulk-actions.ts';
import { actionName, derivedName, type NameDetail } from './contact-bulk-names.ts';

// What a name may be made from: present, missing in every way, or blank.
const part = fc.oneof(
  fc.constant(undefined),
  fc.constant(null),
  fc.constant(''),
  fc.constant('   '),
  // Real names (the checks below look for empty quotes and doubled spaces, which such names never have).
  fc
    .stringMatching(/^[A-Za-z0-9äöüß]{1,8}( [A-Za-z0-9äöüß]{1,8}){0,2}$/)
    .filter((s) => !/undefined|null/i.test(s)),
);
const detail: fc.Arbitrary<NameDetail> = fc.record({ tagName: part, sourceName: part }, { requiredKeys: [] });
const anyCount = fc.oneof(fc.constantFrom(0, 1, 2, 1000, 12_480), fc.nat({ max: 10_000_000 }));
const lang = fc.constantFrom('en' as const, 'de' as const);

/** Every way an action gets a generated name: started from a selection, or derived from one of any type. */
const nameOf = fc.oneof(
  fc
    .tuple(fc.constantFrom(...BULK_TYPES), anyCount, lang, detail)
    .map(([type, n, l, d]) => ({ how: `${type}`, name: actionName(type, n, l, d) })),
  fc
    .tuple(
      fc.constantFrom(...BULK_TYPES.flatMap((t) => DERIVING_CONTROLS.map((c) => [c, t] as const))),
      anyCount,
      lang,
      detail,
    )
    .map(([[control, type], n, l, d]) => ({
      how: `${control} of ${type}`,
      name: derivedName(control, type, n, l, d),
    })),
);

describe('generated names', () => {
  it('never show undefined, null, empty quotes or empty brackets, whatever is missing', () => {
    fc.assert(
      fc.property(nameOf, ({ how, name }) => {
        expect(name, how).not.toMatch(/undefined|null/i);
        expect(name, how).not.toMatch(/''|„“|\(\s*\)|\s{2}|\s$|^\s/);
      }),
      { numRuns: 2000 },
    );
  });

  it('covers every derivation a type offers', () => {
    for (const type of BULK_TYPES) {
      for (const control of DERIVING_CONTROLS.filter((c) => CONTROLS_BY_TYPE[type].includes(c))) {
        for (const l of ['en', 'de'] as const) {
          expect(derivedName(control, type, 1, l, {})).not.toMatch(/undefined|null/);
        }
      }
    }
  });

  it('names a retried restore after its delete job, and leaves out what it does not know', () => {
    const source = { sourceName: 'Delete 2 contacts' };
    expect(derivedName('retry_failed', 'restore_contacts', 1, 'en', source)).toBe(
      "Retry: Restore 1 contact ('Delete 2 contacts')",
    );
    expect(derivedName('retry_failed', 'restore_contacts', 1, 'en', {})).toBe('Retry: Restore 1 contact');
    expect(derivedName('restore', 'delete_contacts', 3, 'de', { sourceName: '3 Kontakte löschen' })).toBe(
      '3 Kontakte wiederherstellen („3 Kontakte löschen“)',
    );
    expect(derivedName('undo', 'add_tag', 12_480, 'en', { tagName: 'VIP' })).toBe(
      "Undo: Remove tag 'VIP' from 12,480 contacts",
    );
    expect(derivedName('undo', 'remove_tag', 1, 'de', { tagName: 'VIP' })).toBe(
      'Rückgängig: Tag „VIP“ zu 1 Kontakt hinzufügen',
    );
    expect(actionName('add_tag', 2, 'en', { tagName: undefined })).toBe('Add tag to 2 contacts');
    expect(actionName('add_tag', 2, 'de', { tagName: null })).toBe('Tag zu 2 Kontakten hinzufügen');
  });
});
