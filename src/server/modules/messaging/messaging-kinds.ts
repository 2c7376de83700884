// The delivery kinds `bulk_email` and `bulk_sms`: one call to the SMTP server or SMS provider per
// ledger row, made by the delivery dispatcher outside any transaction. The message is rendered at
// send time from the action's content snapshot (compiled once per process and action) and the
// recipient's merge values carried in the delivery. `onFinal` moves the ledger row forward in the
// transaction that writes the delivery's final state; a send whose process died is sent again
// ('retry': duplicates at most the messages in flight, recognisable by their stable Message-ID).
import { z } from 'zod';
import type { Clock } from '../../clock.ts';
import { sql } from 'drizzle-orm';
import { rows, type Db, type Tx } from '../../db/types.ts';
import { asAccountId, withTenant } from '../../db/tenant.ts';
import { findAction } from '../../engine/actions.repo.ts';
import type {
  DeliveryKind,
  FinalDelivery,
  SendContext,
  SendOutcome,
} from '../../engine/delivery/delivery-kinds.ts';
import { EmailSendError, isRecipientRefusal } from '../../adapters/email-transport.ts';
import { SmsSendError } from '../../adapters/sms-channel.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { addressKey, noteBounce, undeliverable } from '../deliverability/deliverability.repo.ts';
import { unsubscribeUrl } from '../deliverability/unsubscribe-links.ts';
import { trackEmailHtml } from '../tracking/tracking-links.ts';
import type { MessagingChannels } from '../senders/channels.ts';
import {
  bulkMessageId,
  bulkMessagingParamsSchema,
  compileContent,
  LruCache,
  renderEmail,
  renderSms,
  type BulkMessagingParams,
  type CompiledContent,
} from './messaging-content.ts';
import { markSent, settleLedgerRow, type LedgerOutcome } from './ledger.repo.ts';

/** What a bulk message's delivery carries: ledger row, action, contact, address, merge values. */
export const messageSubject = z.object({
  m: z.number().int(),
  a: z.number().int(),
  c: z.number().int(),
  to: z.string(),
  v: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]).optional()),
});
export type MessageSubject = z.infer<typeof messageSubject>;

export interface MessagingKindDeps {
  db: Db;
  clock: Clock;
  secrets: SecretBox;
  publicUrl: string;
  /** The channels in use (read at send time). */
  channels: () => MessagingChannels;
}

/** Time limits and retries; tests and the crash test use shorter ones. */
export interface MessagingKindOptions {
  emailTimeoutMs?: number;
  smsTimeoutMs?: number;
  retryBaseMs?: number;
  retryLimit?: number;
}

const UNSUBSCRIBE_WORDS = {
  en: { link: 'Unsubscribe', line: 'To stop receiving these emails, unsubscribe here:' },
  de: {
    link: 'Abmelden',
    line: 'Wenn Sie diese E-Mails nicht mehr erhalten möchten, melden Sie sich hier ab:',
  },
} as const;

const escapeAttr = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The footer with the unsubscribe link, before `</body>` when there is one. */
function withFooter(
  html: string,
  text: string,
  url: string,
  lang: 'en' | 'de',
): { html: string; text: string } {
  const words = UNSUBSCRIBE_WORDS[lang];
  const footer = `<p style="font-size:12px;color:#666">${words.line} <a href="${escapeAttr(url)}">${words.link}</a></p>`;
  const at = html.search(/<\/body>/i);
  return {
    html: at >= 0 ? `${html.slice(0, at)}${footer}${html.slice(at)}` : `${html}\n${footer}`,
    text: `${text}\n\n${words.line} ${url}\n`,
  };
}

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Builds both kinds (register them wrapped with `bulkDeliveryKind`). */
export function messagingKinds(deps: MessagingKindDeps, options: MessagingKindOptions = {}) {
  const contents = new LruCache<number, { params: BulkMessagingParams; content: CompiledContent }>(64);
  const settings = new LruCache<
    number,
    { at: number; token: string | null; provider: string | null; from: string | null }
  >(1_000);

  /** The action's content, compiled once per process. */
  async function contentOf(accountId: number, actionId: number) {
    const cached = contents.get(actionId);
    if (cached) return cached;
    const account = asAccountId(accountId);
    const action = await withTenant(deps.db, account, (tx) => findAction(tx, account, actionId));
    if (!action) throw new Error(`Bulk action ${actionId} is gone`);
    const params = bulkMessagingParamsSchema.parse(action.params);
    const entry = { params, content: compileContent(params) };
    contents.set(actionId, entry);
    return entry;
  }

  /** The account's SMS sender and webhook token (cached a minute). */
  async function settingsOf(accountId: number) {
    const cached = settings.get(accountId);
    if (cached && Date.now() - cached.at < 60_000) return cached;
    const account = asAccountId(accountId);
    const [row] = await withTenant(deps.db, account, (tx) =>
      rows<{ token: string; provider: string | null; from: string | null }>(
        tx,
        sql`SELECT webhook_token AS token, sms_provider AS provider, sms_from AS "from"
            FROM messaging_settings WHERE account_id = ${accountId}`,
      ),
    );
    const entry = {
      at: Date.now(),
      token: row?.token ?? null,
      provider: row?.provider ?? null,
      from: row?.from ?? null,
    };
    settings.set(accountId, entry);
    return entry;
  }

  async function sendEmail(s: MessageSubject, ctx: SendContext): Promise<SendOutcome> {
    const { params, content } = await contentOf(ctx.accountId, s.a);
    const url = unsubscribeUrl(
      deps.secrets,
      deps.publicUrl,
      { accountId: ctx.accountId, contactId: s.c, channel: 'email', messageId: s.m },
      deps.clock.now(),
    );
    let rendered;
    try {
      rendered = renderEmail(content, { ...s.v, unsubscribe_url: url });
    } catch (err) {
      return { status: 'failed', reason: 'render_failed', error: message(err) };
    }
    const sender = params.sender ?? {
      fromName: 'Herald',
      fromAddress: 'no-reply@herald.invalid',
      replyTo: null,
    };
    const footed = withFooter(rendered.html, rendered.text, url, params.language);
    const { text } = footed;
    // Tracked sends (mailings with tracking on): links redirect through /t/c/…, an open pixel is added.
    const html = params.tracking
      ? trackEmailHtml(
          deps.secrets,
          deps.publicUrl,
          { accountId: ctx.accountId, messageId: s.m, unsubscribeUrl: url },
          footed.html,
          deps.clock.now(),
        )
      : footed.html;
    const messageId = bulkMessageId(s.a, s.c, sender.fromAddress);
    const channel = await deps.channels().email(ctx.accountId);
    try {
      const accepted = await channel.send(
        {
          from: { name: sender.fromName, address: sender.fromAddress },
          replyTo: sender.replyTo,
          to: s.to,
          subject: rendered.subject,
          html,
          text,
          messageId,
          headers: {
            'List-Unsubscribe': `<${url}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            Precedence: 'bulk',
          },
        },
        ctx.signal,
      );
      return channel.kind === 'outbox'
        ? {
            status: 'sent',
            outboxed: true,
            result: { messageId, to: s.to, subject: rendered.subject, html, text },
          }
        : { status: 'sent', result: { messageId, response: accepted.response.slice(0, 500) } };
    } catch (err) {
      if (err instanceof EmailSendError && !err.temporary) {
        // Only a refusal of the recipient is a hard bounce; a refused sender, login or content fails
        // the message without marking the address (it would mark every recipient of the send).
        return isRecipientRefusal(err)
          ? {
              status: 'failed',
              reason: 'hard_bounce',
              error: err.message,
              result: { bounce: 'hard', code: err.responseCode ?? null },
            }
          : {
              status: 'failed',
              reason: 'smtp_rejected',
              error: err.message,
              result: { code: err.responseCode ?? null, command: err.command ?? null },
            };
      }
      return { status: 'retry', error: message(err) };
    }
  }

  async function sendSms(s: MessageSubject, ctx: SendContext): Promise<SendOutcome> {
    const channels = deps.channels();
    const sms = await channels.sms(ctx.accountId);
    if (!sms) return { status: 'failed', reason: 'sms_not_configured', error: 'No SMS provider is set up' };
    const { content } = await contentOf(ctx.accountId, s.a);
    let body: string;
    try {
      body = renderSms(content, s.v);
    } catch (err) {
      return { status: 'failed', reason: 'render_failed', error: message(err) };
    }
    const account = await settingsOf(ctx.accountId);
    const statusCallbackUrl = account.token
      ? `${deps.publicUrl.replace(/\/$/, '')}/api/hooks/${account.token}/sms/${sms.provider}/status?m=${s.m}`
      : undefined;
    try {
      const accepted = await sms.send(
        { to: s.to, from: account.from ?? '', body, statusCallbackUrl, reference: String(s.m) },
        ctx.signal,
      );
      return {
        status: 'sent',
        result: { providerMessageId: accepted.providerMessageId, segments: accepted.segments ?? null },
      };
    } catch (err) {
      if (err instanceof SmsSendError) {
        if (err.kind === 'rate_limited') {
          const retryAfterMs = err.retryAfterMs ?? 1_000;
          // Every worker slows down for this transport, not only this message.
          await channels.backoff?.(sms.key, retryAfterMs).catch(() => undefined);
          return { status: 'retry', error: err.message, retryAfterMs };
        }
        if (err.kind === 'permanent') {
          return {
            status: 'failed',
            reason: 'provider_rejected',
            error: err.message,
            result: { code: err.code ?? null },
          };
        }
      }
      return { status: 'retry', error: message(err) };
    }
  }

  /**
   * Right before a send (after its rate-limit token): is it still wanted? Consent, deliverability and
   * the address were checked when the send was planned, but a drip batch or a message held by quiet
   * hours goes out much later, and meanwhile the recipient may have opted out, bounced, changed or
   * been deleted, and the action may have been paused or cancelled. One indexed read per message.
   */
  async function admit(
    channel: 'email' | 'sms',
    s: MessageSubject,
    ctx: SendContext,
  ): Promise<SendOutcome | null> {
    const channels = deps.channels();
    if (channel === 'email') await channels.acquire((await channels.email(ctx.accountId)).key, ctx.signal);
    else {
      const sms = await channels.sms(ctx.accountId);
      if (sms) await channels.acquire(sms.key, ctx.signal);
    }
    const address = channel === 'email' ? sql`lower(c.email)` : sql`c.phone`;
    const consent = channel === 'email' ? sql`c.email_consent` : sql`c.sms_consent`;
    const account = asAccountId(ctx.accountId);
    const [now] = await withTenant(deps.db, account, (tx) =>
      rows<{
        actionStatus: string;
        live: boolean | null;
        consent: string | null;
        address: string | null;
        blocked: boolean | null;
      }>(
        tx,
        sql`SELECT a.status AS "actionStatus", c.deleted_at IS NULL AS live, ${consent} AS consent,
                   ${address} AS address, ${undeliverable(ctx.accountId, channel, address)} AS blocked
            FROM bulk_actions a
            LEFT JOIN contacts c ON c.id = ${s.c} AND c.account_id = ${ctx.accountId}
            WHERE a.id = ${s.a} AND a.account_id = ${ctx.accountId}`,
      ),
    );
    if (!now || now.actionStatus === 'cancelled' || now.actionStatus === 'failed') {
      return {
        status: 'failed',
        reason: 'cancelled',
        error: 'The send was cancelled before this message went out',
      };
    }
    if (now.actionStatus !== 'in_progress') {
      // Paused (or not yet resumed): back to pending; the dispatcher claims nothing of a paused action.
      return { status: 'retry', error: `The send is ${now.actionStatus}`, retryAfterMs: 1_000 };
    }
    if (!now.live)
      return { status: 'failed', reason: 'contact_deleted', error: 'The contact was deleted meanwhile' };
    if (now.consent !== 'subscribed')
      return { status: 'failed', reason: 'no_consent', error: 'The recipient opted out meanwhile' };
    if (now.address !== addressKey(channel, s.to)) {
      return { status: 'failed', reason: 'address_changed', error: 'The address changed meanwhile' };
    }
    if (now.blocked)
      return {
        status: 'failed',
        reason: 'undeliverable',
        error: 'The address became undeliverable meanwhile',
      };
    return null;
  }

  /** The ledger row's move for a final delivery (and a hard bounce's mark on the address). */
  async function onFinal(tx: Tx, row: FinalDelivery): Promise<void> {
    const subject = messageSubject.safeParse(row.subject);
    if (!subject.success) return;
    const s = subject.data;
    const result = (row.result ?? {}) as { providerMessageId?: string; segments?: number | null };
    let outcome: LedgerOutcome;
    if (row.status === 'sent' || row.status === 'outboxed') {
      outcome = {
        status: 'sent',
        providerMessageId: result.providerMessageId ?? null,
        segments: result.segments ?? null,
        detail: row.status === 'outboxed' ? 'outboxed' : null,
      };
    } else if (row.status === 'cancelled' || row.reason === 'cancelled') {
      outcome = { status: 'cancelled', reason: 'cancelled' };
    } else if (row.reason === 'hard_bounce') {
      outcome = { status: 'bounced', bounceType: 'hard', reason: 'hard_bounce', detail: row.lastError };
    } else {
      outcome = { status: 'failed', reason: row.reason ?? 'failed', detail: row.lastError };
    }
    const now = deps.clock.now();
    const moved = await settleLedgerRow(tx, row.accountId, s.m, outcome, now);
    if (moved && outcome.status === 'bounced') {
      await noteBounce(tx, {
        accountId: row.accountId,
        channel: moved.channel,
        address: s.to,
        hard: true,
        reason: row.lastError?.slice(0, 500) ?? null,
        at: now,
      });
    }
  }

  /** Sent rows in one statement; the others (failures, bounces, cancels) one by one. */
  async function onFinalBatch(tx: Tx, finals: readonly FinalDelivery[]): Promise<void> {
    const sent: Parameters<typeof markSent>[1][number][] = [];
    for (const row of finals) {
      const subject = messageSubject.safeParse(row.subject);
      if (!subject.success) continue;
      if (row.status === 'sent' || row.status === 'outboxed') {
        const result = (row.result ?? {}) as { providerMessageId?: string; segments?: number | null };
        sent.push({
          accountId: row.accountId,
          ledgerId: subject.data.m,
          providerMessageId: result.providerMessageId ?? null,
          segments: result.segments ?? null,
          detail: row.status === 'outboxed' ? 'outboxed' : null,
        });
      } else await onFinal(tx, row);
    }
    await markSent(tx, sent, deps.clock.now());
  }

  const retry = {
    limit: options.retryLimit ?? 8,
    baseMs: options.retryBaseMs ?? 60_000,
    maxMs: 3_600_000,
  };
  const email: DeliveryKind<typeof messageSubject> = {
    name: 'bulk_email',
    subject: messageSubject,
    send: sendEmail,
    admit: (s, ctx) => admit('email', s, ctx),
    retry,
    timeoutMs: options.emailTimeoutMs ?? 75_000,
    onExpiredLease: 'retry',
    onFinal,
    onFinalBatch,
  };
  const sms: DeliveryKind<typeof messageSubject> = {
    name: 'bulk_sms',
    subject: messageSubject,
    send: sendSms,
    admit: (s, ctx) => admit('sms', s, ctx),
    retry,
    timeoutMs: options.smsTimeoutMs ?? 30_000,
    onExpiredLease: 'retry',
    onFinal,
    onFinalBatch,
  };
  return { email, sms };
}
