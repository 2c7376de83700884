/** The unique constraint (index) a failed statement violated, or null. Works for pg and PGlite, wrapped by Drizzle or not. */
export function violatedUniqueConstraint(err: unknown): string | null {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { code, constraint } = e as { code?: string; constraint?: string };
    if (code === '23505') return constraint ?? '';
  }
  return null;
}

/** True for PostgreSQL's deadlock (40P01) and serialization (40001) failures: the transaction may simply be run again. */
export function isRetryableConflict(err: unknown): boolean {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { code } = e as { code?: string };
    if (code === '40P01' || code === '40001') return true;
  }
  return false;
}

/** Runs a transaction again (up to `attempts` times) when PostgreSQL aborted it to break a deadlock. */
export async function retryOnConflict<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      if (attempt >= attempts || !isRetryableConflict(err)) throw err;
    }
  }
}

/**
 * PostgreSQL errors that only a value the client sent can cause (bad text encoding, NUL, an
 * impossible date, a number out of range, a statement too complex). The route schemas refuse such
 * values first; this is the error handler's last line of defence, so one that slips through is a
 * 400 and not a 500. Returns the SQLSTATE, or null.
 */
export function clientValueError(err: unknown): string | null {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { code } = e as { code?: unknown };
    if (typeof code === 'string' && CLIENT_VALUE_CODES.has(code)) return code;
  }
  return null;
}

const CLIENT_VALUE_CODES = new Set([
  '22P05', // untranslatable character (NUL in jsonb, lone surrogate)
  '22021', // character not in repertoire (NUL in text)
  '22007', // invalid datetime format
  '22008', // datetime field overflow (2026-02-31, year 0)
  '22003', // numeric value out of range (ids beyond bigint)
  '22P02', // invalid text representation
  '54001', // statement too complex (stack depth)
]);
