import { templateInvalidDetailsSchema } from '../../../shared/templates.ts';
import { ApiError } from '../../app/api-client.ts';

/** Where a template problem belongs in the editor: a part (with line and LiquidJS's words) or unknown fields. */
export type TemplateFieldError =
  | { kind: 'syntax'; part: 'subject' | 'html' | 'text'; line: number | null; message: string }
  | { kind: 'unknownFields'; fields: string[] };

/** The editor-field meaning of a 400 TEMPLATE_INVALID; null for any other error. */
export function templateFieldError(error: unknown): TemplateFieldError | null {
  if (!(error instanceof ApiError) || error.code !== 'TEMPLATE_INVALID') return null;
  const details = templateInvalidDetailsSchema.safeParse(error.details);
  if (!details.success) return null;
  return 'fields' in details.data
    ? { kind: 'unknownFields', fields: details.data.fields }
    : { kind: 'syntax', ...details.data };
}

/**
 * The unknown fields `error` names that occur in `source` (so each editor field lists its own),
 * matched as a whole name inside `{{ … }}` or `{% … %}`.
 */
export function unknownFieldsIn(source: string, fields: readonly string[]): string[] {
  const tags = source.match(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g) ?? [];
  return fields.filter((field) => {
    const name = new RegExp(`(^|[^A-Za-z0-9_.])${field.replace(/[^A-Za-z0-9_]/g, '')}(?![A-Za-z0-9_])`);
    return tags.some((tag) => name.test(tag));
  });
}

/** `text` with `insert` replacing the selection [start, end), and where the caret goes after it. */
export function insertAt(
  text: string,
  start: number | null,
  end: number | null,
  insert: string,
): { text: string; caret: number } {
  const from = Math.max(0, Math.min(start ?? text.length, text.length));
  const to = Math.max(from, Math.min(end ?? from, text.length));
  return { text: text.slice(0, from) + insert + text.slice(to), caret: from + insert.length };
}
