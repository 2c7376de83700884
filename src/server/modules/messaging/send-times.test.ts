// Due times of drip batches and SMS quiet hours, in the account's time zone (pure functions).
import { describe, expect, it } from 'vitest';
import { batchOf, dripSchedule, nextAllowed, sendTimes } from './send-times.ts';

const TZ = 'Europe/Berlin';
const at = (iso: string) => new Date(iso);

describe('send times', () => {
  it('moves an SMS out of quiet hours to 08:00 account time, and leaves day times alone', () => {
    const rules = { timeZone: TZ, quietHours: true };
    // 22:30 Berlin (winter, UTC+1) → 08:00 next morning.
    expect(nextAllowed(at('2026-11-30T21:30:00Z'), rules).toISOString()).toBe('2026-12-01T07:00:00.000Z');
    // 06:00 Berlin → 08:00 the same day.
    expect(nextAllowed(at('2026-11-30T05:00:00Z'), rules).toISOString()).toBe('2026-11-30T07:00:00.000Z');
    // 12:00 Berlin stays.
    expect(nextAllowed(at('2026-11-30T11:00:00Z'), rules).toISOString()).toBe('2026-11-30T11:00:00.000Z');
    // Without quiet hours, night is allowed.
    expect(nextAllowed(at('2026-11-30T21:30:00Z'), { timeZone: TZ, quietHours: false }).toISOString()).toBe(
      '2026-11-30T21:30:00.000Z',
    );
  });

  it('keeps drip batches on allowed weekdays and inside the window', () => {
    // Monday 2026-11-30; weekdays Mon–Fri, window 09:00–17:00 Berlin.
    const rules = {
      timeZone: TZ,
      quietHours: false,
      weekdays: [1, 2, 3, 4, 5],
      window: { from: '09:00', to: '17:00' },
    };
    // Saturday 10:00 → Monday 09:00.
    expect(nextAllowed(at('2026-12-05T09:00:00Z'), rules).toISOString()).toBe('2026-12-07T08:00:00.000Z');
    // Friday 18:00 → Monday 09:00.
    expect(nextAllowed(at('2026-12-04T17:00:00Z'), rules).toISOString()).toBe('2026-12-07T08:00:00.000Z');
    // Monday 07:00 → Monday 09:00.
    expect(nextAllowed(at('2026-11-30T06:00:00Z'), rules).toISOString()).toBe('2026-11-30T08:00:00.000Z');
  });

  it('spaces batches by the interval, moving those outside the window to its next opening', () => {
    const drip = { batchSize: 100, intervalMinutes: 120, window: { from: '09:00', to: '17:00' } };
    const schedule = dripSchedule(drip, at('2026-11-30T12:00:00Z'), {
      timeZone: TZ,
      quietHours: false,
      ...drip,
    });
    // 13:00, 15:00 Berlin; 17:00 is outside → next day 09:00, then 11:00.
    expect([0, 1, 2, 3].map((b) => schedule(b).toISOString())).toEqual([
      '2026-11-30T12:00:00.000Z',
      '2026-11-30T14:00:00.000Z',
      '2026-12-01T08:00:00.000Z',
      '2026-12-01T10:00:00.000Z',
    ]);
    expect([1, 100, 101, 250].map((s) => batchOf(s, 100))).toEqual([0, 0, 1, 2]);
    const due = sendTimes(
      { drip, quietHours: false, timeZone: TZ },
      at('2026-11-30T12:00:00Z'),
      at('2026-11-30T12:00:00Z'),
    );
    expect(due(150)?.toISOString()).toBe('2026-11-30T14:00:00.000Z');
  });

  it('is due at once without drip and outside quiet hours', () => {
    const now = at('2026-11-30T11:00:00Z');
    expect(sendTimes({ quietHours: true, timeZone: TZ }, now, now)(1)).toBeNull();
    expect(
      sendTimes({ quietHours: true, timeZone: TZ }, now, at('2026-11-30T22:00:00Z'))(1)?.toISOString(),
    ).toBe('2026-12-01T07:00:00.000Z');
  });
});
