// The columns every distributable element (message_templates, mailings) has for activation and
// origin (migration 0024), read the same way by each module: the origin badge of a distributed copy.
import { sql, type SQL } from 'drizzle-orm';
import type { Origin } from '../../shared/distribution.ts';

/** What a repository row carries besides its own columns (see `originColumns`). */
export interface OriginFields {
  active: boolean;
  version: number;
  originAccountId: number | string | null;
  originAccountName: string | null;
  originVersion: number | null;
  distributedAt: Date | string | null;
  locallyModified: boolean;
}

/**
 * SELECT list of activation and origin of the element aliased `alias` (a raw identifier, e.g. `t`).
 * The origin account's name comes from `accounts`, which holds no tenant data.
 */
export function originColumns(alias: string): SQL {
  const a = sql.raw(alias);
  return sql`${a}.active, ${a}.version, ${a}.origin_account_id::bigint AS "originAccountId",
    (SELECT oa.name FROM accounts oa WHERE oa.id = ${a}.origin_account_id) AS "originAccountName",
    ${a}.origin_version AS "originVersion", ${a}.distributed_at AS "distributedAt",
    (${a}.origin_hash IS NOT NULL AND ${a}.origin_hash <> ${a}.content_hash) AS "locallyModified"`;
}

/** The API's origin of a row read with `originColumns`: null for the account's own elements. */
export function originOf(row: OriginFields): Origin | null {
  if (row.originAccountId === null || row.originAccountId === undefined) return null;
  return {
    accountId: String(row.originAccountId),
    accountName: row.originAccountName ?? '',
    version: row.originVersion === null ? null : Number(row.originVersion),
    distributedAt: row.distributedAt === null ? null : new Date(row.distributedAt).toISOString(),
    locallyModified: Boolean(row.locallyModified),
  };
}
