import { describe, expect, it } from 'vitest';
import { ROLES } from '../../shared/rights.ts';
import { canOpenSection } from './sections.ts';

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
