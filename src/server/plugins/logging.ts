import type { FastifyServerOptions } from 'fastify';
import { loggableError } from '../db/log-safe.ts';

/** Where log lines go when not to stdout (tests capture them). */
export interface LogSink {
  write(line: string): void;
}

// Headers that carry secrets, wherever a log call puts them.
const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-csrf-token"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

/**
 * A URL as it may be logged: the path, and of the query string only the parameter names
 * (search terms, emails and tokens travel in query values).
 */
export function loggableUrl(url: string): string {
  const at = url.indexOf('?');
  if (at === -1) return url;
  const names = [...new URLSearchParams(url.slice(at + 1)).keys()];
  return `${url.slice(0, at)}?${names.map((name) => `${encodeURIComponent(name)}=[redacted]`).join('&')}`;
}

/**
 * Fastify's logger options: requests are logged without query values, auth headers or cookies,
 * and errors through `loggableError`, so that a failed query's parameter values (emails, search
 * terms, password hashes) never reach the log.
 */
export function loggerOptions(level: string, sink?: LogSink): FastifyServerOptions['logger'] {
  return {
    level,
    ...(sink ? { stream: sink } : {}),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: {
      req: (req) => ({
        method: req.method,
        url: loggableUrl(req.url ?? ''),
        host: (req as { host?: string }).host,
        remoteAddress: (req as { ip?: string }).ip,
      }),
      err: (err) => {
        const safe = loggableError(err);
        return { ...safe, stack: safe.stack ?? '' };
      },
    },
  };
}
