// The email statistics of one mailing: its send's ledger counts and reasons (the delivery results'
// shape and words), opens and clicks, unsubscribes, the hourly timeline and the family's reach;
// the recipient table by state, and that table as a CSV streamed in keyset batches.
import { z } from 'zod';
import type { Db } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import type { Actor } from '../../jobs/types.ts';
import type { BulkTypeRegistry } from '../../engine/registry.ts';
import { reasonLabel } from '../../engine/reasons.ts';
import { csvCell } from '../../engine/reports.service.ts';
import { cursorId, decodeCursor, keysetPage } from '../../security/cursor.ts';
import type { Language } from '../../../shared/auth.ts';
import type {
  MailingRecipient,
  MailingRecipientsQuery,
  MailingStatistics,
  RecipientFilter,
} from '../../../shared/mailings.ts';
import { MESSAGE_STATUSES, type MessageStatus } from '../../../shared/messaging.ts';
import { ledgerPage, type LedgerPageRow } from '../messaging/ledger.repo.ts';
import { MESSAGING_TYPES } from '../messaging/messaging-bulk-types.ts';
import { deliveryResultsOf } from '../messaging/delivery-results.ts';
import {
  familyOf,
  findMailing,
  ledgerFigures,
  reachedContacts,
  timelineOf,
  trackingFigures,
  trackingOfMessages,
  trackingStatePage,
  unsubscribedCount,
  type MailingStatsRow,
} from './mailing-stats.repo.ts';

/** Rows per batch of the CSV export (one keyset page each; the file is never held whole). */
const CSV_BATCH = 2_000;

/** The CSV's column headers in each language (order as the rows). */
const CSV_HEADERS: Record<Language, readonly string[]> = {
  en: [
    'Address',
    'Contact ID',
    'Status',
    'Bounce type',
    'Reason',
    'Sent at',
    'Delivered at',
    'Opened at',
    'Clicks',
    'Unsubscribed',
  ],
  de: [
    'Adresse',
    'Kontakt-ID',
    'Status',
    'Bounce-Art',
    'Grund',
    'Gesendet am',
    'Zugestellt am',
    'Geöffnet am',
    'Klicks',
    'Abgemeldet',
  ],
};
const YES_NO: Record<Language, readonly [string, string]> = { en: ['yes', 'no'], de: ['ja', 'nein'] };

const isLedgerState = (state: RecipientFilter): state is MessageStatus =>
  (MESSAGE_STATUSES as readonly string[]).includes(state);

export class MailingStatsService {
  constructor(
    private readonly db: Db,
    private readonly registry: BulkTypeRegistry,
  ) {}

  /**
   * The statistics of mailing `mailingId`, reason labels in `lang`. Before the send (no action yet)
   * every count is 0 and the timeline empty. 404 NOT_FOUND for a mailing of another account.
   */
  async statistics(actor: Actor, mailingId: number, lang: Language): Promise<MailingStatistics> {
    const accountId = actor.access.accountId;
    const mailing = await this.mailing(accountId, mailingId);
    const actionId = mailing.actionId;
    // The ledger's pass and the rest (family, tracking, unsubscribes, a family's reach) run side by
    // side, each on its own connection on PostgreSQL: the page's time is the slower of the two.
    const [ledger, rest] = await Promise.all([
      actionId ? withTenant(this.db, accountId, (tx) => ledgerFigures(tx, accountId, actionId)) : null,
      withTenant(this.db, accountId, async (tx) => {
        const family = await familyOf(tx, accountId, mailing.rootId);
        const actionIds = family.flatMap((m) => (m.actionId === null ? [] : [m.actionId]));
        // One ledger row per contact and action: a family of this send alone reached its sent and
        // delivered rows, which the ledger's pass counts anyway (null: take them from there).
        const alone = actionIds.length === 1 && actionIds[0] === actionId;
        return {
          family,
          reached: alone ? null : await reachedContacts(tx, accountId, actionIds),
          figures: actionId ? await trackingFigures(tx, accountId, actionId) : null,
          unsubscribed: actionId ? await unsubscribedCount(tx, accountId, actionId) : 0,
        };
      }),
    ]);
    const results = deliveryResultsOf(ledger?.groups ?? [], 'email', (reason) =>
      reasonLabel(this.registry, MESSAGING_TYPES.email, reason, lang),
    );
    return {
      mailingId: String(mailing.id),
      status: mailing.status,
      recipientsAtSend: mailing.recipientsAtSend,
      counts: results.counts,
      bounced: results.bounced,
      complained: results.complained,
      unsubscribed: rest.unsubscribed,
      reasons: results.reasons,
      tracking: mailing.tracking,
      opens: rest.figures?.totals.opens ?? { unique: 0, total: 0 },
      clicks: rest.figures?.totals.clicks ?? { unique: 0, total: 0, links: [] },
      timeline: timelineOf(...[ledger?.hours, rest.figures?.hours].filter((h) => h !== undefined)),
      family: {
        reached: rest.reached ?? results.counts.sent + results.counts.delivered,
        mailings: rest.family.map((m) => ({ id: String(m.id), name: m.name, status: m.status })),
      },
    };
  }

  /**
   * One keyset page of the mailing's recipients (ledger rows in id order), all or those in `state`:
   * a ledger status, or `opened` / `clicked` / `unsubscribed`. Empty before the send. 404 for
   * another account's mailing, 400 VALIDATION_FAILED for a cursor this API did not issue.
   */
  async recipients(
    actor: Actor,
    mailingId: number,
    query: MailingRecipientsQuery,
  ): Promise<{ items: MailingRecipient[]; nextCursor: string | null }> {
    const accountId = actor.access.accountId;
    const mailing = await this.mailing(accountId, mailingId);
    const afterId = query.cursor ? decodeCursor(query.cursor, z.tuple([cursorId]))[0] : 0;
    const found = await this.page(accountId, mailing, query.state, afterId, query.limit);
    return keysetPage(
      found,
      query.limit,
      (r) => r,
      (last) => [Number(last.messageId)],
    );
  }

  /**
   * The recipients in `state` (all when undefined) as CSV lines, headers in `lang`: address,
   * contact id, status, bounce type, reason (words in `lang`), sent / delivered / opened at (ISO),
   * clicks, unsubscribed. Streamed in keyset batches; cells are formula-safe (`csvCell`). The
   * mailing is checked before the first line, so a 404 comes before the stream starts.
   */
  async *recipientsCsv(
    actor: Actor,
    mailingId: number,
    state: RecipientFilter | undefined,
    lang: Language,
  ): AsyncGenerator<string> {
    const accountId = actor.access.accountId;
    const mailing = await this.mailing(accountId, mailingId);
    const [yes, no] = YES_NO[lang];
    yield '\ufeff' + CSV_HEADERS[lang].map(csvCell).join(',') + '\r\n';
    let afterId = 0;
    for (;;) {
      const found = await this.page(accountId, mailing, state, afterId, CSV_BATCH);
      const batch = found.slice(0, CSV_BATCH);
      if (batch.length === 0) return;
      yield (
        batch
          .map((r) =>
            [
              r.address,
              r.contactId,
              r.status,
              r.bounceType,
              r.reason === null ? null : reasonLabel(this.registry, MESSAGING_TYPES.email, r.reason, lang),
              r.sentAt,
              r.deliveredAt,
              r.openedAt,
              r.clicks,
              r.unsubscribed ? yes : no,
            ]
              .map(csvCell)
              .join(','),
          )
          .join('\r\n') + '\r\n'
      );
      if (found.length <= CSV_BATCH) return;
      afterId = Number(batch.at(-1)!.messageId);
    }
  }

  /** `limit + 1` recipients after ledger id `afterId`, with their tracking facts. */
  private async page(
    accountId: AccountId,
    mailing: MailingStatsRow,
    state: RecipientFilter | undefined,
    afterId: number,
    limit: number,
  ): Promise<MailingRecipient[]> {
    const actionId = mailing.actionId;
    if (actionId === null) return [];
    return withTenant(this.db, accountId, async (tx) => {
      const found: LedgerPageRow[] =
        state === undefined || isLedgerState(state)
          ? await ledgerPage(tx, accountId, actionId, { status: state, afterId, limit })
          : await trackingStatePage(tx, accountId, actionId, { state, afterId, limit });
      const tracking = await trackingOfMessages(
        tx,
        accountId,
        found.map((r) => r.id),
      );
      return found.map((r) => {
        const t = tracking.get(r.id);
        return {
          messageId: String(r.id),
          contactId: String(r.contactId),
          address: r.address,
          status: r.status,
          bounceType: r.bounceType,
          reason: r.reason,
          sentAt: r.sentAt,
          deliveredAt: r.deliveredAt,
          openedAt: t?.openedAt ?? null,
          clicks: t?.clicks ?? 0,
          unsubscribed: t?.unsubscribed ?? false,
        };
      });
    });
  }

  /** The mailing of the account; 404 NOT_FOUND otherwise (another account's is not found either). */
  private async mailing(accountId: AccountId, mailingId: number): Promise<MailingStatsRow> {
    const found = await withTenant(this.db, accountId, (tx) => findMailing(tx, accountId, mailingId));
    if (!found) throw new AppError('NOT_FOUND', 'Mailing not found');
    return found;
  }
}
