// The copies of a source element in the account tree below it. The copies are read on the plain database with explicit account filters
// (origin = the source account, account = one of its descendants): the source may see its copies.
import { sql } from 'drizzle-orm';
import { isoTime, rows, type Queryable } from '../../db/types.ts';
import type { DistributableKind } from '../../../shared/distribution.ts';
import { copyTableOf } from '../substitutes/element-kinds.ts';
import { descendantIdsSql } from '../accounts/account-tree.ts';

export interface CopyRow {
  accountId: number;
  accountName: string;
  copyId: string;
  copyName: string;
  active: boolean;
  originVersion: number | null;
  distributedAt: string | null;
  locallyModified: boolean;
  canRollback: boolean;
}

/** The copies of the source element in the source's descendants (`onlyAccount`: in that one). */
export async function listCopies(
  q: Queryable,
  source: number,
  kind: DistributableKind,
  elementId: number,
  onlyAccount?: number,
): Promise<CopyRow[]> {
  const table = copyTableOf(kind);
  const only = onlyAccount === undefined ? sql`` : sql` AND e.account_id = ${onlyAccount}`;
  const found = await rows<CopyRow & { distributedAt: Date | string | null }>(
    q,
    sql`SELECT e.account_id::int AS "accountId", b.name AS "accountName", e.id::text AS "copyId", e.name AS "copyName",
          e.active, e.origin_version AS "originVersion", e.distributed_at AS "distributedAt",
          (e.origin_hash IS NOT NULL AND e.origin_hash <> e.content_hash) AS "locallyModified",
          EXISTS (SELECT 1 FROM element_versions v WHERE v.account_id = e.account_id
            AND v.element_kind = ${kind} AND v.element_id = e.id) AS "canRollback"
        FROM ${table} e JOIN accounts b ON b.id = e.account_id AND b.id IN ${descendantIdsSql(source)}
        WHERE e.origin_account_id = ${source} AND e.origin_id = ${elementId}${only}
        ORDER BY lower(b.name), e.account_id`,
  );
  return found.map((r) => ({
    ...r,
    accountId: Number(r.accountId),
    originVersion: r.originVersion === null ? null : Number(r.originVersion),
    distributedAt: r.distributedAt === null ? null : isoTime(r.distributedAt),
    locallyModified: Boolean(r.locallyModified),
    canRollback: Boolean(r.canRollback),
  }));
}

/**
 * The names of copies written by the source's distributions, by copy id. Read on the plain
 * database: the source's tenant transaction cannot see its targets' rows (RLS). Explicit filters
 * keep it to what the source may see: each copy in its own target account, with the source as origin.
 */
export async function copyNames(
  q: Queryable,
  source: number,
  kind: DistributableKind,
  copies: { accountId: number; copyId: string }[],
): Promise<Map<string, string>> {
  if (!copies.length) return new Map();
  const table = copyTableOf(kind);
  const accounts = `{${copies.map((c) => c.accountId).join(',')}}`;
  const ids = `{${copies.map((c) => c.copyId).join(',')}}`;
  const found = await rows<{ id: string; name: string }>(
    q,
    sql`SELECT e.id::text AS id, e.name
        FROM unnest(${accounts}::bigint[], ${ids}::bigint[]) AS c(account_id, copy_id)
        JOIN ${table} e ON e.account_id = c.account_id AND e.id = c.copy_id
        WHERE e.origin_account_id = ${source}`,
  );
  return new Map(found.map((r) => [r.id, r.name]));
}
