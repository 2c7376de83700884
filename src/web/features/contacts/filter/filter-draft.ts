import {
  isGroup,
  MAX_FILTER_CONDITIONS,
  MAX_FILTER_DEPTH,
  type Condition,
  type Consent,
  type FieldOperator,
  type FilterGroup,
} from '../../../../shared/contacts.ts';
import type { DeliverabilityState } from '../../../../shared/messaging.ts';
import { OPERATORS_BY_TYPE, VALUELESS_OPERATORS, type FilterField } from './filter-fields.ts';
import { isCalendarDay } from '../../../../shared/time-zones.ts';

// The builder edits a draft: like a FilterGroup, but every node has an id (for React and for
// pinning errors on it) and a condition may be incomplete (no tag chosen yet, a number still typed
// as text). compileDraft turns it into a FilterGroup, or says what is missing where.

export const CONDITION_KINDS = [
  'field',
  'email_domain',
  'tag',
  'list',
  'consent',
  'deliverability',
  'created',
] as const satisfies readonly Condition['type'][];
export type ConditionKind = (typeof CONDITION_KINDS)[number];

export type DraftCondition =
  | { id: string; kind: 'field'; field: string | null; op: FieldOperator | null; value: string }
  | { id: string; kind: 'tag'; op: 'has' | 'has_not'; tagId: string | null }
  | { id: string; kind: 'list'; op: 'member' | 'not_member'; listId: string | null }
  | { id: string; kind: 'consent'; channel: 'email' | 'sms'; status: Consent }
  | { id: string; kind: 'deliverability'; channel: 'email' | 'sms'; state: DeliverabilityState }
  | { id: string; kind: 'email_domain'; op: 'equals' | 'not_equals'; value: string }
  /** Dates as YYYY-MM-DD, both inclusive; either may be empty. */
  | { id: string; kind: 'created'; from: string; to: string };

export interface DraftGroup {
  id: string;
  kind: 'group';
  op: 'and' | 'or';
  items: DraftNode[];
}
export type DraftNode = DraftCondition | DraftGroup;

let lastId = 0;
const newId = () => `n${++lastId}`;

export function emptyDraft(): DraftGroup {
  return { id: newId(), kind: 'group', op: 'and', items: [] };
}

export function newGroup(): DraftGroup {
  return { id: newId(), kind: 'group', op: 'and', items: [newCondition('field')] };
}

export function newCondition(kind: ConditionKind): DraftCondition {
  const id = newId();
  switch (kind) {
    case 'field':
      return { id, kind, field: null, op: null, value: '' };
    case 'tag':
      return { id, kind, op: 'has', tagId: null };
    case 'list':
      return { id, kind, op: 'member', listId: null };
    case 'consent':
      return { id, kind, channel: 'email', status: 'subscribed' };
    case 'deliverability':
      return { id, kind, channel: 'email', state: 'hard_bounced' };
    case 'email_domain':
      return { id, kind, op: 'equals', value: '' };
    case 'created':
      return { id, kind, from: '', to: '' };
  }
}

/** The draft of a filter (an empty AND group for none). */
export function draftOf(filter: FilterGroup | null): DraftGroup {
  if (!filter) return emptyDraft();
  return {
    id: newId(),
    kind: 'group',
    op: filter.op,
    items: filter.conditions.map((c) => (isGroup(c) ? draftOf(c) : conditionDraft(c))),
  };
}

function conditionDraft(c: Condition): DraftCondition {
  const id = newId();
  switch (c.type) {
    case 'field':
      return {
        id,
        kind: 'field',
        field: c.field,
        op: c.op,
        value: c.value === undefined ? '' : String(c.value),
      };
    case 'tag':
      return { id, kind: 'tag', op: c.op, tagId: c.tagId };
    case 'list':
      return { id, kind: 'list', op: c.op, listId: c.listId };
    case 'consent':
      return { id, kind: 'consent', channel: c.channel, status: c.status };
    case 'deliverability':
      return { id, kind: 'deliverability', channel: c.channel, state: c.state };
    case 'email_domain':
      return { id, kind: 'email_domain', op: c.op, value: c.value };
    case 'created':
      return {
        id,
        kind: 'created',
        // Calendar days (the account's) as they are; an instant from an older filter as the local
        // day, and an instant `to` is exclusive, so the builder shows the day before it.
        from: c.from ? (isCalendarDay(c.from) ? c.from : localDate(new Date(c.from))) : '',
        to: c.to ? (isCalendarDay(c.to) ? c.to : localDate(new Date(Date.parse(c.to) - 1))) : '',
      };
  }
}

// ---- editing (immutable) ------------------------------------------------------------------------

function mapGroup(group: DraftGroup, change: (node: DraftNode) => DraftNode | null): DraftGroup {
  const items: DraftNode[] = [];
  for (const item of group.items) {
    const changed = change(item);
    if (changed === null) continue;
    items.push(changed.kind === 'group' && changed === item ? mapGroup(changed, change) : changed);
  }
  return { ...group, items };
}

/** Replaces the node with this id (the root included). */
export function replaceNode(
  root: DraftGroup,
  id: string,
  replace: (node: DraftNode) => DraftNode,
): DraftGroup {
  if (root.id === id) {
    const replaced = replace(root);
    return replaced.kind === 'group' ? replaced : root;
  }
  return mapGroup(root, (node) => (node.id === id ? replace(node) : node));
}

export function removeNode(root: DraftGroup, id: string): DraftGroup {
  return mapGroup(root, (node) => (node.id === id ? null : node));
}

export function appendNode(root: DraftGroup, groupId: string, node: DraftNode): DraftGroup {
  return replaceNode(root, groupId, (group) =>
    group.kind === 'group' ? { ...group, items: [...group.items, node] } : group,
  );
}

// ---- checking and compiling ---------------------------------------------------------------------

/** What is wrong with a draft node, and which of its inputs shows it. */
export interface DraftIssue {
  part: 'field' | 'op' | 'value' | 'group';
  reason:
    | 'chooseField'
    | 'unknownField'
    | 'chooseOperator'
    | 'valueRequired'
    | 'valueTooLong'
    | 'notNumber'
    | 'notDate'
    | 'notDays'
    | 'chooseTag'
    | 'chooseList'
    | 'rangeRequired'
    | 'rangeOrder'
    | 'emptyGroup'
    | 'tooDeep'
    | 'tooMany';
}

export interface CompiledDraft {
  filter: FilterGroup;
  /** Problems by node id; the filter may only be sent when there are none. */
  issues: Map<string, DraftIssue>;
  /** The node at each path the server names in its errors (`filter.conditions.0.conditions.2`). */
  paths: Map<string, string>;
}

const TEXT_MAX = 500;
const DOMAIN_MAX = 255;
const MAX_DAYS = 36_500;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

const isDate = (value: string) => DATE.test(value) && !Number.isNaN(Date.parse(value));

export function compileDraft(root: DraftGroup, fields: readonly FilterField[]): CompiledDraft {
  const issues = new Map<string, DraftIssue>();
  const paths = new Map<string, string>();
  const fieldOf = new Map(fields.map((f) => [f.ref, f]));

  const group = (g: DraftGroup, path: string, depth: number): FilterGroup => {
    paths.set(path, g.id);
    if (depth > MAX_FILTER_DEPTH) issues.set(g.id, { part: 'group', reason: 'tooDeep' });
    else if (g.items.length > MAX_FILTER_CONDITIONS) issues.set(g.id, { part: 'group', reason: 'tooMany' });
    // An empty nested group matches everything, which inside an OR is rarely what was meant.
    else if (depth > 1 && g.items.length === 0) issues.set(g.id, { part: 'group', reason: 'emptyGroup' });
    return {
      op: g.op,
      conditions: g.items.map((item, i) => {
        const at = `${path}.conditions.${i}`;
        if (item.kind === 'group') return group(item, at, depth + 1);
        paths.set(at, item.id);
        const compiled = condition(item, fieldOf);
        if ('reason' in compiled) {
          issues.set(item.id, compiled);
          // A stand-in that keeps the shape; never sent, since there is an issue.
          return { type: 'consent', channel: 'email', status: 'subscribed' } satisfies Condition;
        }
        return compiled;
      }),
    };
  };
  return { filter: group(root, 'filter', 1), issues, paths };
}

function condition(c: DraftCondition, fieldOf: ReadonlyMap<string, FilterField>): Condition | DraftIssue {
  switch (c.kind) {
    case 'tag':
      return c.tagId ? { type: 'tag', op: c.op, tagId: c.tagId } : { part: 'value', reason: 'chooseTag' };
    case 'list':
      return c.listId
        ? { type: 'list', op: c.op, listId: c.listId }
        : { part: 'value', reason: 'chooseList' };
    case 'consent':
      return { type: 'consent', channel: c.channel, status: c.status };
    case 'deliverability':
      return { type: 'deliverability', channel: c.channel, state: c.state };
    case 'email_domain': {
      const value = c.value.trim().replace(/^@/, '');
      if (!value) return { part: 'value', reason: 'valueRequired' };
      if (value.length > DOMAIN_MAX) return { part: 'value', reason: 'valueTooLong' };
      return { type: 'email_domain', op: c.op, value };
    }
    case 'created': {
      if (!c.from && !c.to) return { part: 'value', reason: 'rangeRequired' };
      if ((c.from && !isDate(c.from)) || (c.to && !isDate(c.to))) return { part: 'value', reason: 'notDate' };
      if (c.from && c.to && c.from > c.to) return { part: 'value', reason: 'rangeOrder' };
      return {
        type: 'created',
        // Plain days: the server reads them in the account's time zone, the last day included.
        ...(c.from ? { from: c.from } : {}),
        ...(c.to ? { to: c.to } : {}),
      };
    }
    case 'field':
      return fieldCondition(c, fieldOf);
  }
}

function fieldCondition(
  c: Extract<DraftCondition, { kind: 'field' }>,
  fieldOf: ReadonlyMap<string, FilterField>,
): Condition | DraftIssue {
  if (!c.field) return { part: 'field', reason: 'chooseField' };
  const field = fieldOf.get(c.field);
  if (!field) return { part: 'field', reason: 'unknownField' };
  if (!c.op || !OPERATORS_BY_TYPE[field.type].includes(c.op)) return { part: 'op', reason: 'chooseOperator' };
  const base = { type: 'field', field: c.field, op: c.op } as const;
  if (VALUELESS_OPERATORS.includes(c.op)) return base;
  const text = c.value.trim();
  if (c.op === 'within_last_days') {
    const days = Number(text);
    if (!text || !Number.isInteger(days) || days < 0 || days > MAX_DAYS)
      return { part: 'value', reason: 'notDays' };
    return { ...base, value: days };
  }
  switch (field.type) {
    case 'text':
      if (!text) return { part: 'value', reason: 'valueRequired' };
      if (text.length > TEXT_MAX) return { part: 'value', reason: 'valueTooLong' };
      return { ...base, value: text };
    case 'number': {
      const n = Number(text);
      if (!text) return { part: 'value', reason: 'valueRequired' };
      if (!Number.isFinite(n)) return { part: 'value', reason: 'notNumber' };
      return { ...base, value: n };
    }
    case 'date':
      if (!text) return { part: 'value', reason: 'valueRequired' };
      if (!isDate(text)) return { part: 'value', reason: 'notDate' };
      return { ...base, value: text };
    case 'boolean':
      if (text !== 'true' && text !== 'false') return { part: 'value', reason: 'valueRequired' };
      return { ...base, value: text === 'true' };
  }
}

function localDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Structural equality of two filters, whatever the key order (PostgreSQL's jsonb reorders keys). */
export function sameFilter(a: FilterGroup | null, b: FilterGroup | null): boolean {
  const isEmpty = (f: FilterGroup | null) => !f || f.conditions.length === 0;
  if (isEmpty(a) || isEmpty(b)) return isEmpty(a) && isEmpty(b);
  return stableJson(a) === stableJson(b);
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
