import { sql, type SQL } from 'drizzle-orm';
import { AppError } from '../../errors.ts';
import {
  OPERATORS_BY_TYPE,
  STANDARD_FIELD_TYPES,
  isGroup,
  type StandardField,
  MAX_FILTER_DEPTH,
  type Condition,
  type CustomFieldType,
  type FilterGroup,
} from '../../../shared/contacts.ts';
import { isCalendarDate, MAX_DATE, MAX_NUMBER, MIN_DATE } from '../../../shared/primitives.ts';

/** What the compiler needs to know about the account: its custom fields and which tags and lists exist. */
export interface FilterContext {
  customFields: ReadonlyMap<string, CustomFieldType>;
  tagIds: ReadonlySet<string>;
  listIds: ReadonlySet<string>;
  now: Date;
}

type ValueType = CustomFieldType;

const STANDARD_COLUMNS: Record<StandardField, SQL> = {
  email: sql`c.email`,
  phone: sql`c.phone`,
  first_name: sql`c.first_name`,
  last_name: sql`c.last_name`,
  created_at: sql`c.created_at`,
  updated_at: sql`c.updated_at`,
};

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', `Invalid filter: ${message}`, {
    fields: [{ field: path, message }],
  });
}

/** Escapes LIKE wildcards so user text matches literally. */
export function likeEscape(text: string): string {
  return text.replace(/[\\%_]/g, (m) => `\\${m}`);
}

/**
 * Compiles a filter tree into a parameterised SQL predicate over `contacts c`. Every user value is a
 * bound parameter; identifiers come only from the whitelists above or are bound (custom field keys
 * are JSON keys, passed as parameters). Unknown fields, tags, lists, operators that do not fit the
 * field's type, and missing or mistyped values are 400s with the path of the offending condition.
 */
export function compileFilter(filter: FilterGroup, ctx: FilterContext): SQL {
  return compileGroup(filter, ctx, 'filter', 1);
}

function compileGroup(group: FilterGroup, ctx: FilterContext, path: string, depth: number): SQL {
  if (depth > MAX_FILTER_DEPTH) throw invalid(path, `groups nest at most ${MAX_FILTER_DEPTH} deep`);
  // An empty group filters nothing out: a SmartList without conditions is "all contacts".
  if (group.conditions.length === 0) return sql`TRUE`;
  const parts = group.conditions.map((c, i) =>
    isGroup(c)
      ? compileGroup(c, ctx, `${path}.conditions.${i}`, depth + 1)
      : compileCondition(c, ctx, `${path}.conditions.${i}`),
  );
  return sql`(${sql.join(parts, group.op === 'and' ? sql` AND ` : sql` OR `)})`;
}

function compileCondition(c: Condition, ctx: FilterContext, path: string): SQL {
  switch (c.type) {
    case 'tag': {
      if (!ctx.tagIds.has(c.tagId)) throw invalid(`${path}.tagId`, 'unknown tag');
      const exists = sql`EXISTS (SELECT 1 FROM contact_tags ct WHERE ct.contact_id = c.id AND ct.tag_id = ${Number(c.tagId)})`;
      return c.op === 'has' ? exists : sql`NOT ${exists}`;
    }
    case 'list': {
      if (!ctx.listIds.has(c.listId)) throw invalid(`${path}.listId`, 'unknown subscriber list');
      const exists = sql`EXISTS (SELECT 1 FROM list_members lm WHERE lm.contact_id = c.id AND lm.list_id = ${Number(c.listId)})`;
      return c.op === 'member' ? exists : sql`NOT ${exists}`;
    }
    case 'consent':
      return c.channel === 'email' ? sql`c.email_consent = ${c.status}` : sql`c.sms_consent = ${c.status}`;
    case 'email_domain': {
      const domain = c.value.toLowerCase().replace(/^@/, '');
      return c.op === 'equals'
        ? sql`c.email_domain = ${domain}`
        : sql`c.email_domain IS DISTINCT FROM ${domain}`;
    }
    case 'created': {
      const parts: SQL[] = [];
      if (c.from) parts.push(sql`c.created_at >= ${c.from}::timestamptz`);
      if (c.to) parts.push(sql`c.created_at < ${c.to}::timestamptz`);
      if (parts.length === 0) throw invalid(path, 'a created range needs from or to');
      return sql`(${sql.join(parts, sql` AND `)})`;
    }
    case 'field':
      return compileField(c, ctx, path);
  }
}

function compileField(c: Extract<Condition, { type: 'field' }>, ctx: FilterContext, path: string): SQL {
  let type: ValueType;
  let text: SQL; // the value as text (for text ops and emptiness)
  let typed: SQL; // the value in its own type (for comparisons)
  if (c.field.startsWith('custom.')) {
    const key = c.field.slice('custom.'.length);
    const fieldType = ctx.customFields.get(key);
    if (!fieldType) throw invalid(`${path}.field`, `unknown custom field '${key}'`);
    type = fieldType;
    text = sql`(c.custom_fields ->> ${key}::text)`;
    typed =
      type === 'number'
        ? sql`(CASE WHEN jsonb_typeof(c.custom_fields -> ${key}::text) = 'number' THEN (c.custom_fields ->> ${key}::text)::numeric END)`
        : type === 'boolean'
          ? sql`(CASE WHEN jsonb_typeof(c.custom_fields -> ${key}::text) = 'boolean' THEN (c.custom_fields ->> ${key}::text)::boolean END)`
          : text; // dates are stored as YYYY-MM-DD: text order is date order
  } else {
    if (!(c.field in STANDARD_COLUMNS)) throw invalid(`${path}.field`, `unknown field '${c.field}'`);
    const field = c.field as StandardField;
    type = STANDARD_FIELD_TYPES[field];
    typed = STANDARD_COLUMNS[field];
    text = type === 'date' ? sql`${typed}::text` : typed;
  }
  if (!OPERATORS_BY_TYPE[type].includes(c.op)) {
    throw invalid(`${path}.op`, `'${c.op}' does not apply to a ${type} field`);
  }
  const isStandardDate = type === 'date' && !c.field.startsWith('custom.');

  switch (c.op) {
    case 'is_empty':
      return sql`(${text} IS NULL OR ${text} = '')`;
    case 'is_not_empty':
      return sql`(${text} IS NOT NULL AND ${text} <> '')`;
    case 'contains':
      return sql`lower(${text}) LIKE ${`%${likeEscape(stringValue(c.value, path).toLowerCase())}%`}`;
    case 'starts_with':
      return sql`lower(${text}) LIKE ${`${likeEscape(stringValue(c.value, path).toLowerCase())}%`}`;
    case 'within_last_days': {
      const days = numberValue(c.value, path);
      if (!Number.isInteger(days) || days < 0 || days > 36_500)
        throw invalid(`${path}.value`, 'a whole number of days');
      const cutoff = new Date(ctx.now.getTime() - days * 86_400_000);
      return isStandardDate
        ? sql`${typed} >= ${cutoff.toISOString()}::timestamptz`
        : sql`${typed} >= ${cutoff.toISOString().slice(0, 10)}`;
    }
    case 'before':
    case 'after': {
      const date = dateValue(c.value, path);
      const op = c.op === 'before' ? sql`<` : sql`>=`;
      // "after D" includes D itself: the user means "from D on".
      return isStandardDate ? sql`${typed} ${op} ${date}::date::timestamptz` : sql`${typed} ${op} ${date}`;
    }
    case 'greater_than':
      return sql`${typed} > ${numberValue(c.value, path)}`;
    case 'less_than':
      return sql`${typed} < ${numberValue(c.value, path)}`;
    case 'equals':
    case 'not_equals': {
      const eq = equality(type, typed, text, c.value, path, isStandardDate);
      return c.op === 'equals' ? sql`coalesce(${eq}, false)` : sql`NOT coalesce(${eq}, false)`;
    }
  }
}

function equality(
  type: ValueType,
  typed: SQL,
  text: SQL,
  value: unknown,
  path: string,
  isStandardDate: boolean,
): SQL {
  switch (type) {
    case 'text':
      return sql`lower(${text}) = ${stringValue(value, path).toLowerCase()}`;
    case 'number':
      return sql`${typed} = ${numberValue(value, path)}`;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(`${path}.value`, 'true or false');
      return sql`${typed} = ${value}`;
    case 'date': {
      const date = dateValue(value, path);
      return isStandardDate
        ? sql`(${typed} AT TIME ZONE 'UTC')::date = ${date}::date`
        : sql`${typed} = ${date}`;
    }
  }
}

function stringValue(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw invalid(`${path}.value`, 'a non-empty text value');
  return value;
}

function numberValue(value: unknown, path: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || Math.abs(n) > MAX_NUMBER)
    throw invalid(`${path}.value`, 'a number');
  return n;
}

function dateValue(value: unknown, path: string): string {
  if (typeof value !== 'string' || !isCalendarDate(value)) {
    throw invalid(`${path}.value`, `an existing day as YYYY-MM-DD between ${MIN_DATE} and ${MAX_DATE}`);
  }
  return value;
}

/** Every tag and list id a filter mentions, so the caller can load just those for validation. */
export function referencedIds(filter: FilterGroup): { tagIds: string[]; listIds: string[] } {
  const tagIds = new Set<string>();
  const listIds = new Set<string>();
  const walk = (g: FilterGroup) => {
    for (const c of g.conditions) {
      if (isGroup(c)) walk(c);
      else if (c.type === 'tag') tagIds.add(c.tagId);
      else if (c.type === 'list') listIds.add(c.listId);
    }
  };
  walk(filter);
  return { tagIds: [...tagIds], listIds: [...listIds] };
}
