import { describe, expect, it } from 'vitest';
import type { DeliveryResults } from '../../../shared/bulk-messaging.ts';
import { deliveryBars } from './delivery-bars.ts';

const COUNTS = { queued: 2, sent: 10, delivered: 70, bounced: 6, failed: 3, skipped: 8, cancelled: 1 };

function results(bounced: { hard: number; soft: number }): DeliveryResults {
  return { channel: 'email', counts: COUNTS, bounced, complained: 0, reasons: [] };
}

describe('the delivery chart bars', () => {
  it('shows every ledger state once, with bounced split into hard and soft', () => {
    const { bars, total } = deliveryBars(results({ hard: 4, soft: 2 }));
    expect(Object.fromEntries(bars.map((bar) => [bar.key, bar.count]))).toEqual({
      queued: 2,
      sent: 10,
      delivered: 70,
      bounced_hard: 4,
      bounced_soft: 2,
      failed: 3,
      skipped: 8,
      cancelled: 1,
    });
    expect(total).toBe(100);
  });

  it('counts bounces of unknown kind as hard and never more soft ones than bounces', () => {
    expect(
      deliveryBars(results({ hard: 0, soft: 1 })).bars.find((b) => b.key === 'bounced_hard')?.count,
    ).toBe(5);
    const { bars, total } = deliveryBars(results({ hard: 0, soft: 9 }));
    expect(bars.find((b) => b.key === 'bounced_soft')?.count).toBe(6);
    expect(bars.find((b) => b.key === 'bounced_hard')?.count).toBe(0);
    expect(total).toBe(100);
  });
});
