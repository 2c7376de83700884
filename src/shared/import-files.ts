import { z } from 'zod';

/** Text encodings an import file can be read in (WHATWG Encoding names, as `TextDecoder` takes them). */
export const IMPORT_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'windows-1252'] as const;
export const importEncodingSchema = z.enum(IMPORT_ENCODINGS);
export type ImportEncoding = z.infer<typeof importEncodingSchema>;

/** Field delimiters the importer detects and accepts: comma, semicolon (Excel in German), tab, pipe. */
export const IMPORT_DELIMITERS = [',', ';', '\t', '|'] as const;
export const importDelimiterSchema = z.enum(IMPORT_DELIMITERS);
export type ImportDelimiter = z.infer<typeof importDelimiterSchema>;

/** How to read a CSV file: detected at upload, overridable by the user. The first row is always the header. */
export const csvSettingsSchema = z
  .object({
    encoding: importEncodingSchema,
    delimiter: importDelimiterSchema,
    hasHeader: z.literal(true),
  })
  .strict();
export type CsvSettings = z.infer<typeof csvSettingsSchema>;

/** Standard contact fields a column can map to (one column per field at most). */
export const STANDARD_COLUMN_TARGETS = [
  'email',
  'phone',
  'first_name',
  'last_name',
  'email_consent',
  'sms_consent',
  'tags',
  'skip',
] as const;
export type StandardColumnTarget = (typeof STANDARD_COLUMN_TARGETS)[number];

/** Where one file column goes: a standard field, a custom field (by key), the tag list, or nowhere. */
export const columnTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.enum(STANDARD_COLUMN_TARGETS) }).strict(),
  z.object({ kind: z.literal('custom'), key: z.string().min(1).max(60) }).strict(),
]);
export type ColumnTarget = z.infer<typeof columnTargetSchema>;
