import { describe, expect, it } from 'vitest';
import { canonicalTimeZone, fromZonedLocal, timeZoneSchema, toZonedDay, toZonedLocal } from './time-zones.ts';

describe('time zones', () => {
  it('accepts IANA names in their canonical spelling and refuses offsets and unknown names', () => {
    expect(timeZoneSchema.parse('europe/berlin')).toBe('Europe/Berlin');
    expect(timeZoneSchema.parse('UTC')).toBe('UTC');
    for (const bad of ['+01:00', '-0500', 'Mars/Olympus_Mons', '', 'Europe/Berlin\u0000', 'Europe/../etc'])
      expect(timeZoneSchema.safeParse(bad).success, bad).toBe(false);
    expect(canonicalTimeZone('America/New_York')).toBe('America/New_York');
  });

  it('reads a scheduled wall-clock time in the display zone, not the browser’s', () => {
    expect(fromZonedLocal('2026-12-01T09:00', 'Europe/Berlin').toISOString()).toBe(
      '2026-12-01T08:00:00.000Z',
    );
    expect(fromZonedLocal('2026-12-01T09:00', 'America/New_York').toISOString()).toBe(
      '2026-12-01T14:00:00.000Z',
    );
    expect(fromZonedLocal('2026-07-01T09:00', 'Europe/Berlin').toISOString()).toBe(
      '2026-07-01T07:00:00.000Z',
    );
    expect(toZonedLocal(new Date('2026-11-29T23:34:00Z'), 'Europe/Berlin')).toBe('2026-11-30T00:34');
    expect(toZonedDay(new Date('2026-11-29T23:34:00Z'), 'America/New_York')).toBe('2026-11-29');
  });

  it('resolves daylight-saving changes: a skipped time moves forward, a repeated one takes the first', () => {
    // Berlin skips 02:00–03:00 on 29 March 2026 and repeats 02:00–03:00 on 25 October 2026.
    expect(fromZonedLocal('2026-03-29T02:30', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(fromZonedLocal('2026-03-29T03:30', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(fromZonedLocal('2026-03-29T01:30', 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T00:30:00.000Z',
    );
    expect(fromZonedLocal('2026-10-25T02:30', 'Europe/Berlin').toISOString()).toBe(
      '2026-10-25T00:30:00.000Z',
    );
    expect(fromZonedLocal('2026-10-25T05:00', 'Europe/Berlin').toISOString()).toBe(
      '2026-10-25T04:00:00.000Z',
    );
    for (const local of ['2026-01-15T00:00', '2026-06-15T23:59', '2026-10-25T01:59', '2026-10-25T03:00'])
      expect(toZonedLocal(fromZonedLocal(local, 'Europe/Berlin'), 'Europe/Berlin')).toBe(local);
  });
});
