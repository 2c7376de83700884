// The snapshot of a distributed element: its content and its typed references, read once in the
// source account when a distribution starts and stored in `distributions.snapshot`, so every target
// gets the same version even if the source is edited meanwhile.
//
// Reference cycles cannot arise: templates refer to nothing, and a mailing refers only to kinds
// that refer to nothing (template, lists, target groups, sender profile). The resolver still
// resolves exactly one hop, so a future kind with references could not make it loop.
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { DistributableKind, ElementKind, ElementRef } from '../../../shared/distribution.ts';
import { isTemplateKind, tableOf } from '../substitutes/element-kinds.ts';

/** A part the element refers to; `deleted`: the id no longer names an element in the source. */
export interface SnapshotRef extends ElementRef {
  deleted: boolean;
}

/** Template content as written into a copy (column values). */
export interface TemplateContent {
  channel: 'email' | 'sms';
  name: string;
  subject: string | null;
  html: string | null;
  text_body: string | null;
  fields: string[];
}

/** Mailing content without its references (those are resolved per target). */
export interface MailingContent {
  name: string;
  subject: string | null;
  html: string | null;
  text_body: string | null;
  tracking: boolean;
  /** Source ids of the references, in the mailing's order. */
  template_id: string | null;
  sender_profile_id: string | null;
  list_ids: string[];
  target_group_ids: string[];
}

export interface Snapshot {
  kind: DistributableKind;
  id: string;
  name: string;
  version: number;
  /**
   * The element's activation at snapshot time: a new copy takes it (an update leaves the copy's
   * own activation alone). Absent in snapshots stored before it was carried: active.
   */
  active?: boolean;
  template?: TemplateContent;
  mailing?: MailingContent;
  references: SnapshotRef[];
}

/**
 * Reads the element (`lock`: FOR UPDATE, so concurrent starts of the same element serialise) and
 * its references in the source account. Null when the account has no such element.
 */
export async function readSnapshot(
  q: Queryable,
  accountId: number,
  kind: DistributableKind,
  id: number,
  lock = false,
): Promise<Snapshot | null> {
  const forUpdate = lock ? sql` FOR UPDATE` : sql``;
  if (isTemplateKind(kind)) {
    const channel = kind === 'email_template' ? 'email' : 'sms';
    const [t] = await rows<TemplateContent & { version: number; active: boolean }>(
      q,
      sql`SELECT channel, name, subject, html, text_body, fields, version, active FROM message_templates
          WHERE account_id = ${accountId} AND id = ${id} AND channel = ${channel}${forUpdate}`,
    );
    if (!t) return null;
    const { version, active, ...content } = t;
    return {
      kind,
      id: String(id),
      name: t.name,
      version: Number(version),
      active: Boolean(active),
      template: { ...content, fields: content.fields ?? [] },
      references: [],
    };
  }
  const [m] = await rows<
    Omit<MailingContent, 'list_ids' | 'target_group_ids'> & {
      version: number;
      active: boolean;
      list_ids: string;
      target_group_ids: string;
    }
  >(
    q,
    sql`SELECT name, subject, html, text_body, tracking, template_id::text, sender_profile_id::text,
          list_ids::text, target_group_ids::text, version, active
        FROM mailings WHERE account_id = ${accountId} AND id = ${id}${forUpdate}`,
  );
  if (!m) return null;
  const { version, active, ...rest } = m;
  const content: MailingContent = {
    ...rest,
    list_ids: parseIdArray(m.list_ids),
    target_group_ids: parseIdArray(m.target_group_ids),
  };
  const wanted: { kind: ElementKind; id: string }[] = [
    ...(content.template_id ? [{ kind: 'email_template' as const, id: content.template_id }] : []),
    ...(content.sender_profile_id
      ? [{ kind: 'sender_profile' as const, id: content.sender_profile_id }]
      : []),
    ...content.list_ids.map((lid) => ({ kind: 'subscriber_list' as const, id: lid })),
    ...content.target_group_ids.map((gid) => ({ kind: 'target_group' as const, id: gid })),
  ];
  const references: SnapshotRef[] = [];
  for (const w of wanted) {
    const { table, where } = tableOf(w.kind);
    const [found] = await rows<{ name: string }>(
      q,
      sql`SELECT e.name FROM ${table} e WHERE e.account_id = ${accountId} AND e.id = ${w.id}::bigint AND ${where}`,
    );
    references.push({ ...w, name: found?.name ?? `#${w.id}`, deleted: !found });
  }
  return {
    kind,
    id: String(id),
    name: m.name,
    version: Number(version),
    active: Boolean(active),
    mailing: content,
    references,
  };
}

/** PostgreSQL's text form of a bigint[] ('{1,2}') as id strings. */
export function parseIdArray(text: string | null): string[] {
  if (!text || text === '{}') return [];
  return text.slice(1, -1).split(',');
}

/** Id strings as a bigint[] literal. */
export const idArrayLiteral = (ids: readonly (string | number)[]): string => `{${ids.join(',')}}`;
