// Writing copies in a target account (always inside that account's tenant transaction): create,
// update with the previous content kept in element_versions, roll back, remove, set activation.
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { DistributableKind } from '../../../shared/distribution.ts';
import type { ResolvedContent } from './resolver.ts';
import { idArrayLiteral } from './snapshot.ts';
import { copyTableOf, isTemplateKind } from '../substitutes/element-kinds.ts';

/** Where a copy comes from and which distribution wrote it. */
export interface CopyOrigin {
  sourceAccountId: number;
  sourceId: string;
  version: number;
  distributionId: number;
  userId: number | null;
  at: Date;
}

/**
 * Creates the copy (origin fields set, origin_hash = its content hash) with the source's
 * activation at snapshot time (`active`); returns its id.
 */
export async function insertCopy(
  q: Queryable,
  target: number,
  content: ResolvedContent,
  origin: CopyOrigin,
  active: boolean,
): Promise<string> {
  const o = origin;
  let id: string;
  if ('template' in content) {
    const t = content.template;
    const [row] = await rows<{ id: string }>(
      q,
      sql`INSERT INTO message_templates (account_id, channel, name, subject, html, text_body, fields,
            created_by, updated_by, created_at, updated_at, active,
            origin_account_id, origin_id, origin_version, distributed_at, distribution_id)
          VALUES (${target}, ${t.channel}, ${t.name}, ${t.subject}, ${t.html}, ${t.text_body},
            ${idArrayLiteral(t.fields.map((f) => JSON.stringify(f)))}::text[], ${o.userId}, ${o.userId}, ${o.at}, ${o.at}, ${active},
            ${o.sourceAccountId}, ${o.sourceId}::bigint, ${o.version}, ${o.at}, ${o.distributionId})
          RETURNING id::text AS id`,
    );
    id = row!.id;
    await q.execute(sql`UPDATE message_templates SET origin_hash = content_hash WHERE id = ${id}::bigint`);
    return id;
  }
  const m = content.mailing;
  const [row] = await rows<{ id: string }>(
    q,
    sql`INSERT INTO mailings (account_id, name, template_id, subject, html, text_body, sender_profile_id,
          list_ids, target_group_ids, tracking, root_id, created_by, created_at, updated_at, active,
          origin_account_id, origin_id, origin_version, distributed_at, distribution_id)
        VALUES (${target}, ${m.name}, ${m.template_id}::bigint, ${m.subject}, ${m.html}, ${m.text_body},
          ${m.sender_profile_id}::bigint, ${idArrayLiteral(m.list_ids)}::bigint[],
          ${idArrayLiteral(m.target_group_ids)}::bigint[], ${m.tracking}, 0, ${o.userId}, ${o.at}, ${o.at}, ${active},
          ${o.sourceAccountId}, ${o.sourceId}::bigint, ${o.version}, ${o.at}, ${o.distributionId})
        RETURNING id::text AS id`,
  );
  id = row!.id;
  // A copy is a draft and the root of its own family (no re-send of the origin).
  await q.execute(sql`UPDATE mailings SET root_id = id, origin_hash = content_hash WHERE id = ${id}::bigint`);
  return id;
}

const TEMPLATE_COLUMNS = ['channel', 'name', 'subject', 'html', 'text_body', 'fields'];
const MAILING_COLUMNS = [
  'name',
  'template_id',
  'subject',
  'html',
  'text_body',
  'sender_profile_id',
  'list_ids',
  'target_group_ids',
  'tracking',
];
const ORIGIN_COLUMNS = [
  'origin_account_id',
  'origin_id',
  'origin_version',
  'origin_hash',
  'distributed_at',
  'distribution_id',
];

/** Keeps the copy's current content and origin fields as an element_versions row. */
export async function saveVersion(
  q: Queryable,
  target: number,
  kind: DistributableKind,
  copyId: string,
  distributionId: number | null,
): Promise<void> {
  const columns = [...(isTemplateKind(kind) ? TEMPLATE_COLUMNS : MAILING_COLUMNS), ...ORIGIN_COLUMNS];
  const pairs = sql.join(
    columns.map((c) => sql`${c}::text, to_jsonb(e.${sql.raw(c)})`),
    sql`, `,
  );
  await q.execute(
    sql`INSERT INTO element_versions (account_id, element_kind, element_id, distribution_id, content)
        SELECT ${target}, ${kind}, e.id, ${distributionId}, jsonb_build_object(${pairs})
        FROM ${copyTableOf(kind)} e WHERE e.account_id = ${target} AND e.id = ${copyId}::bigint`,
  );
}

/** Overwrites the copy's content and origin fields with the distributed ones. */
export async function updateCopy(
  q: Queryable,
  target: number,
  copyId: string,
  content: ResolvedContent,
  origin: CopyOrigin,
): Promise<void> {
  const o = origin;
  if ('template' in content) {
    const t = content.template;
    await q.execute(
      sql`UPDATE message_templates SET name = ${t.name}, subject = ${t.subject}, html = ${t.html},
            text_body = ${t.text_body}, fields = ${idArrayLiteral(t.fields.map((f) => JSON.stringify(f)))}::text[],
            origin_version = ${o.version}, distributed_at = ${o.at}, distribution_id = ${o.distributionId},
            updated_at = ${o.at}, updated_by = ${o.userId}
          WHERE account_id = ${target} AND id = ${copyId}::bigint`,
    );
    await q.execute(
      sql`UPDATE message_templates SET origin_hash = content_hash WHERE account_id = ${target} AND id = ${copyId}::bigint`,
    );
    return;
  }
  const m = content.mailing;
  await q.execute(
    sql`UPDATE mailings SET name = ${m.name}, template_id = ${m.template_id}::bigint, subject = ${m.subject},
          html = ${m.html}, text_body = ${m.text_body}, sender_profile_id = ${m.sender_profile_id}::bigint,
          list_ids = ${idArrayLiteral(m.list_ids)}::bigint[], target_group_ids = ${idArrayLiteral(m.target_group_ids)}::bigint[],
          tracking = ${m.tracking}, origin_version = ${o.version}, distributed_at = ${o.at},
          distribution_id = ${o.distributionId}, updated_at = ${o.at}, preflight_at = NULL, preflight_count = NULL
        WHERE account_id = ${target} AND id = ${copyId}::bigint`,
  );
  await q.execute(
    sql`UPDATE mailings SET origin_hash = content_hash WHERE account_id = ${target} AND id = ${copyId}::bigint`,
  );
}

/** Whether an earlier content of the copy is kept (it can be rolled back). */
export async function hasVersion(q: Queryable, target: number, kind: DistributableKind, copyId: string) {
  const [row] = await rows<{ found: boolean }>(
    q,
    sql`SELECT EXISTS (SELECT 1 FROM element_versions WHERE account_id = ${target}
          AND element_kind = ${kind} AND element_id = ${copyId}::bigint) AS found`,
  );
  return Boolean(row?.found);
}

/** The newest kept content of the copy: its element_versions id and the name it restores; null when none. */
export async function newestVersion(
  q: Queryable,
  target: number,
  kind: DistributableKind,
  copyId: string,
): Promise<{ id: string; name: string } | null> {
  const [version] = await rows<{ id: string; name: string }>(
    q,
    sql`SELECT id::text AS id, content->>'name' AS name FROM element_versions
        WHERE account_id = ${target} AND element_kind = ${kind} AND element_id = ${copyId}::bigint
        ORDER BY id DESC LIMIT 1 FOR UPDATE`,
  );
  return version ?? null;
}

/**
 * Restores kept version `versionId` into the copy (content and origin fields) and deletes that
 * version row. The copy counts as edited at `at`; a mailing copy needs a new preflight (its
 * content changed under the old one).
 */
export async function restoreVersion(
  q: Queryable,
  target: number,
  kind: DistributableKind,
  copyId: string,
  versionId: string,
  at: Date,
): Promise<void> {
  const columns = [...(isTemplateKind(kind) ? TEMPLATE_COLUMNS : MAILING_COLUMNS), ...ORIGIN_COLUMNS].filter(
    (c) => c !== 'origin_hash' && c !== 'channel',
  );
  // jsonb_populate_record reads the kept values with each column's own type (arrays, timestamps).
  const sets = sql.join(
    columns.map((c) => sql`${sql.raw(c)} = r.${sql.raw(c)}`),
    sql`, `,
  );
  const table = copyTableOf(kind);
  const extra = isTemplateKind(kind) ? sql`` : sql`, preflight_at = NULL, preflight_count = NULL`;
  await q.execute(
    sql`UPDATE ${table} e SET ${sets}, updated_at = ${at}${extra}
        FROM element_versions v, jsonb_populate_record(NULL::${table}, v.content) r
        WHERE v.id = ${versionId}::bigint AND e.account_id = ${target} AND e.id = ${copyId}::bigint`,
  );
  // Set after the content: the trigger computed content_hash from the restored content above.
  await q.execute(
    sql`UPDATE ${table} e SET origin_hash = v.content->>'origin_hash'
        FROM element_versions v WHERE v.id = ${versionId}::bigint AND e.account_id = ${target} AND e.id = ${copyId}::bigint`,
  );
  await q.execute(sql`DELETE FROM element_versions WHERE id = ${versionId}::bigint`);
}

/** The target's own mailings that use template copy `copyId` (at most 20, by id). */
export async function mailingsUsingTemplate(q: Queryable, target: number, copyId: string) {
  return rows<{ id: string; name: string; status: string }>(
    q,
    sql`SELECT id::text AS id, name, status FROM mailings
        WHERE account_id = ${target} AND template_id = ${copyId}::bigint ORDER BY id LIMIT 20`,
  );
}

/** Removes a copy the last distribution created (its version rows go with it). */
export async function deleteCopy(q: Queryable, target: number, kind: DistributableKind, copyId: string) {
  await q.execute(
    sql`DELETE FROM ${copyTableOf(kind)} WHERE account_id = ${target} AND id = ${copyId}::bigint`,
  );
  await q.execute(
    sql`DELETE FROM element_versions WHERE account_id = ${target} AND element_kind = ${kind} AND element_id = ${copyId}::bigint`,
  );
}

/** Sets the copy's activation; returns whether it changed, or null when no copy exists. */
export async function setCopyActive(
  q: Queryable,
  target: number,
  kind: DistributableKind,
  copyId: string,
  active: boolean,
): Promise<void> {
  await q.execute(
    sql`UPDATE ${copyTableOf(kind)} SET active = ${active}
        WHERE account_id = ${target} AND id = ${copyId}::bigint`,
  );
}

/** Whether a mailing copy's send runs now (scheduled and started, sending or paused). */
export async function mailingSendRuns(q: Queryable, target: number, copyId: string): Promise<boolean> {
  const [row] = await rows<{ runs: boolean }>(
    q,
    sql`SELECT (status IN ('sending', 'paused') OR (status = 'scheduled' AND action_id IS NOT NULL)) AS runs
        FROM mailings WHERE account_id = ${target} AND id = ${copyId}::bigint`,
  );
  return Boolean(row?.runs);
}
