import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { ApiError } from '../../app/api-client.ts';
import { useErrorMessage } from '../../components/use-error-message.ts';
import {
  IMPORT_DELIMITERS,
  IMPORT_ENCODINGS,
  type ImportDelimiter,
  type ImportEncoding,
} from '../../../shared/imports.ts';

const DELIMITER_KEYS: Record<ImportDelimiter, 'comma' | 'semicolon' | 'tab' | 'pipe'> = {
  ',': 'comma',
  ';': 'semicolon',
  '\t': 'tab',
  '|': 'pipe',
};

const ENCODING_LABELS: Record<ImportEncoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16 LE',
  'utf-16be': 'UTF-16 BE',
  'windows-1252': 'Windows-1252',
};

/** Select options for the encodings (their usual names). */
export const ENCODING_OPTIONS = IMPORT_ENCODINGS.map((value) => ({ value, label: ENCODING_LABELS[value] }));

export function encodingLabel(encoding: ImportEncoding): string {
  return ENCODING_LABELS[encoding];
}

/** Select options for the delimiters: "Semicolon (;)". */
export function useDelimiterOptions(): { value: ImportDelimiter; label: string }[] {
  const { t } = useTranslation();
  return IMPORT_DELIMITERS.map((value) => ({
    value,
    label: t(`imports.delimiters.${DELIMITER_KEYS[value]}`),
  }));
}

/** Whole-file problems the server names in `details.reason` of IMPORT_FILE_INVALID. */
const UPLOAD_REASONS = [
  'empty_file',
  'no_header',
  'binary_file',
  'duplicate_header',
  'too_many_columns',
  'encoding_mismatch',
] as const;

/** Row problems: the codes of the importer's error log (the preview may give them or English text). */
const ROW_ERRORS = [
  'invalid_email',
  'invalid_phone',
  'invalid_value',
  'invalid_consent',
  'invalid_tags',
  'missing_key',
  'column_count',
  'too_many_columns',
  'field_too_large',
  'unclosed_quote',
  'invalid_quote',
  'encoding_mismatch',
] as const;

const uploadDetailsSchema = z.object({
  reason: z.string().optional(),
  line: z.number().int().nullable().optional(),
});

/** Why an upload or re-read was refused (empty file, no header, binary …, with the line), else the code's text. */
export function useUploadErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  return (error) => {
    const details = error instanceof ApiError ? uploadDetailsSchema.safeParse(error.details) : null;
    const reason = details?.success ? details.data.reason : undefined;
    const known = UPLOAD_REASONS.find((r) => r === reason);
    if (!known || !details?.success) return errorMessage(error);
    const line = details.data.line;
    const text = t(`imports.uploadErrors.${known}`);
    return typeof line === 'number' ? `${text} ${t('imports.uploadErrors.atLine', { line })}` : text;
  };
}

/**
 * A cell's or row's problem from the preview: translated when it is one of the importer's codes,
 * else shown as the server wrote it.
 */
export function useRowErrorText(): (error: string) => string {
  const { t } = useTranslation();
  return (error) => {
    const known = ROW_ERRORS.find((code) => code === error);
    return known ? t(`imports.rowErrors.${known}`) : error;
  };
}
