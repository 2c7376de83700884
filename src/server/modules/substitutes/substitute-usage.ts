// The element side of substitutes: an element that serves as a substitute warns before it is
// deleted (409 SUBSTITUTE_IN_USE with the usage), and its delete removes every substitute row that
// names it, as substitute or as source, in the delete's own transaction. Called by the delete of
// templates, mailings, subscriber lists, SmartLists and sender profiles.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rows, type Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import type { ElementKind, substituteUsageSchema } from '../../../shared/distribution.ts';

export type SubstituteUsage = z.infer<typeof substituteUsageSchema>;

/**
 * Where element `id` of kind `kind` in `accountId` stands in for an ancestor's element: one entry
 * per source account and kind. Runs in the element account's tenant transaction (the RLS policy of
 * `substitutes` shows it the rows whose `account_id` is its own).
 */
export async function substituteUsage(
  q: Queryable,
  accountId: AccountId,
  kind: ElementKind,
  id: number,
): Promise<SubstituteUsage> {
  // accounts holds no tenant data: the source account's name is readable from the target's transaction.
  const found = await rows<{ sourceAccountId: string; name: string; kind: ElementKind }>(
    q,
    sql`SELECT DISTINCT s.source_account_id::text AS "sourceAccountId", a.name, s.kind
        FROM substitutes s JOIN accounts a ON a.id = s.source_account_id
        WHERE s.account_id = ${accountId} AND s.kind = ${kind} AND s.substitute_id = ${id}
        ORDER BY a.name, s.kind`,
  );
  return found.map((r) => ({ sourceAccount: { id: r.sourceAccountId, name: r.name }, kind: r.kind }));
}

/**
 * Before deleting element `id` (kind `kind`) of `accountId`, inside the delete's transaction:
 * unconfirmed while it serves as a substitute → 409 SUBSTITUTE_IN_USE (details.usage); else the
 * substitute rows naming it go: those where it is the substitute, and those of descendants where it
 * is the source (they would point at nothing). Nothing is removed when the 409 is thrown.
 */
export async function releaseSubstitutes(
  q: Queryable,
  accountId: AccountId,
  kind: ElementKind,
  id: number,
  confirm: boolean,
): Promise<void> {
  if (!confirm) {
    const usage = await substituteUsage(q, accountId, kind, id);
    if (usage.length > 0)
      throw new AppError(
        'SUBSTITUTE_IN_USE',
        `Serves as substitute for ${usage.length} element(s) of ancestor accounts`,
        { usage },
      );
  }
  // Both sets are visible in this tenant's transaction: the policy admits rows whose account_id or
  // source_account_id is the current account.
  await q.execute(
    sql`DELETE FROM substitutes
        WHERE kind = ${kind}
          AND ((account_id = ${accountId} AND substitute_id = ${id})
            OR (source_account_id = ${accountId} AND source_id = ${id}))`,
  );
}
