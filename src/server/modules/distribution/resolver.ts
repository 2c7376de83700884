// The one resolver for dry run and run (so they cannot disagree): what distributing a snapshot
// into one target account does. Reads only; the run writes what it answers in the same target
// transaction, the dry run reports it. Every query filters by the target account explicitly, so it
// is correct both inside the target's tenant transaction (run) and on the plain database (dry run).
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type {
  DistributionReason,
  ElementKind,
  MissingPart,
  TargetDetail,
} from '../../../shared/distribution.ts';
import { isTemplateKind, tableOf } from '../substitutes/element-kinds.ts';
import { isDescendant } from '../accounts/account-tree.ts';
import type { MailingContent, Snapshot, SnapshotRef, TemplateContent } from './snapshot.ts';

export type OnModified = 'skip' | 'overwrite' | 'keep';

/** The copy a target already holds (from an earlier distribution of the same element). */
export interface ExistingCopy {
  id: string;
  name: string;
  originVersion: number | null;
  locallyModified: boolean;
  /** Mailings: the stored status; templates: null. */
  status: string | null;
  /** The content columns as text, to compare with what would be written. */
  content: Record<string, string | null>;
}

/** Content with every reference replaced by the target's own element id. */
export type ResolvedContent = { template: TemplateContent } | { mailing: MailingContent };

export type Resolution =
  | { status: 'failed'; reason: DistributionReason; detail: TargetDetail | null; copy: ExistingCopy | null }
  | { status: 'skipped'; reason: 'locally_modified' | 'kept_local'; copy: { id: string; name: string } }
  | { status: 'unchanged'; copy: ExistingCopy }
  | { status: 'created'; content: ResolvedContent }
  | { status: 'updated'; copy: ExistingCopy; content: ResolvedContent };

const fail = (
  reason: DistributionReason,
  detail: TargetDetail | null = null,
  copy: ExistingCopy | null = null,
): Resolution => ({ status: 'failed', reason, detail, copy });

/** Whether the target accepts this kind (no settings row: every kind). */
async function acceptsKind(q: Queryable, target: number, kind: string): Promise<boolean> {
  const [row] = await rows<{ ok: boolean }>(
    q,
    sql`SELECT ${kind} = ANY (accepted_kinds) AS ok FROM distribution_settings WHERE account_id = ${target}`,
  );
  return row ? Boolean(row.ok) : true;
}

/** The target's copy of the source element, if a distribution wrote one. */
export async function findCopy(
  q: Queryable,
  snapshot: Pick<Snapshot, 'kind' | 'id'>,
  source: number,
  target: number,
  lock = false,
): Promise<ExistingCopy | null> {
  const forUpdate = lock ? sql` FOR UPDATE` : sql``;
  const common = sql`e.id::text AS id, e.name, e.origin_version AS "originVersion",
    (e.origin_hash IS NOT NULL AND e.origin_hash <> e.content_hash) AS "locallyModified"`;
  type Raw = Record<string, string | null> & { locallyModified: boolean | null };
  const found = isTemplateKind(snapshot.kind)
    ? await rows<Raw>(
        q,
        sql`SELECT ${common}, NULL AS status, e.channel, e.name AS c_name, e.subject, e.html, e.text_body
            FROM message_templates e
            WHERE e.account_id = ${target} AND e.origin_account_id = ${source} AND e.origin_id = ${snapshot.id}::bigint${forUpdate}`,
      )
    : await rows<Raw>(
        q,
        sql`SELECT ${common}, e.status, e.name AS c_name, e.subject, e.html, e.text_body,
              e.tracking::text AS tracking, e.template_id::text AS template_id,
              e.sender_profile_id::text AS sender_profile_id, e.list_ids::text AS list_ids,
              e.target_group_ids::text AS target_group_ids
            FROM mailings e
            WHERE e.account_id = ${target} AND e.origin_account_id = ${source} AND e.origin_id = ${snapshot.id}::bigint${forUpdate}`,
      );
  const row = found[0];
  if (!row) return null;
  const { id, name, originVersion, locallyModified, status, c_name, ...rest } = row;
  return {
    id: id!,
    name: name!,
    originVersion: originVersion === null ? null : Number(originVersion),
    locallyModified: Boolean(locallyModified),
    status: status ?? null,
    content: { name: c_name ?? null, ...(rest as Record<string, string | null>) },
  };
}

/** The copy's content columns as text for comparison (same shape as ExistingCopy.content). */
function contentText(content: ResolvedContent): Record<string, string | null> {
  if ('template' in content) {
    const t = content.template;
    return { channel: t.channel, name: t.name, subject: t.subject, html: t.html, text_body: t.text_body };
  }
  const m = content.mailing;
  return {
    name: m.name,
    subject: m.subject,
    html: m.html,
    text_body: m.text_body,
    tracking: String(m.tracking),
    template_id: m.template_id,
    sender_profile_id: m.sender_profile_id,
    list_ids: `{${m.list_ids.join(',')}}`,
    target_group_ids: `{${m.target_group_ids.join(',')}}`,
  };
}

const sameContent = (a: Record<string, string | null>, b: Record<string, string | null>): boolean =>
  Object.keys(b).every((k) => (a[k] ?? null) === (b[k] ?? null));

interface RefResolution {
  ref: SnapshotRef;
  /** The target's element standing for the reference, or null. */
  targetId: string | null;
  problem: 'substitute_deleted' | 'missing' | null;
  suggestion: { id: string; name: string } | null;
}

/**
 * One reference in the target: (a) the substitute registered there for (source, kind, id) — a
 * deleted substitute is `substitute_deleted`; else (b) the copy distributed from that element (a
 * distributed template stands for its origin); else missing, with an element of the same kind and
 * name there as a suggestion.
 */
async function resolveRef(
  q: Queryable,
  ref: SnapshotRef,
  source: number,
  target: number,
): Promise<RefResolution> {
  const { table, where } = tableOf(ref.kind);
  const copy =
    ref.kind === 'email_template' || ref.kind === 'sms_template'
      ? sql`(SELECT c.id::text FROM message_templates c WHERE c.account_id = ${target}
             AND c.origin_account_id = ${source} AND c.origin_id = ${ref.id}::bigint)`
      : sql`NULL::text`;
  const [row] = await rows<{
    substituteId: string | null;
    substituteLive: string | null;
    copyId: string | null;
    suggestionId: string | null;
    suggestionName: string | null;
  }>(
    q,
    sql`SELECT s.substitute_id::text AS "substituteId",
          (SELECT e.id::text FROM ${table} e WHERE e.account_id = ${target} AND e.id = s.substitute_id AND ${where}) AS "substituteLive",
          ${copy} AS "copyId",
          sg.id AS "suggestionId", sg.name AS "suggestionName"
        FROM (SELECT 1) one
        LEFT JOIN substitutes s ON s.account_id = ${target} AND s.source_account_id = ${source}
          AND s.kind = ${ref.kind} AND s.source_id = ${ref.id}::bigint
        LEFT JOIN LATERAL (SELECT e.id::text AS id, e.name FROM ${table} e
          WHERE e.account_id = ${target} AND lower(e.name) = lower(${ref.name}) AND ${where} ORDER BY e.id LIMIT 1) sg ON true`,
  );
  const suggestion = row?.suggestionId ? { id: row.suggestionId, name: row.suggestionName ?? '' } : null;
  if (row?.substituteId) {
    return row.substituteLive
      ? { ref, targetId: row.substituteLive, problem: null, suggestion: null }
      : { ref, targetId: null, problem: 'substitute_deleted', suggestion };
  }
  if (row?.copyId) return { ref, targetId: row.copyId, problem: null, suggestion: null };
  return { ref, targetId: null, problem: 'missing', suggestion };
}

/** The element the target registered as substitute for the distributed element itself, if alive. */
async function ownSubstitute(
  q: Queryable,
  snapshot: Snapshot,
  source: number,
  target: number,
): Promise<{ id: string; name: string } | null> {
  const { table, where } = tableOf(snapshot.kind);
  const [row] = await rows<{ id: string; name: string }>(
    q,
    sql`SELECT e.id::text AS id, e.name FROM substitutes s
        JOIN ${table} e ON e.account_id = ${target} AND e.id = s.substitute_id AND ${where}
        WHERE s.account_id = ${target} AND s.source_account_id = ${source}
          AND s.kind = ${snapshot.kind} AND s.source_id = ${snapshot.id}::bigint`,
  );
  return row ?? null;
}

/** Another element of the kind with this name in the target (`except`: the copy itself), if any. */
export async function sameName(
  q: Queryable,
  kind: ElementKind,
  target: number,
  name: string,
  except: string | null = null,
): Promise<string | null> {
  const { table, where } = tableOf(kind);
  const other = except === null ? sql`` : sql` AND e.id <> ${except}::bigint`;
  const [row] = await rows<{ name: string }>(
    q,
    sql`SELECT e.name FROM ${table} e
        WHERE e.account_id = ${target} AND lower(e.name) = lower(${name}) AND ${where}${other} LIMIT 1`,
  );
  return row?.name ?? null;
}

/**
 * What distributing `snapshot` from `source` into `target` does, in this order: not (or no longer)
 * a descendant; kind not accepted; a target that keeps its own element (registered as substitute
 * for the element itself, and no copy yet); a reference deleted in the source; missing substitutes
 * (all listed); then the update path (existing copy: copy_in_use, local edits per `onModified`,
 * unchanged) or the create path (name_conflict).
 */
export async function resolveTarget(
  q: Queryable,
  snapshot: Snapshot,
  source: number,
  target: number,
  onModified: OnModified,
  options: {
    /** Lock the existing copy (the run, which then writes it). */
    lockCopy?: boolean;
    /** The caller just read the subtree in the same snapshot (the dry run): skip the check. */
    knownDescendant?: boolean;
  } = {},
): Promise<Resolution> {
  if (!options.knownDescendant && !(await isDescendant(q, source, target))) return fail('not_descendant');
  if (!(await acceptsKind(q, target, snapshot.kind))) return fail('kind_not_allowed');
  const copy = await findCopy(q, snapshot, source, target, options.lockCopy);
  if (!copy) {
    const own = await ownSubstitute(q, snapshot, source, target);
    if (own) return { status: 'skipped', reason: 'kept_local', copy: own };
  }
  const deleted = snapshot.references.find((r) => r.deleted);
  if (deleted) {
    const { deleted: _, ...reference } = deleted;
    return fail('reference_deleted', { reference }, copy);
  }
  const resolved: RefResolution[] = [];
  for (const ref of snapshot.references) resolved.push(await resolveRef(q, ref, source, target));
  const problems = resolved.filter((r) => r.problem);
  if (problems.length) {
    const missing: MissingPart[] = problems.map((p) => ({
      kind: p.ref.kind,
      id: p.ref.id,
      name: p.ref.name,
      suggestion: p.suggestion,
    }));
    const reason = problems.some((p) => p.problem === 'substitute_deleted')
      ? 'substitute_deleted'
      : 'missing_substitute';
    return fail(reason, { missing }, copy);
  }
  const content = resolvedContent(snapshot, resolved);

  if (copy) {
    if (copy.status !== null && !['draft', 'cancelled'].includes(copy.status)) {
      return fail('copy_in_use', null, copy);
    }
    if (copy.locallyModified && onModified === 'skip') {
      return { status: 'skipped', reason: 'locally_modified', copy };
    }
    if (copy.locallyModified && onModified === 'keep')
      return { status: 'skipped', reason: 'kept_local', copy };
    if (sameContent(copy.content, contentText(content))) return { status: 'unchanged', copy };
    // The copy was renamed there and another element took the distributed name meanwhile.
    const taken = await sameName(q, snapshot.kind, target, snapshot.name, copy.id);
    if (taken !== null) return fail('name_conflict', { name: taken }, copy);
    return { status: 'updated', copy, content };
  }
  const taken = await sameName(q, snapshot.kind, target, snapshot.name);
  if (taken !== null) return fail('name_conflict', { name: taken });
  return { status: 'created', content };
}

function resolvedContent(snapshot: Snapshot, resolved: RefResolution[]): ResolvedContent {
  if (snapshot.template) return { template: snapshot.template };
  const m = snapshot.mailing!;
  const idIn = (kind: ElementKind, id: string) =>
    resolved.find((r) => r.ref.kind === kind && r.ref.id === id)?.targetId ?? null;
  return {
    mailing: {
      ...m,
      template_id: m.template_id ? idIn('email_template', m.template_id) : null,
      sender_profile_id: m.sender_profile_id ? idIn('sender_profile', m.sender_profile_id) : null,
      list_ids: m.list_ids.map((id) => idIn('subscriber_list', id)!),
      target_group_ids: m.target_group_ids.map((id) => idIn('target_group', id)!),
    },
  };
}
