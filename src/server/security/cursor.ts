import { z } from 'zod';
import { AppError } from '../errors.ts';
import { isCalendarDate, isSafeText, MAX_ID } from '../../shared/primitives.ts';

/**
 * Keyset cursors: a JSON array in base64url, opaque to clients. Clients can still alter one, so
 * `decodeCursor` checks the decoded shape against a schema of exactly what the service issues (ids
 * in range, timestamps PostgreSQL can read, sort keys without NUL); anything else is a 400
 * VALIDATION_FAILED on `query.cursor`, never a SQL error. A valid but altered cursor only moves the
 * page position within the caller's own account.
 */
export function encodeCursor(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** Decodes a cursor made by `encodeCursor`, or throws a 400 when it is not one this shape allows. */
export function decodeCursor<T>(cursor: string, shape: z.ZodType<T>): T {
  let json: unknown;
  try {
    const bytes = Buffer.from(cursor, 'base64url');
    // Node's decoder skips what it cannot read (a stray trailing character, padding in the middle):
    // only the canonical text of the bytes is a cursor this API issued, so an altered one never
    // reads as the original.
    json = bytes.toString('base64url') === cursor ? JSON.parse(bytes.toString('utf8')) : undefined;
  } catch {
    json = undefined;
  }
  const parsed = shape.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new AppError('VALIDATION_FAILED', 'Invalid cursor', {
    fields: [{ field: 'query.cursor', message: 'not a cursor this API issued' }],
  });
}

/**
 * One keyset page from `found` (fetched with `limit + 1` rows: the extra row only says there is a
 * next page): the first `limit` rows as items, and the cursor after the last one, or null.
 */
export function keysetPage<R, T>(
  found: readonly R[],
  limit: number,
  toItem: (row: R) => T,
  positionOf: (row: R) => readonly unknown[],
): { items: T[]; nextCursor: string | null } {
  const page = found.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(toItem),
    nextCursor: found.length > limit && last !== undefined ? encodeCursor(positionOf(last)) : null,
  };
}

/** The id part of a cursor: a non-negative integer within the id range. */
export const cursorId = z.number().int().min(0).max(MAX_ID);

/** A sort key as text: bounded and storable (no NUL, no lone surrogate). */
export const cursorText = z.string().max(400).refine(isSafeText);

/**
 * A timestamp as PostgreSQL prints `timestamptz::text` ("2026-11-30 08:15:00.123+01") or as an ISO
 * string ("2026-11-30T07:15:00.123Z"), on an existing day within the accepted date range.
 */
export const cursorTimestamp = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}[ T]([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-](0\d|1[0-5])(:[0-5]\d){0,2})$/,
  )
  .refine((v) => isCalendarDate(v.slice(0, 10)));
