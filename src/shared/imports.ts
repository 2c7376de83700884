// Contact imports: uploads, their preview, mappings (saved and reused), import settings, the
// import's own figures, and the account's remote sources and PGP key. Shared by server and web.
import { z } from 'zod';
import { accountParamsSchema } from './accounts.ts';
import { idString, isoTimestamp, safeString } from './primitives.ts';
import { columnTargetSchema, importDelimiterSchema, importEncodingSchema } from './import-files.ts';

const numericId = idString();

// How files are read and what a column can fill: defined with the file layer, used here.
export {
  IMPORT_DELIMITERS,
  IMPORT_ENCODINGS,
  importDelimiterSchema,
  importEncodingSchema,
  columnTargetSchema,
  type ColumnTarget,
  type ImportDelimiter,
  type ImportEncoding,
} from './import-files.ts';

/** The standard contact fields a column can fill. */
export const IMPORT_FIELDS = [
  'email',
  'phone',
  'first_name',
  'last_name',
  'email_consent',
  'sms_consent',
] as const;
export const importFieldSchema = z.enum(IMPORT_FIELDS);
export type ImportField = z.infer<typeof importFieldSchema>;

/** One column's mapping, by its header name (so that a saved mapping fits the next file of the same export). */
export const columnMappingSchema = z
  .object({ header: safeString().max(500), target: columnTargetSchema })
  .strict();
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

/** create: new contacts only; update: existing ones only; upsert: both. */
export const IMPORT_MODES = ['create', 'update', 'upsert'] as const;
export const importModeSchema = z.enum(IMPORT_MODES);
export type ImportMode = z.infer<typeof importModeSchema>;

/** How an existing contact's field takes the file's value: always, only when empty, or never. */
export const FIELD_POLICIES = ['overwrite', 'fill_empty', 'never'] as const;
export const fieldPolicySchema = z.enum(FIELD_POLICIES);
export type FieldPolicy = z.infer<typeof fieldPolicySchema>;

/**
 * How rows become contacts: the mapping, the fixed tags and lists, matching and modes. Shared by a
 * one-off import and a saved mapping (which a scheduled source uses for every file it pulls).
 */
export const importSettingsSchema = z
  .object({
    columns: z.array(columnMappingSchema).min(1).max(500),
    /** Tags given to every imported contact (ids of the account's tags). */
    fixedTagIds: z.array(numericId).max(50).default([]),
    /** Subscriber lists every imported contact joins. */
    listIds: z.array(numericId).max(50).default([]),
    /** Separator inside a tags cell (`VIP,Kunde`). */
    tagSeparator: z.enum([',', ';', '|']).default(','),
    matchBy: z.enum(['email', 'phone']).default('email'),
    mode: importModeSchema.default('upsert'),
    /** Per field (standard field name or `custom.<key>`): overwrite (default), fill_empty, never. */
    policies: z.record(z.string().max(60), fieldPolicySchema).default({}),
    /** An empty cell clears the field (with policy overwrite). Off: empty cells never change data. */
    blankClears: z.boolean().default(false),
    /**
     * Apply the file's consent columns to existing contacts. Off (default): an update never changes
     * consent. Even on, an unsubscribed or bounced contact is never set back to subscribed.
     */
    applyConsent: z.boolean().default(false),
  })
  .strict();
export type ImportSettings = z.infer<typeof importSettingsSchema>;
export type ImportSettingsInput = z.input<typeof importSettingsSchema>;

/** How the file is read: detected at upload, overridable. */
export const csvSettingsSchema = z
  .object({ encoding: importEncodingSchema, delimiter: importDelimiterSchema })
  .strict();
export type CsvSettings = z.infer<typeof csvSettingsSchema>;

/** One previewed cell: its text as read, and what is wrong with it under the mapping (null: fine). */
export const previewCellSchema = z.object({ value: z.string(), error: z.string().nullable() });
export const previewRowSchema = z.object({
  row: z.number().int(),
  line: z.number().int(),
  cells: z.array(previewCellSchema),
  /** A problem of the whole row (too many columns, broken quotes). */
  error: z.string().nullable(),
});
export type PreviewRow = z.infer<typeof previewRowSchema>;

/** An uploaded file, its detected settings, header, first rows and suggested mapping. */
export const importUploadSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  size: z.number().int(),
  sha256: z.string(),
  detected: csvSettingsSchema,
  settings: csvSettingsSchema,
  header: z.array(z.string()),
  preview: z.array(previewRowSchema),
  suggestions: z.array(columnMappingSchema),
  createdAt: isoTimestamp(),
});
export type ImportUpload = z.infer<typeof importUploadSchema>;

export const uploadQuerySchema = z
  .object({ encoding: importEncodingSchema.optional(), delimiter: importDelimiterSchema.optional() })
  .strict();
export const uploadParamsSchema = accountParamsSchema.extend({ uploadId: numericId });
/** Preview again with other read settings and/or a mapping (per-cell validation follows the mapping). */
export const previewBodySchema = z
  .object({
    settings: csvSettingsSchema.optional(),
    columns: z.array(columnMappingSchema).max(500).optional(),
  })
  .strict();

/** Starts an import (or its dry run) of an upload; `Idempotency-Key` makes a retried start create one. */
export const startImportBodySchema = z
  .object({
    uploadId: numericId,
    csv: csvSettingsSchema.optional(),
    /** A saved mapping's id, or the settings themselves. */
    mappingId: numericId.optional(),
    settings: importSettingsSchema.optional(),
    dryRun: z.boolean().default(false),
    name: safeString().trim().min(1).max(200).optional(),
  })
  .strict()
  .refine((b) => (b.mappingId === undefined) !== (b.settings === undefined), {
    message: 'give either mappingId or settings',
    path: ['settings'],
  });
export type StartImportBody = z.input<typeof startImportBodySchema>;

/** An import's own figures beside the bulk action's counters (rows, not items). */
export const importSummarySchema = z.object({
  actionId: z.string(),
  uploadId: z.string(),
  fileName: z.string(),
  dryRun: z.boolean(),
  status: z.string(),
  rowsRead: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  invalid: z.number().int(),
  duplicates: z.number().int(),
  settings: importSettingsSchema,
  csv: csvSettingsSchema,
});
export type ImportSummary = z.infer<typeof importSummarySchema>;
export const importParamsSchema = accountParamsSchema.extend({ actionId: numericId });

/** A named, reusable import settings set. */
export const importMappingSchema = z.object({
  id: z.string(),
  name: z.string(),
  settings: importSettingsSchema,
  createdAt: isoTimestamp(),
  updatedAt: isoTimestamp(),
});
export type ImportMapping = z.infer<typeof importMappingSchema>;
export const importMappingBodySchema = z
  .object({ name: safeString().trim().min(1).max(200), settings: importSettingsSchema })
  .strict();
export const mappingParamsSchema = accountParamsSchema.extend({ mappingId: numericId });
