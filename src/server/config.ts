// The only module that reads process.env. Everything else receives a Config.
import { z } from 'zod';
import path from 'node:path';
import { isIP } from 'node:net';
import { DEFAULT_PREFLIGHT_MINUTES } from '../shared/mailings.ts';

/** A rate in messages per second: a positive number, or "unlimited" (null). */
function rateSetting(defaultRate: number | null = null) {
  return z
    .string()
    .optional()
    .transform((value, ctx) => {
      const text = value?.trim().toLowerCase() ?? '';
      if (text === '') return defaultRate;
      if (text === 'unlimited') return null;
      const n = Number(text);
      if (!Number.isFinite(n) || n <= 0 || n > 1_000_000) {
        ctx.addIssue({ code: 'custom', message: 'a positive number of messages per second, or "unlimited"' });
        return z.NEVER;
      }
      return n;
    });
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  HERALD_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  HERALD_SECRET: z
    .string()
    .min(32, 'must be at least 32 characters')
    .optional()
    .or(z.literal('').transform(() => undefined)),
  HERALD_PUBLIC_URL: z.url().optional(),
  SESSION_IDLE_HOURS: z.coerce
    .number()
    .positive()
    .max(24 * 30)
    .default(12),
  SESSION_MAX_DAYS: z.coerce.number().positive().max(365).default(7),
  LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).max(1000).default(5),
  LOGIN_WINDOW_MINUTES: z.coerce
    .number()
    .positive()
    .max(24 * 60)
    .default(15),
  /** Contacts per bulk-action chunk; default depends on the engine (docs/adr/0003). */
  HERALD_BULK_CHUNK: z.coerce.number().int().min(1).max(50_000).optional(),
  /** Sender of Herald's own emails (system messages). */
  HERALD_MAIL_FROM: z.string().min(3).default('Herald <herald@localhost>'),
  /** Notifications whose last occurrence is older than this are deleted. */
  HERALD_NOTIFICATION_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(365),
  /** Repeats with the same grouping key within this window count up one notification. */
  HERALD_NOTIFICATION_GROUP_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(24 * 60),
  /**
   * Which proxies may tell the client's address (X-Forwarded-For): unset or "false" = none;
   * a hop count ("1"); or a comma list of proxy addresses/CIDRs (or loopback, linklocal, uniquelocal).
   */
  HERALD_TRUST_PROXY: z
    .string()
    .optional()
    .transform((value, ctx) => {
      const parsed = parseTrustProxy(value);
      if (typeof parsed === 'string') {
        ctx.addIssue({ code: 'custom', message: parsed });
        return z.NEVER;
      }
      return parsed;
    }),
  /** Where uploaded and pulled import files are kept (default: the data folder's `uploads`). */
  HERALD_IMPORT_DIR: z.string().min(1).optional(),
  /** Largest import file accepted, in MiB. */
  HERALD_IMPORT_MAX_MB: z.coerce.number().int().min(1).max(100_000).default(2048),
  /** Remote import sources: first wait before retrying an unreachable server (doubles per try; 3 tries). */
  HERALD_IMPORT_RETRY_MS: z.coerce.number().int().min(0).max(600_000).default(2_000),
  /** Bulk email messages per second per SMTP server; unset or "unlimited": no limit. */
  HERALD_EMAIL_RATE: rateSetting(),
  /** SMS per second per provider account and sender; "unlimited": no limit. */
  HERALD_SMS_RATE: rateSetting(10),
  /** Minutes before a scheduled mailing's slot when its audience is counted again (pre-flight warning). */
  HERALD_MAILING_PREFLIGHT_MINUTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(DEFAULT_PREFLIGHT_MINUTES),
  HERALD_SEED_DEMO: z.enum(['auto', 'never']).default('auto'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  NODE_ENV: z.string().default('development'),
});

/** Whom to believe about the client's address: nobody, the last N hops, or these proxies. */
export type TrustProxy = false | number | string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * Parses HERALD_TRUST_PROXY; answers an error message for a value it refuses. "true" (believe any
 * X-Forwarded-For) is refused: it would let every client choose its own address, and so its limits.
 */
function parseTrustProxy(value: string | undefined): TrustProxy | string {
  const text = value?.trim() ?? '';
  if (text === '' || text === 'false') return false;
  if (/^\d+$/.test(text)) return Number(text) === 0 ? false : Math.min(Number(text), 100);
  const entries = text.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => {
    if (PROXY_NAMES.has(entry)) return false;
    const [address = '', prefix, ...rest] = entry.split('/');
    const family = isIP(address);
    if (!family || rest.length) return true;
    return prefix !== undefined && !(/^\d+$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
  });
  return bad.length
    ? `not a hop count or a list of proxy addresses/CIDRs (unknown: ${bad.join(', ')}); "true" is not allowed`
    : entries;
}

export type DatabaseConfig =
  /** dataDir null = in memory (tests), never locked or persisted. */
  { kind: 'pglite'; dataDir: string | null } | { kind: 'postgres'; url: string };

/** Herald's typed configuration, parsed once at start. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  database: DatabaseConfig;
  smtpUrl: string | undefined;
  /** Key material for secrets at rest; undefined in embedded mode means "generate and keep in dataDir". */
  secret: string | undefined;
  publicUrl: string;
  session: { idleMs: number; maxMs: number; secureCookie: boolean };
  login: { maxFailures: number; windowMs: number };
  /** Fastify's trustProxy: false (the socket's address is the client), a hop count, or proxy addresses. */
  trustProxy: TrustProxy;
  seedDemo: boolean;
  mail: { from: string };
  notifications: { retentionDays: number; groupWindowMs: number };
  bulkChunkSize: number | undefined;
  /** Messaging rates per transport in messages per second (null: unlimited). */
  messaging: { emailRate: number | null; smsRate: number | null };
  /** Import files: their folder and the size limit in bytes. */
  imports: { dir: string; maxBytes: number; retryBaseMs: number };
  /** Standard mailings: the pre-flight count is taken this long (ms) before a scheduled slot. */
  mailings: { preflightMs: number };
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment; throws ConfigError listing every invalid variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  if (e.DATABASE_URL && !e.HERALD_SECRET) {
    throw new ConfigError(
      'Invalid configuration:\n  HERALD_SECRET: required when DATABASE_URL is set (several processes must share one key)',
    );
  }
  const dataDir = path.resolve(e.HERALD_DATA_DIR);
  const publicUrl = e.HERALD_PUBLIC_URL ?? `http://localhost:${e.PORT}`;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: e.DATABASE_URL ? { kind: 'postgres', url: e.DATABASE_URL } : { kind: 'pglite', dataDir },
    smtpUrl: e.SMTP_URL,
    secret: e.HERALD_SECRET,
    publicUrl,
    session: {
      idleMs: e.SESSION_IDLE_HOURS * 3_600_000,
      maxMs: e.SESSION_MAX_DAYS * 86_400_000,
      secureCookie: publicUrl.startsWith('https://'),
    },
    login: { maxFailures: e.LOGIN_MAX_FAILURES, windowMs: e.LOGIN_WINDOW_MINUTES * 60_000 },
    trustProxy: e.HERALD_TRUST_PROXY,
    seedDemo: e.HERALD_SEED_DEMO === 'auto',
    mail: { from: e.HERALD_MAIL_FROM },
    notifications: {
      retentionDays: e.HERALD_NOTIFICATION_RETENTION_DAYS,
      groupWindowMs: e.HERALD_NOTIFICATION_GROUP_MINUTES * 60_000,
    },
    bulkChunkSize: e.HERALD_BULK_CHUNK,
    messaging: { emailRate: e.HERALD_EMAIL_RATE, smsRate: e.HERALD_SMS_RATE },
    imports: {
      dir: path.resolve(e.HERALD_IMPORT_DIR ?? path.join(dataDir, 'uploads')),
      maxBytes: e.HERALD_IMPORT_MAX_MB * 1024 * 1024,
      retryBaseMs: e.HERALD_IMPORT_RETRY_MS,
    },
    mailings: { preflightMs: e.HERALD_MAILING_PREFLIGHT_MINUTES * 60_000 },
    logLevel: e.LOG_LEVEL,
  };
}
