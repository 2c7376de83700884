// Bulk action types whose items are outside calls (email, SMS, a provider's webhook). Their chunk
// is transactional like any other, but it only adds one delivery per item to the outbox (with the
// action and the item's number); the dispatcher sends them outside any transaction, and each
// delivery's final state is counted on the action in the transaction that writes it
// (`BulkRunner.settleDelivery`). The action completes when its last delivery is final; pause holds
// the deliveries not yet claimed, cancel drops them. A crash leaves at most the deliveries in flight
// uncertain (their kind's `onExpiredLease` decides).
import type { z } from 'zod';
import type { Queryable } from '../db/types.ts';
import type { ChunkContext, ChunkHandler, ItemOutcome } from './registry.ts';
import type { DeliveryKind } from './delivery/delivery-kinds.ts';
import { enqueueDeliveries } from './delivery/delivery-outbox.ts';
import type { BulkRunner } from './runner.ts';

/** What a delivery type decides per chunk: what to send to whom, and which subjects to skip or fail now. */
export interface DeliveryPlan<S extends z.ZodType> {
  send: Map<number, z.input<S>>;
  outcomes: Map<number, ItemOutcome>;
  /** When a subject's delivery is due, when not at once (drip batches, quiet hours). */
  dueAt?: Map<number, Date>;
}

/**
 * The chunk handler of a delivery type: `plan` reads what it needs for the chunk's subjects (the
 * contacts, their consent, the template) and says what to send; the deliveries are added in the
 * chunk's transaction, so they exist exactly when the chunk committed.
 */
export function deliveryChunk<P, S extends z.ZodType>(
  kind: DeliveryKind<S>,
  plan: (q: Queryable, ctx: ChunkContext<P>, subjects: readonly number[]) => Promise<DeliveryPlan<S>>,
): ChunkHandler<P> {
  return async (q, ctx, subjects) => {
    const { send, outcomes, dueAt } = await plan(q, ctx, subjects);
    const items = subjects.flatMap((subject, i) => {
      const payload = send.get(subject);
      return payload === undefined || outcomes.has(subject)
        ? []
        : [
            {
              accountId: ctx.action.accountId,
              actionId: ctx.action.id,
              seq: ctx.firstSeq + i,
              subject: payload,
              dueAt: dueAt?.get(subject),
            },
          ];
    });
    if (items.length) await enqueueDeliveries(q, kind, items);
    // A subject neither sent nor given an outcome would never be counted: it succeeded trivially.
    return { outcomes, deferred: items.length };
  };
}

/** A delivery kind for a bulk type's items: its final states are counted on their action. */
export function bulkDeliveryKind<S extends z.ZodType>(
  kind: DeliveryKind<S>,
  runner: BulkRunner,
): DeliveryKind<S> {
  return {
    ...kind,
    onFinal: async (tx, row) => {
      await kind.onFinal?.(tx, row);
      await runner.settleDelivery(tx, row);
    },
    onFinalBatch: async (tx, rows) => {
      if (kind.onFinalBatch) await kind.onFinalBatch(tx, rows);
      else for (const row of rows) await kind.onFinal?.(tx, row);
      await runner.settleDeliveries(tx, rows);
    },
  };
}
