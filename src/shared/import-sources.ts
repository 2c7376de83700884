// Scheduled remote imports (FTP, FTPS, SFTP) and the account's PGP key pair for their files.
// Secrets (password, private key, passphrase) are write-only: sent in, never returned.
import { z } from 'zod';
import { accountParamsSchema } from './accounts.ts';
import { idString, isoTimestamp, safeString } from './primitives.ts';

const numericId = idString();

export const REMOTE_PROTOCOLS = ['ftp', 'ftps_explicit', 'ftps_implicit', 'sftp'] as const;
export const remoteProtocolSchema = z.enum(REMOTE_PROTOCOLS);
export type RemoteProtocol = z.infer<typeof remoteProtocolSchema>;

/** Every N minutes, or daily / weekly at a local time in the account's time zone. */
export const importScheduleSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('interval'),
      minutes: z
        .number()
        .int()
        .min(5)
        .max(7 * 24 * 60),
    })
    .strict(),
  z.object({ kind: z.literal('daily'), time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/) }).strict(),
  z
    .object({
      kind: z.literal('weekly'),
      /** ISO weekday: 1 = Monday … 7 = Sunday. */
      weekday: z.number().int().min(1).max(7),
      time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    })
    .strict(),
  z.object({ kind: z.literal('manual') }).strict(),
]);
export type ImportSchedule = z.infer<typeof importScheduleSchema>;

export const AFTER_IMPORT = ['delete', 'move', 'leave'] as const;

const sourceFields = {
  name: safeString().trim().min(1).max(200),
  protocol: remoteProtocolSchema,
  host: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.\-:[\]]+$/, 'a host name or IP address'),
  port: z.number().int().min(1).max(65535),
  username: safeString().min(1).max(200),
  /** Remote folder, `/` separated. */
  folder: safeString().max(500).default('/'),
  /** Glob (`*`, `?`) with an optional date placeholder, e.g. `export_{date:YYYYMMDD}*.csv.pgp`. */
  pattern: safeString().min(1).max(200),
  schedule: importScheduleSchema,
  /** The saved mapping every pulled file is imported with. */
  mappingId: numericId,
  /** Decrypt files with the account's PGP key (files that are not PGP messages are then refused). */
  decrypt: z.boolean().default(false),
  afterImport: z.enum(AFTER_IMPORT).default('leave'),
  moveTo: safeString().max(500).nullable().default(null),
  /** Raise `file_missing` when nothing matched by this many minutes after a scheduled run (0: never). */
  missingAfterMinutes: z
    .number()
    .int()
    .min(0)
    .max(7 * 24 * 60)
    .default(0),
  /** FTPS: accept a self-signed server certificate. */
  allowSelfSigned: z.boolean().default(false),
  enabled: z.boolean().default(true),
};

const secretFields = {
  /** Write-only. */
  password: z.string().max(1000).optional(),
  /** Write-only (SFTP), OpenSSH or PEM. */
  privateKey: z.string().max(20_000).optional(),
  /** Write-only: the private key's passphrase. */
  keyPassphrase: z.string().max(1000).optional(),
};

export const createImportSourceBodySchema = z.object({ ...sourceFields, ...secretFields }).strict();
export type CreateImportSourceBody = z.input<typeof createImportSourceBodySchema>;
export const updateImportSourceBodySchema = z
  .object({ ...sourceFields, ...secretFields, resetHostKey: z.boolean().optional() })
  .partial()
  .strict();

export const IMPORT_RUN_STATES = [
  'running',
  'imported',
  'skipped_same_file',
  'nothing_found',
  'failed',
] as const;

/** One run of a source: what it found, what it imported, or why it failed. */
export const importRunSchema = z.object({
  id: z.string(),
  startedAt: isoTimestamp(),
  finishedAt: isoTimestamp().nullable(),
  state: z.enum(IMPORT_RUN_STATES),
  trigger: z.enum(['schedule', 'manual']),
  fileName: z.string().nullable(),
  sha256: z.string().nullable(),
  /** The import bulk action it started. */
  actionId: z.string().nullable(),
  /** `ftp_import.failed` cause when it failed. */
  cause: z.string().nullable(),
  detail: z.string().nullable(),
});
export type ImportRun = z.infer<typeof importRunSchema>;

export const importSourceSchema = z.object({
  id: z.string(),
  name: z.string(),
  protocol: remoteProtocolSchema,
  host: z.string(),
  port: z.number().int(),
  username: z.string(),
  folder: z.string(),
  pattern: z.string(),
  schedule: importScheduleSchema,
  mappingId: z.string(),
  decrypt: z.boolean(),
  afterImport: z.enum(AFTER_IMPORT),
  moveTo: z.string().nullable(),
  missingAfterMinutes: z.number().int(),
  allowSelfSigned: z.boolean(),
  enabled: z.boolean(),
  /** Which secrets are set (their values are never returned). */
  hasPassword: z.boolean(),
  hasPrivateKey: z.boolean(),
  /** SFTP host key pinned on first connect (`SHA256:…`). */
  hostKeyFingerprint: z.string().nullable(),
  nextRunAt: isoTimestamp().nullable(),
  lastRun: importRunSchema.nullable(),
  createdAt: isoTimestamp(),
});
export type ImportSource = z.infer<typeof importSourceSchema>;
export const sourceParamsSchema = accountParamsSchema.extend({ sourceId: numericId });

export const TEST_STEPS = ['resolve', 'connect', 'tls', 'login', 'list', 'match'] as const;
export const connectionTestSchema = z.object({
  ok: z.boolean(),
  steps: z.array(
    z.object({ step: z.enum(TEST_STEPS), ok: z.boolean(), detail: z.string(), ms: z.number().optional() }),
  ),
  hostKeyFingerprint: z.string().nullable(),
  matchingFiles: z.array(z.string()),
});
export type ConnectionTest = z.infer<typeof connectionTestSchema>;

/** The account's PGP key for import files: its public half and fingerprint, to hand to the sender. */
export const pgpKeySchema = z.object({
  fingerprint: z.string(),
  userId: z.string(),
  publicKeyArmored: z.string(),
  createdAt: isoTimestamp(),
});
export type PgpKey = z.infer<typeof pgpKeySchema>;
export const generatePgpKeyBodySchema = z
  .object({
    name: safeString().trim().min(1).max(200),
    email: z.email().max(254),
    passphrase: z.string().min(8).max(1000),
  })
  .strict();
export const uploadPgpKeyBodySchema = z
  .object({ privateKeyArmored: z.string().min(1).max(50_000), passphrase: z.string().max(1000) })
  .strict();
