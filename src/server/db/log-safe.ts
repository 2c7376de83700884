import { DrizzleQueryError } from 'drizzle-orm';

/** What a logged error looks like: a plain object, safe to write out. */
export interface LoggableError {
  type: string;
  message: string;
  stack?: string;
  [key: string]: unknown;
}

// Fields of a PostgreSQL error (pg and PGlite alike) that name things, never values.
const PG_NAME_FIELDS = ['code', 'severity', 'schema', 'table', 'column', 'constraint', 'dataType', 'routine'];

/**
 * An error as it may be logged, without personal data or secrets: a failed Drizzle query keeps its
 * SQL text (placeholders only) but loses its parameter values, which Drizzle also puts in the
 * message and stack; a PostgreSQL error loses `detail` and `where` ("Key (email)=(…)", "Failing row
 * contains (…)", parameter dumps) and the quoted value some messages end with ('invalid input
 * syntax for type integer: "…"'). Causes are followed the same way.
 */
export function loggableError(err: unknown, depth = 0): LoggableError {
  if (!(err instanceof Error)) return { type: typeof err, message: '[not an Error]' };
  const type = err.constructor.name || err.name;
  let message: string;
  const out: Record<string, unknown> = {};
  if (err instanceof DrizzleQueryError) {
    message = `Failed query: ${err.query}`;
    out.query = err.query;
    out.paramCount = err.params.length;
  } else if (isPgError(err)) {
    message = redactPgMessage(err.message);
    for (const field of PG_NAME_FIELDS) {
      const value = (err as unknown as Record<string, unknown>)[field];
      if (typeof value === 'string') out[field] = value;
    }
  } else {
    message = err.message;
  }
  const result: LoggableError = { type, message, ...out };
  if (err.stack) result.stack = `${type}: ${message}${framesOf(err.stack)}`;
  if (err.cause !== undefined && depth < 5) result.cause = loggableError(err.cause, depth + 1);
  return result;
}

/** PostgreSQL errors carry a five-character SQLSTATE code (pg's DatabaseError, PGlite's error). */
function isPgError(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) && 'severity' in err;
}

/** Drops the value PostgreSQL quotes at the end of some messages; names are quoted elsewhere. */
function redactPgMessage(message: string): string {
  return message.replace(/: ".*"$/s, ': "[redacted]"');
}

/** The "    at …" lines of a stack, without its first lines (which repeat the message). */
function framesOf(stack: string): string {
  const at = stack.search(/\n\s+at /);
  return at === -1 ? '' : stack.slice(at);
}
