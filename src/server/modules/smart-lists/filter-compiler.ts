import { sql, type SQL } from 'drizzle-orm';
import { AppError } from '../../errors.ts';
import { dayAt, dayRange, startOfDay } from '../../db/zoned-days.ts';
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
import { DEFAULT_PHONE_COUNTRY, normalizePhone, phoneFragment, textKey } from '../../../shared/normalize.ts';
import { getCountryCallingCode } from 'libphonenumber-js';
import { isCalendarDate, MAX_DATE, MAX_NUMBER, MIN_DATE } from '../../../shared/primitives.ts';

/** What the compiler needs to know about the account: its custom fields and which tags and lists exist. */
export interface FilterContext {
  customFields: ReadonlyMap<string, CustomFieldType>;
  tagIds: ReadonlySet<string>;
  listIds: ReadonlySet<string>;
  now: Date;
  /** The account's IANA time zone: date-only conditions mean calendar days there. */
  timeZone: string;
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
    case 'deliverability': {
      // Keys as addressKey() stores them: lower-cased trimmed email, E.164 phone.
      const address = c.channel === 'email' ? sql`lower(trim(c.email))` : sql`c.phone`;
      const hasState = (states: string[]) => sql`EXISTS (SELECT 1 FROM address_deliverability d
        WHERE d.account_id = c.account_id AND d.channel = ${c.channel} AND d.address = ${address}
          AND d.state = ANY(${`{${states.join(',')}}`}::text[]))`;
      if (c.state !== 'ok') return hasState([c.state]);
      const column = c.channel === 'email' ? sql`c.email` : sql`c.phone`;
      return sql`(${column} IS NOT NULL AND NOT ${hasState(['soft_bounced', 'hard_bounced', 'complained'])})`;
    }
    case 'email_domain': {
      const domain = c.value.toLowerCase().replace(/^@/, '');
      return c.op === 'equals'
        ? sql`c.email_domain = ${domain}`
        : sql`c.email_domain IS DISTINCT FROM ${domain}`;
    }
    case 'created': {
      // Calendar days are the account's days (`to` includes its day); instants are taken as they are.
      const parts = dayRange(sql`c.created_at`, c, ctx.timeZone);
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
  if (c.field in TEXT_KEYS) {
    const own = standardText(c.field as keyof typeof TEXT_KEYS, c.op, c.value, path);
    if (own) return own;
  }

  switch (c.op) {
    case 'is_empty':
      return sql`(${text} IS NULL OR ${text} = '')`;
    case 'is_not_empty':
      return sql`(${text} IS NOT NULL AND ${text} <> '')`;
    case 'contains':
      return sql`lower(${text}) LIKE ${`%${likeEscape(textValue(c.value, path))}%`}`;
    case 'starts_with':
      return sql`lower(${text}) LIKE ${`${likeEscape(textValue(c.value, path))}%`}`;
    case 'within_last_days': {
      const days = numberValue(c.value, path);
      if (!Number.isInteger(days) || days < 0 || days > 36_500)
        throw invalid(`${path}.value`, 'a whole number of days');
      // The last N calendar days of the account, today included: N = 1 is today, 0 matches nothing.
      // "Today" is Herald's clock in the account's zone, not the database's now().
      const today = dayAt(ctx.now, ctx.timeZone);
      return isStandardDate
        ? sql`${typed} >= ${startOfDay(today, ctx.timeZone, 1 - days)}`
        : sql`${typed} >= to_char(${today} + ${1 - days}::int, 'YYYY-MM-DD')`;
    }
    case 'before':
    case 'after': {
      const date = dateValue(c.value, path);
      // Both exclude D itself (equals is D): before = until the start of D, after = from the start
      // of the next day, in the account's zone. Custom dates are plain dates stored as YYYY-MM-DD,
      // whose text order is date order.
      if (isStandardDate)
        return c.op === 'before'
          ? sql`${typed} < ${startOfDay(date, ctx.timeZone)}`
          : sql`${typed} >= ${startOfDay(date, ctx.timeZone, 1)}`;
      return c.op === 'before' ? sql`${typed} < ${date}` : sql`${typed} > ${date}`;
    }
    case 'greater_than':
      return sql`${typed} > ${numberValue(c.value, path)}`;
    case 'less_than':
      return sql`${typed} < ${numberValue(c.value, path)}`;
    case 'equals':
    case 'not_equals': {
      const eq = equality(type, typed, text, c.value, path, isStandardDate ? ctx.timeZone : null);
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
  /** The account's zone when the field is a timestamp column (created_at, updated_at). */
  zone: string | null,
): SQL {
  switch (type) {
    case 'text':
      return sql`lower(${text}) = ${textValue(value, path)}`;
    case 'number':
      return sql`${typed} = ${numberValue(value, path)}`;
    case 'boolean':
      if (typeof value !== 'boolean') throw invalid(`${path}.value`, 'true or false');
      return sql`${typed} = ${value}`;
    case 'date': {
      const date = dateValue(value, path);
      // A timestamp equals D when it lies in D's day in the account's zone: a range, so an index
      // on the column serves it.
      return zone !== null
        ? sql`(${typed} >= ${startOfDay(date, zone)} AND ${typed} < ${startOfDay(date, zone, 1)})`
        : sql`${typed} = ${date}`;
    }
  }
}

function stringValue(value: unknown, path: string): string {
  if (typeof value !== 'string' || value.length === 0)
    throw invalid(`${path}.value`, 'a non-empty text value');
  return value;
}

/** A text value as its comparison key (NFC, trimmed, lower case), like the stored keys. */
function textValue(value: unknown, path: string): string {
  const key = textKey(stringValue(value, path));
  if (key === '') throw invalid(`${path}.value`, 'a non-empty text value');
  return key;
}

/**
 * Names and emails compare on their stored keys (`sort_*`: NFC, lower case, byte order), phones on
 * E.164: the typed value goes through the same normaliser as the stored one, so `equals "030 3861682"`
 * finds +49303861682 and `equals " ANNA@EXAMPLE.COM "` finds anna@example.com.
 */
const TEXT_KEYS = {
  email: sql`c.sort_email`,
  first_name: sql`c.sort_first_name`,
  last_name: sql`c.sort_last_name`,
  phone: sql`c.phone`,
} as const;

function standardText(field: keyof typeof TEXT_KEYS, op: string, value: unknown, path: string): SQL | null {
  const column = TEXT_KEYS[field];
  if (field === 'phone') {
    if (op !== 'equals' && op !== 'not_equals' && op !== 'contains' && op !== 'starts_with') return null;
    const raw = stringValue(value, path);
    if (op === 'equals' || op === 'not_equals') {
      // A value that is no valid number equals no stored (always valid) number.
      const eq = sql`coalesce(${column} = ${normalizePhone(raw) ?? raw.trim()}, false)`;
      return op === 'equals' ? eq : sql`NOT ${eq}`;
    }
    const fragment = phoneFragment(raw);
    if (!/\d/.test(fragment.value)) throw invalid(`${path}.value`, 'digits of a phone number');
    if (op === 'contains') return sql`${column} LIKE ${`%${fragment.value}%`}`;
    // Digits without a prefix start the national number, read as the default country's.
    const start = fragment.international
      ? fragment.value
      : `+${getCountryCallingCode(DEFAULT_PHONE_COUNTRY)}${fragment.value}`;
    return sql`${column} LIKE ${`${start}%`}`;
  }
  switch (op) {
    case 'equals':
      return sql`${column} = ${textValue(value, path)}`;
    case 'not_equals':
      return sql`${column} <> ${textValue(value, path)}`;
    case 'contains':
      return sql`${column} LIKE ${`%${likeEscape(textValue(value, path))}%`}`;
    case 'starts_with': {
      const w = textValue(value, path);
      return sql`${column} LIKE ${`${likeEscape(w)}%`}`;
    }
    default:
      return null;
  }
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
