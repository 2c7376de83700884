import { describe, expect, it } from 'vitest';
import { nextRunAfter } from './source-schedule.ts';

describe('nextRunAfter', () => {
  const tz = 'Europe/Berlin';
  it('runs daily at the local time, across the daylight-saving change', () => {
    // 2026-03-28 07:00 Berlin (UTC+1) has passed: the next 06:00 is on the 29th, in summer time.
    expect(
      nextRunAfter({ kind: 'daily', time: '06:00' }, new Date('2026-03-28T06:00:00Z'), tz)?.toISOString(),
    ).toBe('2026-03-29T04:00:00.000Z');
    expect(
      nextRunAfter({ kind: 'daily', time: '06:00' }, new Date('2026-03-28T04:59:00Z'), tz)?.toISOString(),
    ).toBe('2026-03-28T05:00:00.000Z');
  });
  it('runs weekly on the ISO weekday', () => {
    // 2026-11-30 is a Monday; Friday 18:30 Berlin = 17:30 UTC.
    expect(
      nextRunAfter(
        { kind: 'weekly', weekday: 5, time: '18:30' },
        new Date('2026-11-30T10:00:00Z'),
        tz,
      )?.toISOString(),
    ).toBe('2026-12-04T17:30:00.000Z');
    expect(
      nextRunAfter(
        { kind: 'weekly', weekday: 1, time: '09:00' },
        new Date('2026-11-30T09:00:00Z'),
        tz,
      )?.toISOString(),
    ).toBe('2026-12-07T08:00:00.000Z');
  });
  it('runs every N minutes, and never when manual', () => {
    expect(
      nextRunAfter({ kind: 'interval', minutes: 15 }, new Date('2026-11-30T10:00:00Z'), tz)?.toISOString(),
    ).toBe('2026-11-30T10:15:00.000Z');
    expect(nextRunAfter({ kind: 'manual' }, new Date(), tz)).toBeNull();
  });
});
