// Turns a file row into the values an import stages: each mapped cell normalised and checked the
// way contacts are checked elsewhere (email, E.164 phone, NFC names, typed custom fields), or the
// row's first problem with its column, a stable code and a message.
import { z } from 'zod';
import { AppError } from '../../errors.ts';
import type { CustomFieldType, CustomValue } from '../../../shared/contacts.ts';
import type { ColumnTarget, ImportField, ImportSettings } from '../../../shared/imports.ts';
import { isSafeText } from '../../../shared/primitives.ts';
import { normalizeEmail, normalizePhone, normalizeText } from '../../../shared/normalize.ts';
import { EXPECTED, parseConsent, parseCustomValue, type ConsentCell } from './cell-values.ts';

/** A row as the CSV reader yields it (`file/csv-reader.ts`). */
export interface FileRow {
  row: number;
  line: number;
  cells: string[];
  error?: { code: string; message: string } | undefined;
}

/** A row's first problem: a stable code, the column (header name) and a message. */
export interface RowError {
  code: string;
  column: string | null;
  message: string;
}

/** A validated row, ready for `import_rows`; empty or unmapped cells are null. */
export interface StagedRow {
  rowNo: number;
  line: number;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  emailConsent: ConsentCell | null;
  smsConsent: ConsentCell | null;
  /** Mapped custom fields: a value, or null for an empty cell. */
  custom: Record<string, CustomValue> | null;
  tags: string[] | null;
  error: RowError | null;
}

const emailSchema = z.email().max(320);
const MAX_NAME = 200;
const MAX_TAG = 100;
const MAX_TAGS_PER_ROW = 50;

interface Column {
  index: number;
  header: string;
  target: ColumnTarget;
}

/**
 * Checks an import's mapping against a file's header once, then validates rows. The constructor
 * throws 400 `VALIDATION_FAILED` naming the problem: a mapped header the file lacks, an unknown
 * custom field, a field mapped twice, or no column for the key contacts are matched by.
 */
export class RowValidator {
  private readonly columns: Column[];
  private readonly field = new Map<ImportField, Column>();

  constructor(
    readonly header: readonly string[],
    private readonly settings: ImportSettings,
    private readonly defs: ReadonlyMap<string, CustomFieldType>,
    /**
     * preview: no column for the match key is not (yet) a problem; decimalComma: numbers are
     * written with a decimal comma (files delimited by `;`).
     */
    private readonly options: { preview?: boolean; decimalComma?: boolean } = {},
  ) {
    const issues: { field: string; message: string }[] = [];
    const byName = new Map(header.map((h, i) => [h.trim().toLowerCase(), i]));
    const seen = new Set<string>();
    this.columns = [];
    settings.columns.forEach((m, i) => {
      if (m.target.kind === 'skip') return;
      const index = byName.get(m.header.trim().toLowerCase());
      if (index === undefined) {
        issues.push({ field: `columns.${i}.header`, message: `the file has no column '${m.header}'` });
        return;
      }
      const what = m.target.kind === 'custom' ? `custom.${m.target.key}` : m.target.kind;
      if (seen.has(what)) issues.push({ field: `columns.${i}.target`, message: `'${what}' is mapped twice` });
      seen.add(what);
      if (m.target.kind === 'custom' && !defs.has(m.target.key))
        issues.push({ field: `columns.${i}.target`, message: `unknown custom field '${m.target.key}'` });
      const column = { index, header: header[index] ?? m.header, target: m.target };
      this.columns.push(column);
      if (m.target.kind !== 'custom' && m.target.kind !== 'tags') this.field.set(m.target.kind, column);
    });
    if (!options.preview && !this.field.has(settings.matchBy))
      issues.push({
        field: 'matchBy',
        message: `contacts are matched by ${settings.matchBy}, but no column is mapped to it`,
      });
    if (issues.length)
      throw new AppError('VALIDATION_FAILED', issues.map((i) => `${i.field}: ${i.message}`).join('; '), {
        fields: issues,
      });
  }

  /** Whether a standard field has a column (an unmapped field is never changed by an update). */
  maps(field: ImportField): boolean {
    return this.field.has(field);
  }

  /** The custom field keys that have a column. */
  customKeys(): string[] {
    return this.columns.flatMap((c) => (c.target.kind === 'custom' ? [c.target.key] : []));
  }

  /** The row's staged values, or its first problem in `error`. */
  validate(row: FileRow): StagedRow {
    const staged: StagedRow = {
      rowNo: row.row,
      line: row.line,
      email: null,
      phone: null,
      firstName: null,
      lastName: null,
      emailConsent: null,
      smsConsent: null,
      custom: null,
      tags: null,
      error: null,
    };
    if (row.error) {
      staged.error = { code: row.error.code, column: null, message: printable(row.error.message) };
      return staged;
    }
    for (const column of this.columns) {
      const text = (row.cells[column.index] ?? '').trim();
      const problem = this.apply(staged, column, text);
      if (problem) {
        staged.error = { ...problem, column: printable(column.header) };
        return staged;
      }
    }
    if (staged.email === null && staged.phone === null)
      staged.error = {
        code: 'missing_key',
        column: null,
        message: 'The row has neither an email nor a phone',
      };
    else if (this.settings.matchBy === 'email' && staged.email === null)
      staged.error = {
        code: 'missing_key',
        column: this.field.get('email')?.header ?? null,
        message: 'The email to match contacts by is empty',
      };
    else if (this.settings.matchBy === 'phone' && staged.phone === null)
      staged.error = {
        code: 'missing_key',
        column: this.field.get('phone')?.header ?? null,
        message: 'The phone to match contacts by is empty',
      };
    return staged;
  }

  /** Per cell of a preview row: what is wrong with it under this mapping (null: fine or unmapped). */
  cellErrors(row: FileRow): (string | null)[] {
    const errors: (string | null)[] = row.cells.map(() => null);
    const scratch = this.validate({ ...row, error: undefined });
    for (const column of this.columns) {
      const problem = this.apply(scratch, column, (row.cells[column.index] ?? '').trim());
      if (problem) errors[column.index] = problem.message;
    }
    return errors;
  }

  private apply(staged: StagedRow, column: Column, text: string): Omit<RowError, 'column'> | null {
    const target = column.target;
    if (text === '') {
      if (target.kind === 'custom') staged.custom = { ...staged.custom, [target.key]: null };
      return null;
    }
    switch (target.kind) {
      case 'email': {
        const email = normalizeEmail(text);
        if (!emailSchema.safeParse(email).success)
          return { code: 'invalid_email', message: `'${clip(text)}' is not an email address` };
        staged.email = email;
        return null;
      }
      case 'phone': {
        const phone = normalizePhone(text);
        if (phone === null)
          return { code: 'invalid_phone', message: `'${clip(text)}' is not a valid phone number` };
        staged.phone = phone;
        return null;
      }
      case 'first_name':
      case 'last_name': {
        const name = normalizeText(text);
        if (name.length > MAX_NAME || !isSafeText(name))
          return {
            code: 'invalid_value',
            message: `A name has at most ${MAX_NAME} characters and no control characters`,
          };
        if (target.kind === 'first_name') staged.firstName = name;
        else staged.lastName = name;
        return null;
      }
      case 'email_consent':
      case 'sms_consent': {
        const consent = parseConsent(text);
        if (!consent)
          return {
            code: 'invalid_consent',
            message: `'${clip(text)}' is not a consent value (yes/no, ja/nein, subscribed/unsubscribed/bounced)`,
          };
        if (target.kind === 'email_consent') staged.emailConsent = consent;
        else staged.smsConsent = consent;
        return null;
      }
      case 'tags': {
        const names = [
          ...new Set(
            text
              .split(this.settings.tagSeparator)
              .map((t) => normalizeText(t))
              .filter((t) => t !== ''),
          ),
        ];
        const bad = names.find((n) => n.length > MAX_TAG || !isSafeText(n));
        if (bad !== undefined || names.length > MAX_TAGS_PER_ROW)
          return {
            code: 'invalid_tags',
            message: `At most ${MAX_TAGS_PER_ROW} tags of at most ${MAX_TAG} characters each`,
          };
        staged.tags = names;
        return null;
      }
      case 'custom': {
        const type = this.defs.get(target.key);
        const value =
          type === undefined ? undefined : parseCustomValue(type, text, this.options.decimalComma);
        if (value === undefined || type === undefined)
          return {
            code: 'invalid_value',
            message: `'${clip(text)}' is not ${type ? EXPECTED[type] : 'valid'}`,
          };
        staged.custom = { ...staged.custom, [target.key]: value };
        return null;
      }
      case 'skip':
        return null;
    }
  }
}

/** A cell quoted in a message: at most 60 characters, control characters (NUL too) as `?`. */
function clip(text: string): string {
  return printable(text.length > 60 ? `${text.slice(0, 57)}…` : text);
}

/** Text for a message or a column name stored in jsonb, which cannot hold NUL. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]/g, '?');
}
