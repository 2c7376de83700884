import { z } from 'zod';
import { calendarDate, isCalendarDate, isoTimestamp, MAX_DATE, MIN_DATE } from './primitives.ts';

/** The zone of accounts that never chose one (the demo's, and what migration 0009 gave existing accounts). */
export const DEFAULT_TIME_ZONE = 'Europe/Berlin';

// Named zones only: Intl also accepts offsets like "+01:00", which PostgreSQL would read with the
// POSIX sign (the opposite way round).
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/;

/** The IANA name as Intl spells it (canonical case), or null when it is not a named time zone. */
export function canonicalTimeZone(name: string): string | null {
  if (name.length > 64 || !ZONE_NAME.test(name)) return null;
  try {
    return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** An IANA time zone name (`Europe/Berlin`, `UTC`), stored in its canonical spelling. */
export const timeZoneSchema = z
  .string()
  .max(64)
  .transform((name, ctx) => {
    const zone = canonicalTimeZone(name);
    if (zone === null) {
      ctx.addIssue({ code: 'custom', message: 'must be an IANA time zone such as Europe/Berlin' });
      return z.NEVER;
    }
    return zone;
  });

/** The zones a picker offers: what this runtime knows, plus UTC (which Intl does not list). */
export function timeZoneNames(): string[] {
  const names = Intl.supportedValuesOf('timeZone');
  return names.includes('UTC') ? names : ['UTC', ...names];
}

/**
 * A day bound of a list or created-range filter: a calendar day (`2026-11-30`, read as that day in
 * the account's time zone) or an exact instant with offset.
 */
export const dayOrInstantSchema = z.union([calendarDate(), isoTimestamp()]);

/**
 * When a scheduled action starts: an instant with offset (`2026-12-01T08:00:00Z`), or a local
 * date-time without one (`2026-12-01T09:00`), which is wall-clock time in the account's zone.
 */
export const scheduleTimeSchema = z.iso
  .datetime({ offset: true, local: true })
  .refine(
    (t) => isCalendarDate(t.slice(0, 10)) && !Number.isNaN(Date.parse(t.slice(0, 19))),
    `must be a date-time between ${MIN_DATE} and ${MAX_DATE}`,
  );

/** The instant of a schedule time (see `scheduleTimeSchema`). */
export function scheduleInstant(value: string, timeZone: string): Date {
  return /(Z|[+-]\d{2}:?\d{2})$/i.test(value) ? new Date(value) : fromZonedLocal(value, timeZone);
}

/** True for a plain calendar day (as opposed to an instant). */
export const isCalendarDay = (value: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(value);

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function zonedParts(instant: Date, timeZone: string): WallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(instant);
  const part = (type: keyof WallClock) => Number(parts.find((p) => p.type === type)?.value ?? NaN);
  return {
    year: part('year'),
    month: part('month'),
    day: part('day'),
    hour: part('hour'),
    minute: part('minute'),
    second: part('second'),
  };
}

/** How far a zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(instant: Date, timeZone: string): number {
  const p = zonedParts(instant, timeZone);
  const wall = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return wall - Math.floor(instant.getTime() / 1000) * 1000;
}

/** The wall-clock time of an instant in a zone, as `YYYY-MM-DDTHH:mm` (a datetime-local input's value). */
export function toZonedLocal(instant: Date, timeZone: string): string {
  const p = zonedParts(instant, timeZone);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** The calendar day of an instant in a zone, `YYYY-MM-DD`. */
export function toZonedDay(instant: Date, timeZone: string): string {
  return toZonedLocal(instant, timeZone).slice(0, 10);
}

/**
 * The instant at which a zone's wall clock shows `local` (`YYYY-MM-DDTHH:mm[:ss]`). A time that a
 * daylight-saving change skips resolves to the same wall time in the offset before the change
 * (02:30 on a spring-forward night becomes 03:30); a repeated hour takes its first occurrence.
 */
export function fromZonedLocal(local: string, timeZone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/.exec(local);
  if (!m) return new Date(NaN);
  const [y, mo, d, h, mi, s] = m.slice(1).map((part) => Number(part ?? 0));
  const wall = Date.UTC(y ?? NaN, (mo ?? NaN) - 1, d, h, mi, s);
  // The offset a few hours before and after the guess: they differ only around a change.
  const before = offsetAt(new Date(wall - 12 * 3_600_000), timeZone);
  const after = offsetAt(new Date(wall + 12 * 3_600_000), timeZone);
  const first = new Date(wall - before);
  if (before === after || offsetAt(first, timeZone) === before) return first;
  const second = new Date(wall - after);
  return offsetAt(second, timeZone) === after ? second : first;
}
