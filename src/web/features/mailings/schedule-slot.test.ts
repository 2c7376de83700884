import { describe, expect, it } from 'vitest';
import { fromZonedLocal } from '../../../shared/time-zones.ts';
import { suggestedSlot } from './schedule-slot.ts';

const now = new Date('2026-11-30T14:26:00Z');

describe('suggested schedule slot', () => {
  it('keeps a slot that is still ahead, in the zone', () => {
    expect(suggestedSlot('2026-12-01T08:00:00Z', 'Europe/Berlin', now)).toBe('2026-12-01T09:00');
  });

  it('suggests the first full hour at least an hour away when there is none or it passed', () => {
    for (const current of [null, '2026-11-30T10:00:00Z']) {
      const slot = suggestedSlot(current, 'Europe/Berlin', now);
      // 14:26 UTC is 15:26 in Berlin; an hour later 16:26 → 17:00.
      expect(slot).toBe('2026-11-30T17:00');
      expect(fromZonedLocal(slot, 'Europe/Berlin').getTime() - now.getTime()).toBeGreaterThanOrEqual(
        3_600_000,
      );
    }
  });

  it('takes the hour itself when an hour from now is a full hour', () => {
    expect(suggestedSlot(null, 'UTC', new Date('2026-11-30T14:00:00Z'))).toBe('2026-11-30T15:00');
  });

  it('rounds in the zone’s own hours (half-hour offsets too)', () => {
    // 14:26 UTC + 1 h = 20:56 in Kolkata (+05:30) → 21:00 there.
    expect(suggestedSlot(null, 'Asia/Kolkata', now)).toBe('2026-11-30T21:00');
  });
});
