// SQL of the `substitutes` table, seen from the source account (the ancestor whose elements the
// rows stand for), and of `distribution_settings` (accepted kinds).
import { sql, type SQL } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import type { DistributableKind, ElementKind } from '../../../shared/distribution.ts';
import { descendantIdsSql } from '../accounts/account-tree.ts';
import { elementNameSql } from './element-kinds.ts';

/** A substitute row with the names of its accounts and elements (null name: deleted since). */
export interface SubstituteRow {
  id: number;
  targetAccountId: number;
  targetAccountName: string;
  kind: ElementKind;
  sourceId: number;
  sourceName: string | null;
  substituteId: number;
  substituteName: string | null;
  updatedAt: string;
}

export interface SubstituteFilter {
  targetAccountId?: number;
  kind?: ElementKind;
  sourceId?: number;
  search?: string;
  ids?: number[];
  afterId?: number;
  limit: number;
}

const idArray = (ids: readonly number[]) => `{${ids.join(',')}}`;

/**
 * The source account's substitutes, by id, with names. Runs on the plain db: the substitutes'
 * elements live in the target accounts, which the source's tenant transaction cannot read; every
 * row is filtered to `source_account_id = sourceId` and to targets below it.
 */
export async function listSubstitutes(
  q: Queryable,
  sourceId: AccountId,
  f: SubstituteFilter,
): Promise<SubstituteRow[]> {
  const sourceName = elementNameSql(sql`s.kind`, sql`s.source_account_id`, sql`s.source_id`);
  const substituteName = elementNameSql(sql`s.kind`, sql`s.account_id`, sql`s.substitute_id`);
  const where: SQL[] = [
    sql`s.source_account_id = ${sourceId}`,
    sql`s.account_id IN ${descendantIdsSql(sourceId)}`,
  ];
  if (f.targetAccountId !== undefined) where.push(sql`s.account_id = ${f.targetAccountId}`);
  if (f.kind) where.push(sql`s.kind = ${f.kind}`);
  if (f.sourceId !== undefined) where.push(sql`s.source_id = ${f.sourceId}`);
  if (f.ids) where.push(sql`s.id = ANY(${idArray(f.ids)}::bigint[])`);
  if (f.afterId !== undefined) where.push(sql`s.id > ${f.afterId}`);
  const found = await rows<Record<string, unknown>>(
    q,
    sql`SELECT * FROM (
          SELECT s.id::bigint AS id, s.account_id::bigint AS "targetAccountId", a.name AS "targetAccountName",
            s.kind, s.source_id::bigint AS "sourceId", ${sourceName} AS "sourceName",
            s.substitute_id::bigint AS "substituteId", ${substituteName} AS "substituteName",
            s.updated_at AS "updatedAt"
          FROM substitutes s JOIN accounts a ON a.id = s.account_id
          WHERE ${sql.join(where, sql` AND `)}) x
        ${
          f.search
            ? sql`WHERE strpos(lower(coalesce(x."sourceName", '')), lower(${f.search})) > 0
                     OR strpos(lower(coalesce(x."substituteName", '')), lower(${f.search})) > 0`
            : sql``
        }
        ORDER BY x.id LIMIT ${f.limit}`,
  );
  return found.map((r) => ({
    ...(r as unknown as SubstituteRow),
    id: Number(r.id),
    targetAccountId: Number(r.targetAccountId),
    sourceId: Number(r.sourceId),
    substituteId: Number(r.substituteId),
    updatedAt: new Date(r.updatedAt as string).toISOString(),
  }));
}

/** Inserts or re-points the substitute for (target, kind, source id); answers its id. */
export async function upsertSubstitute(
  q: Queryable,
  sourceId: AccountId,
  s: { targetAccountId: number; kind: ElementKind; sourceId: number; substituteId: number },
  userId: number,
  now: Date,
): Promise<number> {
  const [row] = await rows<{ id: number }>(
    q,
    sql`INSERT INTO substitutes (account_id, source_account_id, kind, source_id, substitute_id, created_by, created_at, updated_at)
        VALUES (${s.targetAccountId}, ${sourceId}, ${s.kind}, ${s.sourceId}, ${s.substituteId}, ${userId}, ${now}, ${now})
        ON CONFLICT (account_id, kind, source_id) DO UPDATE
          SET substitute_id = EXCLUDED.substitute_id, source_account_id = EXCLUDED.source_account_id,
              updated_at = EXCLUDED.updated_at
        RETURNING id::bigint AS id`,
  );
  return Number(row!.id);
}

/** Deletes the source's substitutes among `ids`; answers how many went. */
export async function deleteSubstitutes(
  q: Queryable,
  sourceId: AccountId,
  ids: readonly number[],
): Promise<number> {
  const gone = await rows(
    q,
    sql`DELETE FROM substitutes WHERE source_account_id = ${sourceId} AND id = ANY(${idArray(ids)}::bigint[])
        RETURNING id`,
  );
  return gone.length;
}

/** The kinds the account accepts (null: no setting, all of them). */
export async function acceptedKinds(q: Queryable, accountId: AccountId): Promise<DistributableKind[] | null> {
  const [row] = await rows<{ kinds: DistributableKind[] }>(
    q,
    sql`SELECT accepted_kinds AS kinds FROM distribution_settings WHERE account_id = ${accountId}`,
  );
  return row ? row.kinds : null;
}

export async function saveAcceptedKinds(
  q: Queryable,
  accountId: AccountId,
  kinds: readonly DistributableKind[],
  userId: number,
  now: Date,
): Promise<void> {
  await q.execute(
    sql`INSERT INTO distribution_settings (account_id, accepted_kinds, updated_at, updated_by)
        VALUES (${accountId}, ${`{${kinds.join(',')}}`}::text[], ${now}, ${userId})
        ON CONFLICT (account_id) DO UPDATE
          SET accepted_kinds = EXCLUDED.accepted_kinds, updated_at = EXCLUDED.updated_at,
              updated_by = EXCLUDED.updated_by`,
  );
}
