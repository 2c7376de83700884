import { describe, expect, it } from 'vitest';
import { ROLES, type Right } from '../../shared/rights.ts';
import { canOpenSection, hasVisibleDescendant, offersSection } from './sections.ts';

describe('who may open the Imports page', () => {
  it('is whoever may import contacts or manage the sources and key', () => {
    expect(canOpenSection('imports', ROLES.marketer)).toBe(true); // uploads
    expect(canOpenSection('imports', ['settings.manage'])).toBe(true); // sources and key only
    expect(canOpenSection('imports', ROLES.owner)).toBe(true);
    expect(canOpenSection('imports', ROLES.analyst)).toBe(false);
    expect(canOpenSection('imports', ROLES.viewer)).toBe(false);
    expect(canOpenSection('imports', ROLES.observer)).toBe(false);
  });
});

describe('who may open Distribution and Substitutes', () => {
  it('is whoever holds distribution.manage (an owner), not an admin or marketer', () => {
    for (const section of ['distribution', 'substitutes'] as const) {
      expect(canOpenSection(section, ROLES.owner)).toBe(true);
      expect(canOpenSection(section, ['distribution.manage'])).toBe(true);
      expect(canOpenSection(section, ROLES.admin)).toBe(false);
      expect(canOpenSection(section, ROLES.marketer)).toBe(false);
      expect(canOpenSection(section, ROLES.observer)).toBe(false);
    }
  });
});

describe('where the navigation offers Distribution and Substitutes', () => {
  const account = (id: string, parentId: string | null, rights: readonly Right[] = ROLES.owner) => ({
    id,
    parentId,
    rights,
  });
  const agency = account('1', null);
  const bakery = account('2', '1');
  const velo = account('3', '1');
  const lone = account('9', null);

  it('is an account with a sub-account the user sees, and the right there', () => {
    const accounts = [agency, bakery, velo, lone];
    for (const section of ['distribution', 'substitutes'] as const) {
      expect(offersSection(section, agency, accounts)).toBe(true);
      // Sub-accounts without sub-accounts of their own, and an agency without any: nothing to distribute into.
      expect(offersSection(section, bakery, accounts)).toBe(false);
      expect(offersSection(section, lone, accounts)).toBe(false);
      // The agency when the user sees none of its sub-accounts.
      expect(offersSection(section, agency, [agency, lone])).toBe(false);
      // The right still counts.
      expect(offersSection(section, account('1', null, ROLES.admin), accounts)).toBe(false);
    }
  });

  it('leaves the other sections to the rights alone', () => {
    expect(offersSection('contacts', bakery, [bakery])).toBe(true);
    expect(offersSection('settings', lone, [lone])).toBe(true);
    expect(offersSection('contacts', account('2', '1', ROLES.observer), [bakery])).toBe(false);
  });

  it('finds descendants through visible parents, not through hidden ones or cycles', () => {
    const grandchild = account('4', '2');
    expect(hasVisibleDescendant('1', [agency, bakery, grandchild])).toBe(true);
    expect(hasVisibleDescendant('2', [agency, bakery, grandchild])).toBe(true);
    expect(hasVisibleDescendant('4', [agency, bakery, grandchild])).toBe(false);
    // The middle account unseen: the chain ends there.
    expect(hasVisibleDescendant('1', [agency, grandchild])).toBe(false);
    // Malformed data does not hang the navbar.
    expect(hasVisibleDescendant('5', [account('6', '7'), account('7', '6')])).toBe(false);
  });
});
