import { useTranslation } from 'react-i18next';
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

/** Why an upload was refused (`details.reason`: empty file, no header, binary …), else the code's text. */
const UPLOAD_REASONS = [
  'empty_file',
  'no_header',
  'binary_file',
  'bad_encoding',
  'too_many_columns',
  'field_too_large',
  'file_too_large',
  'broken_quotes',
  'duplicate_header',
] as const;
type UploadReason = (typeof UPLOAD_REASONS)[number];

export function useUploadErrorMessage(): (error: unknown) => string {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  return (error) => {
    const reason =
      error instanceof ApiError && typeof error.details === 'object' && error.details !== null
        ? (error.details as { reason?: unknown }).reason
        : undefined;
    const known = UPLOAD_REASONS.find((r): r is UploadReason => r === reason);
    return known ? t(`imports.uploadErrors.${known}`) : errorMessage(error);
  };
}

/**
 * A cell's or row's problem from the preview: translated when it is one of the importer's codes,
 * else shown as the server wrote it (the error log carries the same text).
 */
export function useRowErrorText(): (error: string) => string {
  const { t, i18n } = useTranslation();
  return (error) => {
    const key = `imports.rowErrors.${error}`;
    return i18n.exists(key) ? String(t(key as 'imports.rowErrors.invalid_email')) : error;
  };
}
