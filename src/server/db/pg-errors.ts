/** The unique constraint (index) a failed statement violated, or null. Works for pg and PGlite, wrapped by Drizzle or not. */
export function violatedUniqueConstraint(err: unknown): string | null {
  for (let e: unknown = err; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { code, constraint } = e as { code?: string; constraint?: string };
    if (code === '23505') return constraint ?? '';
  }
  return null;
}
