import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../db/types.ts';
import type { AccountId } from '../db/tenant.ts';
import type { ItemOutcome } from './registry.ts';

/**
 * Records why items were not changed (failures and skips only: a changed item is the absence of an
 * outcome). One statement for the chunk, the values passed as one JSON parameter.
 */
export async function insertOutcomes(
  q: Queryable,
  action: { id: number; accountId: number },
  outcomes: ReadonlyMap<number, ItemOutcome>,
  at: Date,
): Promise<void> {
  if (outcomes.size === 0) return;
  const list = [...outcomes].map(([id, o]) => ({
    id,
    outcome: o.outcome,
    reason: o.reason,
    label: o.label ?? null,
    details: o.details ?? null,
  }));
  await q.execute(sql`
    INSERT INTO bulk_action_outcomes (action_id, subject_id, account_id, outcome, reason, label, details, at)
    SELECT ${action.id}, o.id, ${action.accountId}, o.outcome, o.reason, o.label, o.details, ${at.toISOString()}::timestamptz
    FROM jsonb_to_recordset(${JSON.stringify(list)}::jsonb) AS o(id bigint, outcome text, reason text, label text, details jsonb)`);
}

export async function reasonCounts(q: Queryable, accountId: AccountId, actionId: number) {
  return rows<{ outcome: 'failed' | 'skipped'; reason: string; count: number }>(
    q,
    sql`SELECT outcome, reason, count(*)::int AS count FROM bulk_action_outcomes
        WHERE account_id = ${accountId} AND action_id = ${actionId} GROUP BY outcome, reason ORDER BY count(*) DESC, reason`,
  );
}

/** One page of the error log in subject order (keyset), for streaming the CSV. */
export async function outcomesPage(
  q: Queryable,
  accountId: AccountId,
  actionId: number,
  afterSubject: number,
  limit: number,
) {
  return rows<{
    subjectId: number;
    outcome: string;
    reason: string;
    label: string | null;
    details: Record<string, unknown> | null;
  }>(
    q,
    sql`SELECT subject_id AS "subjectId", outcome, reason, label, details FROM bulk_action_outcomes
        WHERE account_id = ${accountId} AND action_id = ${actionId} AND subject_id > ${afterSubject}
        ORDER BY subject_id LIMIT ${limit}`,
  );
}

/** Forgets the labels (emails, phones) of an action's error log: its subjects were deleted for good. */
export async function forgetLabels(q: Queryable, actionId: number): Promise<void> {
  await q.execute(sql`UPDATE bulk_action_outcomes SET label = NULL WHERE action_id = ${actionId}`);
}
