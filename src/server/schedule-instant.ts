// The instant of a schedule time sent by a client, checked at the boundary: every schedule in
// Herald (bulk actions, mailings) goes through here, so an instant the database cannot store is a
// 400 naming the field, never a 500 from deep inside a write.
import { AppError } from './errors.ts';
import { scheduleInstant } from '../shared/time-zones.ts';

/** The last instant a schedule may name (timestamptz holds more; Herald's dates end here). */
export const LATEST_INSTANT = Date.UTC(9999, 11, 31, 23, 59, 59);
/** The first instant a schedule may name (1900-01-01, Herald's first date, anywhere on earth). */
export const EARLIEST_INSTANT = Date.UTC(1899, 11, 31, 10, 0, 0);

/** 400 VALIDATION_FAILED on `field` with `message`. */
export function scheduleInvalid(message: string, field = 'scheduledFor'): AppError {
  return new AppError('VALIDATION_FAILED', `Invalid schedule: ${message}`, { fields: [{ field, message }] });
}

/**
 * The instant of `value` (an ISO date-time with offset, or wall-clock time in `timeZone`), or
 * 400 VALIDATION_FAILED (field `scheduledFor`) when it is unrepresentable or after
 * 9999-12-31T23:59:59Z (e.g. `9999-12-31T23:59:59-05:00`).
 */
export function checkedScheduleInstant(value: string, timeZone: string): Date {
  let at: Date;
  try {
    at = scheduleInstant(value, timeZone);
  } catch {
    throw scheduleInvalid('not a representable date-time');
  }
  const ms = at.getTime();
  if (Number.isNaN(ms)) throw scheduleInvalid('not a representable date-time');
  if (ms > LATEST_INSTANT) throw scheduleInvalid('must not be after 9999-12-31T23:59:59Z');
  if (ms < EARLIEST_INSTANT) throw scheduleInvalid('must not be before 1900-01-01');
  return at;
}
