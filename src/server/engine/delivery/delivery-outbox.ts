import type { z } from 'zod';
import type { Queryable } from '../../db/types.ts';
import { AppError } from '../../errors.ts';
import type { DeliveryKind } from './delivery-kinds.ts';
import { insertDeliveries, type NewDelivery } from './delivery.repo.ts';

/** One row to send, its subject typed by its kind. */
export type Enqueued<S extends z.ZodType> = Omit<NewDelivery, 'kind' | 'subject'> & { subject: z.input<S> };

/**
 * Adds deliveries of `kind` to the outbox inside the caller's transaction, so they exist exactly
 * when their cause committed; the dispatcher sends them. Returns the ids of the rows added (a
 * dedupe key that exists already adds nothing).
 */
export async function enqueueDeliveries<S extends z.ZodType>(
  q: Queryable,
  kind: DeliveryKind<S>,
  items: readonly Enqueued<S>[],
): Promise<number[]> {
  const checked = items.map((item) => {
    const subject = kind.subject.safeParse(item.subject);
    if (!subject.success) {
      // A producer bug, not user input: fail the producer's transaction loudly.
      throw new AppError('INTERNAL', `Invalid subject for delivery kind '${kind.name}'`, {
        issues: subject.error.issues,
      });
    }
    return { ...item, kind: kind.name, subject: subject.data };
  });
  return insertDeliveries(q, checked);
}
