// Ledger groups → delivery results: counts per state, bounces hard/soft, complaints, and failed /
// bounced / skipped / cancelled by reason with labels. Shared by a send's delivery results and a
// mailing's statistics, which read the groups in different queries.
import type { DeliveryResults } from '../../../shared/bulk-messaging.ts';
import { MESSAGE_STATUSES, type Channel, type MessageStatus } from '../../../shared/messaging.ts';

/** One group of ledger rows (as `ledgerGroups` reads them). */
export interface LedgerGroup {
  status: MessageStatus;
  bounceType: 'hard' | 'soft' | null;
  reason: string | null;
  count: number;
  complained: number;
}

/**
 * The delivery results of `groups`, reasons labelled by `label` and ordered most frequent first
 * (then by code). A bounce of unknown type counts as hard.
 */
export function deliveryResultsOf(
  groups: readonly LedgerGroup[],
  channel: Channel,
  label: (reason: string) => string,
): DeliveryResults {
  const counts = Object.fromEntries(MESSAGE_STATUSES.map((s) => [s, 0])) as Record<MessageStatus, number>;
  const bounced = { hard: 0, soft: 0 };
  let complained = 0;
  const reasons = new Map<string, { reason: string; status: MessageStatus; count: number }>();
  for (const g of groups) {
    counts[g.status] += g.count;
    complained += g.complained;
    if (g.status === 'bounced') bounced[g.bounceType ?? 'hard'] += g.count;
    if (g.reason && ['failed', 'bounced', 'skipped', 'cancelled'].includes(g.status)) {
      const key = `${g.status}:${g.reason}`;
      const entry = reasons.get(key) ?? { reason: g.reason, status: g.status, count: 0 };
      entry.count += g.count;
      reasons.set(key, entry);
    }
  }
  return {
    channel,
    counts,
    bounced,
    complained,
    reasons: [...reasons.values()]
      .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason))
      .map((r) => ({ ...r, label: label(r.reason) })),
  };
}
