// The bulk action types `bulk_email` and `bulk_sms`: items are the contacts of a frozen selection;
// each chunk reads its contacts in one statement (consent, address, deliverability, merge values),
// writes the ledger rows (queued, or skipped with a reason) and one delivery per queued row, with
// its due time (drip batches, quiet hours), in the chunk's transaction. The dispatcher sends them.
import { sql } from 'drizzle-orm';
import type { z } from 'zod';
import { asAccountId } from '../../db/tenant.ts';
import type { Queryable } from '../../db/types.ts';
import type { BulkTypeRegistry, ItemOutcome, ItemSource } from '../../engine/registry.ts';
import type { BulkActionRow } from '../../engine/actions.repo.ts';
import type { DeliveryKind } from '../../engine/delivery/delivery-kinds.ts';
import { deliveryChunk } from '../../engine/delivery-types.ts';
import { CONTROLS_BY_TYPE, RIGHTS_BY_TYPE } from '../../../shared/bulk-actions.ts';
import type { Channel } from '../../../shared/messaging.ts';
import { contactSourceSchema } from '../contacts/contact-bulk-types.ts';
import { maxContactId } from '../contacts/contact-bulk-chunks.ts';
import type { SelectionService } from '../selections/selection.service.ts';
import {
  bulkMessageId,
  bulkMessagingParamsSchema,
  LruCache,
  type BulkMessagingParams,
} from './messaging-content.ts';
import { valuesForContacts } from '../templates/merge-fields.ts';
import { MESSAGING_REASONS, messagingName, messagingTopic } from './messaging-reasons.ts';
import { cancelQueuedOfAction, insertLedgerRows, readRecipients, type NewLedgerRow } from './ledger.repo.ts';
import { sendTimes } from './send-times.ts';
import type { messageSubject } from './messaging-kinds.ts';

export const MESSAGING_TYPES = { email: 'bulk_email', sms: 'bulk_sms' } as const;

/**
 * What a feature built on bulk email adds to its actions (modules/mailings): items from a source
 * that is not a selection (a mailing's audience; answer undefined for any other source), and its
 * own end and failure handling in the engine's transactions (see BulkTypeSpec onEnded/onFailed).
 */
export interface MessagingSendHooks {
  items?(q: Queryable, action: BulkActionRow, source: unknown): Promise<ItemSource | undefined>;
  onEnded?(
    q: Queryable,
    action: BulkActionRow,
    now: Date,
    ending: 'completed' | 'cancelled',
  ): Promise<void | 'notified'>;
  onFailed?(q: Queryable, action: BulkActionRow, reason: string, now: Date): Promise<void | 'notified'>;
}

/** Whether bulk messaging params belong to a standard mailing's send (`mailing` set). */
const isMailingSend = (params: Record<string, unknown>): boolean =>
  typeof params.mailing === 'object' && params.mailing !== null;

/** Registers both types with the kinds that send their items. */
export function registerMessagingBulkTypes(
  registry: BulkTypeRegistry,
  selections: SelectionService,
  kinds: Record<Channel, DeliveryKind<typeof messageSubject>>,
  hooks: () => MessagingSendHooks = () => ({}),
): void {
  const fromSelection = async (q: Queryable, action: BulkActionRow, source: unknown) => {
    const own = await hooks().items?.(q, action, source);
    if (own) return own;
    const { selection } = contactSourceSchema.parse(source);
    const where = await selections.predicate(q, asAccountId(action.accountId), selection);
    return (after: number, limit: number) =>
      sql`SELECT c.id, c.id AS key FROM contacts c WHERE ${where} AND c.id > ${after} ORDER BY c.id LIMIT ${limit}`;
  };
  // A drip schedule per action, memoised (its batches' times depend on the ones before).
  const schedules = new LruCache<number, (seq: number) => Date | null>(64);

  for (const channel of ['email', 'sms'] as const) {
    const type = MESSAGING_TYPES[channel];
    registry.register<BulkMessagingParams>({
      type,
      params: bulkMessagingParamsSchema,
      controls: CONTROLS_BY_TYPE[type],
      rights: RIGHTS_BY_TYPE[type],
      items: fromSelection,
      maxSubject: maxContactId,
      chunk: deliveryChunk(kinds[channel], async (q, ctx, subjects) => {
        const p = ctx.params;
        const target = { accountId: ctx.action.accountId, actionId: ctx.action.id, channel };
        const recipients = await readRecipients(q, target, subjects);
        const start = ctx.action.startedAt ? new Date(ctx.action.startedAt) : ctx.now;
        let dueOf = schedules.get(ctx.action.id);
        if (!dueOf) {
          dueOf = sendTimes(p, start, ctx.now);
          if (p.drip) schedules.set(ctx.action.id, dueOf);
        }
        const outcomes = new Map<number, ItemOutcome>();
        const ledger: NewLedgerRow[] = [];
        const seen = new Set<string>();
        recipients.forEach((r, i) => {
          const seq = ctx.firstSeq + i;
          const reason = !r.live
            ? 'contact_deleted'
            : (r.skip ?? (r.earlier || seen.has(r.address!) ? 'duplicate_address' : null));
          if (reason) {
            outcomes.set(r.contactId, { outcome: 'skipped', reason, label: r.address });
            ledger.push({
              contactId: r.contactId,
              seq,
              address: r.address,
              status: 'skipped',
              reason,
              messageId: null,
            });
            return;
          }
          seen.add(r.address!);
          ledger.push({
            contactId: r.contactId,
            seq,
            address: r.address,
            status: 'queued',
            reason: null,
            messageId:
              channel === 'email'
                ? bulkMessageId(ctx.action.id, r.contactId, p.sender?.fromAddress ?? '')
                : null,
          });
        });
        const ids = await insertLedgerRows(q, target, ledger, ctx.now);
        const queued = ledger.filter((l) => l.status === 'queued').map((l) => l.contactId);
        const values = await valuesForContacts(q, asAccountId(target.accountId), queued, p.fields);
        const send = new Map<number, z.input<typeof messageSubject>>();
        const dueAt = new Map<number, Date>();
        recipients.forEach((r, i) => {
          if (outcomes.has(r.contactId)) return;
          send.set(r.contactId, {
            m: ids.get(r.contactId)!,
            a: ctx.action.id,
            c: r.contactId,
            to: r.address!,
            v: values.get(r.contactId) ?? {},
          });
          const due = dueOf(ctx.firstSeq + i);
          if (due) dueAt.set(r.contactId, due);
        });
        return { send, outcomes, dueAt };
      }),
      derive: { retry_failed: { type, params: (_s, p) => ({ ...p }) } },
      // A standard mailing's send is one of its family's: a retry would send outside the family's
      // memory (nobody twice). Its failed recipients are reached by the re-send with includeFailed.
      allows: (row, control) => !(control === 'retry_failed' && isMailingSend(row.params)),
      name: (lang, n, p) => messagingName(channel, n, lang, messagingTopic(p)),
      reasons: MESSAGING_REASONS,
      // A cancel: the ledger rows of deliveries it cancelled (unclaimed) become cancelled.
      onEnded: async (q, action, now, ending) => {
        await cancelQueuedOfAction(q, action.accountId, action.id, now);
        return hooks().onEnded?.(q, action, now, ending);
      },
      onFailed: async (q, action, reason, now) => hooks().onFailed?.(q, action, reason, now),
    });
  }
}
