import { z } from 'zod';

/**
 * Boundary primitives: every string, id, date and cursor a client sends goes through one of these,
 * so no value that PostgreSQL or JavaScript cannot handle (NUL, lone surrogates, 2026-02-31, ids
 * beyond bigint, year 0) ever gets past the route schema. A fault of this class is a 400 here, never
 * a 500 deeper down. The limits are documented in ARCHITECTURE.md ("Input boundary").
 */

// A high surrogate not followed by a low one, or a low one not preceded by a high one
// (String.prototype.isWellFormed, which the web build's target library does not declare).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** True when text can be stored in PostgreSQL text/jsonb: well-formed UTF-16 (no lone surrogate) and no NUL. */
export function isSafeText(text: string): boolean {
  return !text.includes('\u0000') && !LONE_SURROGATE.test(text);
}

/**
 * A string without NUL characters and without lone surrogates (PostgreSQL rejects both).
 * Composable: `safeString().trim().min(1).max(100)`.
 */
export const safeString = () =>
  z.string().refine(isSafeText, 'must not contain NUL characters or unpaired surrogates');

/**
 * Largest id accepted: the ids are PostgreSQL bigint, but services hold them as JavaScript
 * numbers, so the range ends at 2^53 - 1 (well inside bigint).
 */
export const MAX_ID = Number.MAX_SAFE_INTEGER;

/** True for a decimal id within 0..MAX_ID. */
export function isIdText(text: string): boolean {
  return /^\d{1,16}$/.test(text) && Number(text) <= MAX_ID;
}

/** A numeric id as a decimal string (path, query and body), within 0..MAX_ID. */
export const idString = () =>
  z
    .string()
    .regex(/^\d{1,16}$/, 'must be a numeric id')
    .refine(isIdText, 'id out of range');

/** The calendar dates Herald accepts: PostgreSQL and JavaScript both handle every day of this range. */
export const MIN_DATE = '1900-01-01';
export const MAX_DATE = '9999-12-31';

/** True for YYYY-MM-DD naming a day that exists in the Gregorian calendar, within MIN_DATE..MAX_DATE. */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const d = new Date(Date.UTC(year, month - 1, day));
  return (
    d.getUTCFullYear() === year &&
    d.getUTCMonth() === month - 1 &&
    d.getUTCDate() === day &&
    text >= MIN_DATE &&
    text <= MAX_DATE
  );
}

/** A day as YYYY-MM-DD that exists (no 2026-02-31) within 1900-01-01..9999-12-31. */
export const calendarDate = () =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD')
    .refine(isCalendarDate, `must be an existing day between ${MIN_DATE} and ${MAX_DATE}`);

/** True for an ISO date-time whose calendar day (as written) lies in MIN_DATE..MAX_DATE. */
function inDateRange(text: string): boolean {
  return isCalendarDate(text.slice(0, 10)) && !Number.isNaN(Date.parse(text));
}

/** An ISO 8601 date-time with offset (e.g. 2026-11-30T08:00:00+01:00), on an existing day within the date range. */
export const isoTimestamp = () =>
  z.iso
    .datetime({ offset: true })
    .refine(inDateRange, `must be a date-time between ${MIN_DATE} and ${MAX_DATE}`);

/** Largest magnitude of a number a client stores or filters by: exact in JavaScript, in PostgreSQL numeric. */
export const MAX_NUMBER = 1e15;

/** A finite number within ±MAX_NUMBER. */
export const boundedNumber = () => z.number().finite().min(-MAX_NUMBER).max(MAX_NUMBER);

/** Longest cursor text accepted; cursors are base64url and never longer in practice. */
export const MAX_CURSOR_LENGTH = 500;

/**
 * An opaque page cursor as the client sends it back: base64url text. Its decoded content is checked
 * by the service that issued it (see src/server/security/cursor.ts); a tampered one is a 400.
 */
export const cursorString = () =>
  z
    .string()
    .max(MAX_CURSOR_LENGTH)
    .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor from a previous page');

/** A keyset page of `item`s: every list answers `{ items, nextCursor }` (null on the last page). */
export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });
