import { describe, expect, it } from 'vitest';
import { preparingProgress } from './preparing.ts';

describe('preparingProgress', () => {
  it('counts the frozen items against the confirmed count', () => {
    expect(preparingProgress({ prepared: 12_345, total: 1_000_000 })).toEqual({
      prepared: 12_345,
      of: 1_000_000,
      percent: 1,
    });
    expect(preparingProgress({ prepared: 0, total: 240 })).toEqual({ prepared: 0, of: 240, percent: 0 });
  });

  it('shows 100 % only once everything is frozen', () => {
    expect(preparingProgress({ prepared: 999_999, total: 1_000_000 }).percent).toBe(99);
    expect(preparingProgress({ prepared: 1_000_000, total: 1_000_000 }).percent).toBe(100);
  });

  it('never shows more frozen than the whole when the selection grew since it was confirmed', () => {
    expect(preparingProgress({ prepared: 1_000_200, total: 1_000_000 })).toEqual({
      prepared: 1_000_200,
      of: 1_000_200,
      percent: 100,
    });
  });

  it('handles an empty confirmed count without dividing by zero', () => {
    expect(preparingProgress({ prepared: 0, total: 0 })).toEqual({ prepared: 0, of: 0, percent: 0 });
  });
});
