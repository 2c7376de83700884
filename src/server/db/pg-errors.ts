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
