import type { DeliveryResults } from '../../../shared/bulk-messaging.ts';

/** The chart's states: the ledger's, with bounced split into hard and soft. */
export const DELIVERY_BARS = [
  { key: 'queued', color: 'gray.5' },
  { key: 'sent', color: 'blue.6' },
  { key: 'delivered', color: 'green.6' },
  { key: 'bounced_hard', color: 'red.8' },
  { key: 'bounced_soft', color: 'orange.5' },
  { key: 'failed', color: 'red.5' },
  { key: 'skipped', color: 'yellow.5' },
  { key: 'cancelled', color: 'dark.3' },
] as const;
export type DeliveryBarKey = (typeof DELIVERY_BARS)[number]['key'];

/**
 * The count of each bar, and their total (every ledger row once). Bounced rows whose type the
 * server did not tell (neither hard nor soft) count as hard: a bounce of unknown kind stops sends
 * to the address as a hard one does.
 */
export function deliveryBars(results: DeliveryResults): {
  bars: { key: DeliveryBarKey; color: string; count: number }[];
  total: number;
} {
  const counts = results.counts;
  const bounced = counts.bounced ?? 0;
  const soft = Math.min(results.bounced.soft, bounced);
  const of: Record<DeliveryBarKey, number> = {
    queued: counts.queued ?? 0,
    sent: counts.sent ?? 0,
    delivered: counts.delivered ?? 0,
    bounced_hard: bounced - soft,
    bounced_soft: soft,
    failed: counts.failed ?? 0,
    skipped: counts.skipped ?? 0,
    cancelled: counts.cancelled ?? 0,
  };
  const bars = DELIVERY_BARS.map((bar) => ({ ...bar, count: of[bar.key] }));
  return { bars, total: bars.reduce((sum, bar) => sum + bar.count, 0) };
}
