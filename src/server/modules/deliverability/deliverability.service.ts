// Delivery results after the send: provider events (delivered, bounces, complaints, SMS failures)
// applied to the ledger monotonically and once, deliverability per address, opt-outs from
// unsubscribe links, SMS keywords and complaints, and what the contact detail shows of all this.
import { sql } from 'drizzle-orm';
import type { Clock } from '../../clock.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { readUnsubscribeToken, type UnsubscribeTarget } from './unsubscribe-links.ts';
import { AppError } from '../../errors.ts';
import { asAccountId, withTenant } from '../../db/tenant.ts';
import { rows, type Db, type Tx } from '../../db/types.ts';
import { MESSAGE_STATUS_RANK, type Channel, type OptOutSource } from '../../../shared/messaging.ts';
import type { AddressDeliverability, ContactDeliverability } from '../../../shared/deliverability.ts';
import { findDeliverability, noteBounce, noteComplaint, noteDelivered } from './deliverability.repo.ts';
import { contactIdsByPhone, listOptOuts, recordOptOut } from './opt-outs.repo.ts';
import {
  firstSight,
  lockEmailMessage,
  lockSmsMessage,
  updateLedgerRow,
  type LedgerChange,
  type LedgerRow,
} from './ledger-events.repo.ts';

/** What a provider told about one message. */
export type DeliveryEvent =
  | { type: 'delivered'; at: Date }
  | { type: 'bounce'; hard: boolean; reason: string | null; at: Date }
  | { type: 'complaint'; reason: string | null; at: Date }
  /**
   * An SMS the provider could not deliver (`reason`: a stable code; `detail`: the provider's words).
   * `phone`: what the provider's error says about the number (hard: it does not exist or cannot
   * take SMS; soft: not reachable now), or null when it says nothing about it.
   */
  | { type: 'failed'; reason: string; detail: string | null; phone: 'hard' | 'soft' | null; at: Date };

/** Which ledger row an event is about: an email by its Message-ID, an SMS by ledger id or provider id. */
export type MessageLocator =
  | { channel: 'email'; messageId: string }
  | { channel: 'sms'; ledgerId: number | null; providerMessageId: string | null };

export type EventResult = 'applied' | 'duplicate' | 'ignored';

/**
 * The ledger row's state after `event`, or null when the row does not move. States only move
 * forward (MESSAGE_STATUS_RANK): a late `delivered` does not undo `bounced`, a soft bounce after
 * a hard one keeps `hard`; a complaint is recorded beside the status. Rows never sent (skipped,
 * cancelled) do not move. So the same events in any order, or twice, end in the same state.
 */
export function nextLedgerState(row: LedgerRow, event: DeliveryEvent): LedgerChange | null {
  if (row.status === 'skipped' || row.status === 'cancelled') return null;
  const base: LedgerChange = {
    status: row.status,
    bounceType: row.bounceType,
    complained: row.complained,
    reason: null,
    detail: null,
    deliveredAt: null,
    eventAt: event.at,
  };
  const forward = (to: keyof typeof MESSAGE_STATUS_RANK) =>
    MESSAGE_STATUS_RANK[to] > MESSAGE_STATUS_RANK[row.status];
  switch (event.type) {
    case 'delivered':
      // Recorded even when a bounce came first, so the order of arrival leaves no trace.
      return { ...base, status: forward('delivered') ? 'delivered' : row.status, deliveredAt: event.at };
    case 'bounce': {
      const bounceType = event.hard ? 'hard' : 'soft';
      const reason = event.hard ? 'hard_bounce' : 'soft_bounce';
      if (forward('bounced')) return { ...base, status: 'bounced', bounceType, reason, detail: event.reason };
      if (row.status === 'bounced' && row.bounceType !== 'hard' && event.hard)
        return { ...base, bounceType, reason, detail: event.reason };
      return null;
    }
    case 'complaint':
      return row.complained ? null : { ...base, complained: true };
    case 'failed':
      // A provider's "undelivered" follows "sent" (same rank): only queued and sent rows fail.
      return row.status === 'queued' || row.status === 'sent'
        ? { ...base, status: 'failed', reason: event.reason, detail: event.detail }
        : null;
  }
}

export class DeliverabilityService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly secrets: SecretBox,
  ) {}

  /** Whom an unsubscribe token is for, or null when it is forged, altered, malformed or expired. */
  unsubscribeTarget(token: string): UnsubscribeTarget | null {
    const read = readUnsubscribeToken(this.secrets, token, this.clock.now());
    return read.ok ? read.target : null;
  }

  /**
   * Applies one provider event within `accountId`: seen before (`eventId` per provider) → nothing;
   * no such message in this account → ignored; else the ledger row moves (nextLedgerState) and the
   * address's deliverability follows (delivered, bounces); a complaint also opts the contact out of
   * email. All in one transaction, so a repeated webhook changes nothing twice.
   */
  async applyEvent(
    accountId: number,
    seen: { provider: string; eventId: string | null },
    locator: MessageLocator,
    event: DeliveryEvent,
  ): Promise<EventResult> {
    return withTenant(this.db, asAccountId(accountId), async (tx) => {
      if (seen.eventId !== null && !(await firstSight(tx, accountId, seen.provider, seen.eventId)))
        return 'duplicate';
      const row =
        locator.channel === 'email'
          ? await lockEmailMessage(tx, accountId, locator.messageId)
          : await lockSmsMessage(tx, accountId, locator);
      if (!row) return 'ignored';
      const change = nextLedgerState(row, event);
      if (change) await updateLedgerRow(tx, row, change);
      await this.followAddress(tx, row, event);
      return 'applied';
    });
  }

  private async followAddress(tx: Tx, row: LedgerRow, event: DeliveryEvent): Promise<void> {
    if (row.status === 'skipped' || row.status === 'cancelled') return;
    const { accountId, channel, address } = row;
    if (event.type === 'complaint' && channel === 'email') {
      if (address) await noteComplaint(tx, { accountId, address, reason: event.reason, at: event.at });
      await recordOptOut(tx, {
        accountId,
        contactId: row.contactId,
        channel: 'email',
        source: 'complaint',
        messageId: row.id,
        at: event.at,
      });
      return;
    }
    if (!address) return;
    if (event.type === 'delivered') await noteDelivered(tx, { accountId, channel, address, at: event.at });
    if (event.type === 'bounce')
      await noteBounce(tx, {
        accountId,
        channel,
        address,
        hard: event.hard,
        reason: event.reason,
        at: event.at,
      });
    if (event.type === 'failed' && event.phone)
      await noteBounce(tx, {
        accountId,
        channel,
        address,
        hard: event.phone === 'hard',
        reason: event.detail,
        at: event.at,
      });
  }

  /** Opts a contact out through an unsubscribe link (`one_click` from mail clients, else `unsubscribe_link`). */
  async unsubscribe(target: UnsubscribeTarget, source: OptOutSource): Promise<boolean> {
    return withTenant(this.db, asAccountId(target.accountId), (tx) =>
      recordOptOut(tx, { ...target, source, at: this.clock.now() }),
    );
  }

  /** The masked address an unsubscribe page names (`a***@example.org`), or null for an unknown contact. */
  async maskedAddress(accountId: number, contactId: number, channel: Channel): Promise<string | null> {
    const [row] = await withTenant(this.db, asAccountId(accountId), (tx) =>
      rows<{ email: string | null; phone: string | null }>(
        tx,
        sql`SELECT email, phone FROM contacts WHERE account_id = ${accountId} AND id = ${contactId} AND deleted_at IS NULL`,
      ),
    );
    if (!row) return null;
    return channel === 'email' ? maskEmail(row.email) : maskPhone(row.phone);
  }

  /**
   * An inbound SMS keyword opt-out: every live contact of the account with `phone` (E.164) is opted
   * out of SMS, source `sms_keyword`. Answers how many contacts changed.
   */
  async smsKeywordOptOut(accountId: number, phone: string): Promise<number> {
    return withTenant(this.db, asAccountId(accountId), async (tx) => {
      let changed = 0;
      for (const contactId of await contactIdsByPhone(tx, accountId, phone)) {
        // The newest SMS the contact got, so the opt-out shows what it answered.
        const [last] = await rows<{ id: number }>(
          tx,
          sql`SELECT id FROM messages WHERE account_id = ${accountId} AND contact_id = ${contactId} AND channel = 'sms'
              ORDER BY id DESC LIMIT 1`,
        );
        const done = await recordOptOut(tx, {
          accountId,
          contactId,
          channel: 'sms',
          source: 'sms_keyword',
          messageId: last ? Number(last.id) : null,
          at: this.clock.now(),
        });
        if (done) changed++;
      }
      return changed;
    });
  }

  /** The contact detail's panel: deliverability of its email and phone, and its opt-outs. */
  async forContact(accountId: number, contactId: number): Promise<ContactDeliverability> {
    return withTenant(this.db, asAccountId(accountId), async (tx) => {
      const [contact] = await rows<{ email: string | null; phone: string | null }>(
        tx,
        sql`SELECT email, phone FROM contacts WHERE account_id = ${accountId} AND id = ${contactId} AND deleted_at IS NULL`,
      );
      if (!contact) throw new AppError('NOT_FOUND', 'Contact not found');
      const of = async (channel: Channel, address: string | null): Promise<AddressDeliverability> => {
        const found = address ? await findDeliverability(tx, accountId, channel, address) : null;
        return {
          channel,
          address,
          state: found?.state ?? 'ok',
          softBounces: found?.softBounces ?? 0,
          reason: found?.reason ?? null,
          changedAt: found?.changedAt ?? null,
        };
      };
      return {
        email: await of('email', contact.email),
        sms: await of('sms', contact.phone),
        optOuts: await listOptOuts(tx, accountId, contactId),
      };
    });
  }
}

/** `jane.doe@example.org` → `j*******@example.org`: enough for the person to recognise it. */
export function maskEmail(email: string | null): string | null {
  if (!email) return null;
  const at = email.lastIndexOf('@');
  if (at <= 0) return '***';
  return `${email[0]}${'*'.repeat(Math.max(3, at - 1))}${email.slice(at)}`;
}

/** `+4915112345678` → `+49*******678`. */
export function maskPhone(phone: string | null): string | null {
  if (!phone) return null;
  return `${phone.slice(0, 3)}${'*'.repeat(Math.max(3, phone.length - 6))}${phone.slice(-3)}`;
}
