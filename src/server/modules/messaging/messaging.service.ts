// Bulk email and bulk SMS from a selection: the preview the user confirms (count, sendable, skipped
// by reason, missing merge fields, SMS segments and cost), the start (a snapshot of content, sender
// and timing rules as the action's params; the engine freezes the selection in the background),
// and the delivery results and recipient table read from the send ledger.
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db, Queryable } from '../../db/types.ts';
import { rows } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import { findTimeZone } from '../accounts/accounts.repo.ts';
import type { Actor } from '../../jobs/types.ts';
import type { BulkActionsService } from '../../engine/actions.service.ts';
import type { BulkTypeRegistry } from '../../engine/registry.ts';
import { reasonLabel } from '../../engine/reasons.ts';
import { cursorId, decodeCursor, keysetPage } from '../../security/cursor.ts';
import type { Language } from '../../../shared/auth.ts';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import type {
  DeliveryResults,
  LedgerMessage,
  MessagingPreview,
  MessagingSendBody,
} from '../../../shared/bulk-messaging.ts';
import { MESSAGE_STATUSES, type Channel } from '../../../shared/messaging.ts';
import type { SelectionService } from '../selections/selection.service.ts';
import type { MessagingChannels } from '../senders/channels.ts';
import { compileContent, type BulkMessagingParams } from './messaging-content.ts';
import { mergeFieldsOf, missingFieldCounts, unknownFields } from '../templates/merge-fields.ts';
import { messagingName, messagingTopic } from './messaging-reasons.ts';
import { MESSAGING_TYPES } from './messaging-bulk-types.ts';
import { ledgerGroups, ledgerPage, skipReasonOf } from './ledger.repo.ts';
import { deliveryResultsOf } from './delivery-results.ts';
import { smsInfo } from '../../../shared/sms-segments.ts';

/** The recipient table's query. */
export const ledgerPageQuerySchema = z
  .object({
    status: z.enum(MESSAGE_STATUSES).optional(),
    cursor: z
      .string()
      .max(200)
      .regex(/^[A-Za-z0-9_-]+$/)
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();
export type LedgerPageQuery = z.infer<typeof ledgerPageQuerySchema>;

/** `"Name" <address>` or `address` → its parts. */
function parseMailbox(value: string): { fromName: string; fromAddress: string } {
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(value);
  return m
    ? { fromName: m[1]!.trim(), fromAddress: m[2]!.trim() }
    : { fromName: '', fromAddress: value.trim() };
}

export class MessagingService {
  constructor(
    private readonly db: Db,
    private readonly selections: SelectionService,
    private readonly engine: BulkActionsService,
    private readonly registry: BulkTypeRegistry,
    private readonly channels: () => MessagingChannels,
    private readonly platformFrom: string,
  ) {}

  /** What a send would do: counts by reason, missing fields, SMS cost. Nothing is created. */
  async preview(actor: Actor, body: MessagingSendBody): Promise<MessagingPreview> {
    const type = MESSAGING_TYPES[body.channel];
    this.engine.assertMay(actor, null, type);
    const accountId = actor.access.accountId;
    return withTenant(this.db, accountId, async (tx) => {
      const params = await this.paramsOf(tx, actor, body);
      return this.previewOf(tx, actor, body, params);
    });
  }

  /**
   * Starts the send: 400 NO_RECIPIENTS (with the preview) when nobody can receive it unless
   * `confirmEmpty`, 400 CHANNEL_NOT_CONFIGURED for SMS without a provider.
   */
  async create(actor: Actor, body: MessagingSendBody): Promise<BulkAction> {
    const type = MESSAGING_TYPES[body.channel];
    this.engine.assertMay(actor, null, type);
    const accountId = actor.access.accountId;
    if (body.channel === 'sms' && !(await this.channels().sms(accountId))) {
      throw new AppError('CHANNEL_NOT_CONFIGURED', 'No SMS provider is set up for this account', {
        channel: 'sms',
      });
    }
    const { params, preview } = await withTenant(this.db, accountId, async (tx) => {
      const params = await this.paramsOf(tx, actor, body);
      return { params, preview: await this.previewOf(tx, actor, body, params) };
    });
    if (preview.sendable === 0 && !body.confirmEmpty) {
      throw new AppError('NO_RECIPIENTS', 'No recipient of this selection can receive the message', {
        preview,
      });
    }
    return this.engine.start(actor, {
      type,
      params,
      source: { selection: body.selection },
      expected: body.expectedCount ?? preview.count,
      scheduledFor: body.scheduledFor,
      customName: body.name,
      details: { selection: body.selection, channel: body.channel, templateId: body.templateId ?? null },
    });
  }

  /** Delivery results of a bulk email or SMS, from its ledger, labelled in `lang`. */
  async results(actor: Actor, actionId: number, lang: Language): Promise<DeliveryResults> {
    const action = await this.messagingAction(actor, actionId);
    const groups = await withTenant(this.db, actor.access.accountId, (tx) =>
      ledgerGroups(tx, actor.access.accountId, actionId),
    );
    return deliveryResultsOf(groups, action.type === MESSAGING_TYPES.sms ? 'sms' : 'email', (reason) =>
      reasonLabel(this.registry, action.type, reason, lang),
    );
  }

  /** One keyset page of the recipient table. */
  async messages(
    actor: Actor,
    actionId: number,
    query: LedgerPageQuery,
  ): Promise<{ items: LedgerMessage[]; nextCursor: string | null }> {
    await this.messagingAction(actor, actionId);
    const afterId = query.cursor ? decodeCursor(query.cursor, z.tuple([cursorId]))[0] : 0;
    const found = await withTenant(this.db, actor.access.accountId, (tx) =>
      ledgerPage(tx, actor.access.accountId, actionId, { status: query.status, afterId, limit: query.limit }),
    );
    return keysetPage(
      found,
      query.limit,
      (r) => ({ ...r, id: String(r.id), contactId: String(r.contactId) }),
      (last) => [last.id],
    );
  }

  /** The action when it is a bulk email or SMS of the caller's account; 404 otherwise. */
  private async messagingAction(actor: Actor, actionId: number): Promise<BulkAction> {
    const action = await this.engine.get(actor, actionId);
    if (action.type !== MESSAGING_TYPES.email && action.type !== MESSAGING_TYPES.sms) {
      throw new AppError('NOT_FOUND', 'Bulk action not found');
    }
    return action;
  }

  /**
   * The action's parameters: the content (template or inline) checked and compiled, sender, rules.
   * Also how a standard mailing (modules/mailings) builds its send's params. 404 for a template or
   * sender profile that is not the account's, 400 VALIDATION_FAILED / TEMPLATE_INVALID for content,
   * 400 ELEMENT_INACTIVE (details.kind, details.id) for an inactive template.
   */
  async paramsOf(
    q: Queryable,
    actor: Actor,
    body: Omit<MessagingSendBody, 'selection'>,
  ): Promise<BulkMessagingParams> {
    const accountId = actor.access.accountId;
    const channel = body.channel;
    if ((body.templateId === undefined) === (body.content === undefined)) {
      throw new AppError('VALIDATION_FAILED', 'Give either a template or the content', {
        fields: [{ field: 'templateId', message: 'exactly one of templateId and content' }],
      });
    }
    const content: Pick<BulkMessagingParams, 'email' | 'sms' | 'templateId' | 'templateName'> = {};
    if (body.templateId !== undefined) {
      const [template] = await rows<{
        name: string;
        channel: Channel;
        subject: string | null;
        html: string | null;
        text: string | null;
        active: boolean;
      }>(
        q,
        sql`SELECT name, channel, subject, html, text_body AS text, active FROM message_templates
            WHERE account_id = ${accountId} AND id = ${Number(body.templateId)}`,
      );
      if (!template) throw new AppError('NOT_FOUND', 'Template not found', { templateId: body.templateId });
      // An inactive template cannot be used for new sends (a mailing checks it before it gets here).
      if (!template.active)
        throw new AppError('ELEMENT_INACTIVE', 'This template is inactive', {
          kind: template.channel === 'email' ? 'email_template' : 'sms_template',
          id: body.templateId,
        });
      if (template.channel !== channel) {
        throw new AppError(
          'VALIDATION_FAILED',
          `This is an ${template.channel} template, not an ${channel} one`,
          {
            fields: [{ field: 'templateId', message: `template is for ${template.channel}` }],
          },
        );
      }
      content.templateId = body.templateId;
      content.templateName = template.name;
      if (channel === 'email') {
        content.email = {
          subject: template.subject ?? '',
          html: template.html ?? '',
          ...(template.text ? { text: template.text } : {}),
        };
      } else content.sms = { text: template.text ?? '' };
    } else {
      const inline = body.content as Record<string, unknown>;
      if (channel === 'email') {
        if (typeof inline.subject !== 'string' || typeof inline.html !== 'string') {
          throw new AppError('VALIDATION_FAILED', 'An email needs a subject and HTML', {
            fields: [{ field: 'content', message: 'subject and html are required for email' }],
          });
        }
        content.email = {
          subject: inline.subject,
          html: inline.html,
          ...(typeof inline.text === 'string' ? { text: inline.text } : {}),
        };
      } else {
        if (typeof inline.text !== 'string' || 'html' in inline) {
          throw new AppError('VALIDATION_FAILED', 'An SMS needs a text (and nothing else)', {
            fields: [{ field: 'content', message: 'text is required for sms' }],
          });
        }
        content.sms = { text: inline.text };
      }
    }
    const compiled = compileContent({ channel, ...content });
    const unknown = unknownFields(compiled.fields, await mergeFieldsOf(q, accountId), channel);
    if (unknown.length) {
      throw new AppError('TEMPLATE_INVALID', `Unknown merge field: ${unknown.join(', ')}`, {
        fields: unknown,
      });
    }
    const sender = channel === 'email' ? await this.senderOf(q, accountId, body.senderProfileId) : undefined;
    return {
      channel,
      ...content,
      ...(sender ? { sender } : {}),
      ...(body.drip ? { drip: body.drip } : {}),
      quietHours: body.quietHours ?? channel === 'sms',
      timeZone: await findTimeZone(q, accountId),
      language: actor.language,
      fields: [...compiled.fields],
    };
  }

  /** The sender: the profile named, else the account's default, else the platform's address. */
  private async senderOf(q: Queryable, accountId: AccountId, profileId: string | undefined) {
    const [profile] = await rows<{ fromName: string; fromAddress: string; replyTo: string | null }>(
      q,
      sql`SELECT from_name AS "fromName", from_address AS "fromAddress", reply_to AS "replyTo"
          FROM sender_profiles WHERE account_id = ${accountId}
            AND ${profileId === undefined ? sql`is_default` : sql`id = ${Number(profileId)}`}`,
    );
    if (profile) return profile;
    if (profileId !== undefined) {
      throw new AppError('NOT_FOUND', 'Sender profile not found', { senderProfileId: profileId });
    }
    return { ...parseMailbox(this.platformFrom), replyTo: null };
  }

  /** The counts, in one statement over the selection. */
  private async previewOf(
    q: Queryable,
    actor: Actor,
    body: MessagingSendBody,
    params: BulkMessagingParams,
  ): Promise<MessagingPreview> {
    const accountId = actor.access.accountId;
    const where = await this.selections.predicate(q, accountId, body.selection);
    const reason = skipReasonOf(body.channel, accountId);
    const groups = await rows<{ reason: string | null; n: number }>(
      q,
      sql`SELECT ${reason} AS reason, count(*)::int AS n FROM contacts c WHERE ${where} GROUP BY 1`,
    );
    const missingFields = await missingFieldCounts(
      q,
      accountId,
      { where: sql`${where} AND (${reason}) IS NULL` },
      params.fields,
    );
    let count = 0;
    let sendable = 0;
    const skipped: MessagingPreview['skipped'] = [];
    for (const g of groups) {
      const n = Number(g.n);
      count += n;
      if (g.reason === null) {
        sendable += n;
      } else {
        const reason = String(g.reason);
        skipped.push({
          reason,
          label: reasonLabel(this.registry, MESSAGING_TYPES[body.channel], reason, actor.language),
          count: n,
        });
      }
    }
    skipped.sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
    const sms = params.sms ? smsInfo(params.sms.text) : null;
    return {
      name: body.name ?? messagingName(body.channel, count, actor.language, messagingTopic(params)),
      count,
      sendable,
      skipped,
      missingFields,
      sms: sms ? { ...sms, totalSegments: sms.segments * sendable } : null,
    };
  }
}
