// Message templates per account: CRUD with the save-time checks (syntax, known merge fields), the
// merge-field catalog, and the preview. `compileContent` / `compiledTemplate` are what the bulk
// sender uses to check and compile inline content or a saved template once per action.
import { originOf } from '../../db/element-origin.ts';
import type { Clock } from '../../clock.ts';
import { isoTime, type Db, type Queryable } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { violatedUniqueConstraint } from '../../db/pg-errors.ts';
import { AppError } from '../../errors.ts';
import { decodeCursor, cursorId, cursorText, keysetPage } from '../../security/cursor.ts';
import { z } from 'zod';
import { countContacts, findContact } from '../contacts/contacts.repo.ts';
import type { SelectionService } from '../selections/selection.service.ts';
import { smsInfo } from '../../../shared/sms-segments.ts';
import { TEMPLATE_LIMITS } from '../../../shared/templates.ts';
import type {
  CreateTemplateBody,
  MergeField,
  MessageTemplate,
  TemplateListQuery,
  TemplatePage,
  TemplatePreview,
  TemplatePreviewBody,
  TemplateSummary,
  UpdateTemplateBody,
} from '../../../shared/templates.ts';
import {
  compileEmail,
  compileSms,
  renderEmail,
  renderSms,
  type CompiledEmail,
  type CompiledSms,
} from './email-compose.ts';
import {
  accountNameOf,
  mergeFieldsOf,
  missingFieldCounts,
  unknownFields,
  valuesForContacts,
} from './merge-fields.ts';
import type { MergeValues } from './template-render.ts';
import { releaseSubstitutes, substituteUsage } from '../substitutes/substitute-usage.ts';
import * as repo from './templates.repo.ts';

/** What a message is made of: email parts or an SMS text. */
export type TemplateContent =
  | { channel: 'email'; subject: string; html: string; text?: string | null }
  | { channel: 'sms'; text: string };

/** Content compiled once, ready to render per recipient (renderEmail / renderSms). */
export type CompiledTemplate =
  | { channel: 'email'; email: CompiledEmail; fields: readonly string[] }
  | { channel: 'sms'; sms: CompiledSms; fields: readonly string[] };

/**
 * Compiles `content` and checks it against the account's merge fields: a syntax error is a 400
 * TEMPLATE_INVALID with `{part, line, message}`, unknown fields one with `{fields}`; a trial render
 * with empty values catches what only rendering finds (a runaway loop).
 */
export async function compileContent(
  q: Queryable,
  accountId: AccountId,
  content: TemplateContent,
): Promise<CompiledTemplate> {
  const compiled: CompiledTemplate =
    content.channel === 'email'
      ? { channel: 'email', email: compileEmail(content), fields: [] }
      : { channel: 'sms', sms: compileSms(content.text), fields: [] };
  const fields = compiled.channel === 'email' ? compiled.email.fields : compiled.sms.fields;
  const unknown = unknownFields(fields, await mergeFieldsOf(q, accountId), content.channel);
  if (unknown.length > 0) {
    throw new AppError('TEMPLATE_INVALID', `Unknown merge field(s): ${unknown.join(', ')}`, {
      fields: unknown,
    });
  }
  renderCompiled(compiled, {});
  return { ...compiled, fields };
}

/**
 * A saved template of the account, compiled (checked again: a custom field it uses may have been
 * deleted since). 404 when it is not the account's. `lock: 'share'` keeps it from being deleted
 * until `q`'s transaction ends (create the bulk action in that transaction).
 */
export async function compiledTemplate(
  q: Queryable,
  accountId: AccountId,
  templateId: number,
  lock?: 'share',
): Promise<CompiledTemplate & { template: repo.TemplateRow }> {
  const row = await repo.findTemplate(q, accountId, templateId, lock);
  if (!row) throw new AppError('NOT_FOUND', 'Template not found');
  return { ...(await compileContent(q, accountId, contentOf(row))), template: row };
}

/** Renders compiled content for one recipient (email: subject, HTML, text; SMS: the text). */
export function renderCompiled(
  compiled: CompiledTemplate,
  values: MergeValues,
): { subject: string | null; html: string | null; text: string } {
  if (compiled.channel === 'email') return renderEmail(compiled.email, values);
  return { subject: null, html: null, text: renderSms(compiled.sms, values).text };
}

function contentOf(row: repo.TemplateRow): TemplateContent {
  return row.channel === 'email'
    ? { channel: 'email', subject: row.subject ?? '', html: row.html ?? '', text: row.textBody }
    : { channel: 'sms', text: row.textBody ?? '' };
}

const PAGE = 50;
const listCursor = z.tuple([cursorText, cursorId]);

/** The link standing in for a recipient's unsubscribe link in previews (it unsubscribes nobody). */
export const PREVIEW_UNSUBSCRIBE_PATH = '/u/preview';

export class TemplatesService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly selections: SelectionService,
    private readonly publicUrl: string,
  ) {}

  async list(accountId: AccountId, query: TemplateListQuery): Promise<TemplatePage> {
    const limit = query.limit ?? PAGE;
    const after = query.cursor ? decodeCursor(query.cursor, listCursor) : null;
    const found = await withTenant(this.db, accountId, (tx) =>
      repo.listTemplates(tx, accountId, {
        channel: query.channel,
        search: query.search ? query.search.normalize('NFC') : undefined,
        active: query.active === undefined ? undefined : query.active === 'true',
        after,
        limit: limit + 1,
      }),
    );
    return keysetPage(found, limit, toSummary, (r) => [r.sortName, r.id]);
  }

  async get(accountId: AccountId, id: number): Promise<MessageTemplate> {
    const row = await withTenant(this.db, accountId, (tx) => repo.findTemplate(tx, accountId, id));
    if (!row) throw new AppError('NOT_FOUND', 'Template not found');
    return toTemplate(row);
  }

  /** The merge fields templates of this account may use. */
  async mergeFields(accountId: AccountId): Promise<MergeField[]> {
    return withTenant(this.db, accountId, (tx) => mergeFieldsOf(tx, accountId));
  }

  async create(accountId: AccountId, userId: number, body: CreateTemplateBody): Promise<MessageTemplate> {
    const content: TemplateContent =
      body.channel === 'email'
        ? { channel: 'email', subject: body.subject, html: body.html, text: body.text || null }
        : { channel: 'sms', text: body.text };
    return this.unique(() =>
      withTenant(this.db, accountId, async (tx) => {
        const compiled = await compileContent(tx, accountId, content);
        return toTemplate(
          await repo.insertTemplate(
            tx,
            accountId,
            valuesOf(body.name, content, compiled),
            userId,
            this.clock.now(),
          ),
        );
      }),
    );
  }

  async update(
    accountId: AccountId,
    id: number,
    userId: number,
    body: UpdateTemplateBody,
  ): Promise<MessageTemplate> {
    return this.unique(() =>
      withTenant(this.db, accountId, async (tx) => {
        const row = await repo.findTemplate(tx, accountId, id, 'update');
        if (!row) throw new AppError('NOT_FOUND', 'Template not found');
        if (row.channel === 'sms' && (body.subject !== undefined || body.html !== undefined)) {
          throw new AppError('VALIDATION_FAILED', 'An SMS template has no subject or HTML', {
            fields: [{ field: body.subject !== undefined ? 'subject' : 'html', message: 'not for SMS' }],
          });
        }
        if (row.channel === 'sms' && (body.text === null || body.text === '')) {
          throw new AppError('VALIDATION_FAILED', 'An SMS template needs its text', {
            fields: [{ field: 'text', message: 'required' }],
          });
        }
        if (row.channel === 'sms' && body.text && body.text.length > TEMPLATE_LIMITS.sms) {
          throw new AppError('VALIDATION_FAILED', 'The SMS text is too long', {
            fields: [{ field: 'text', message: `at most ${TEMPLATE_LIMITS.sms} characters` }],
          });
        }
        const before = contentOf(row);
        const content: TemplateContent =
          before.channel === 'email'
            ? {
                channel: 'email',
                subject: body.subject ?? before.subject,
                html: body.html ?? before.html,
                text: body.text === undefined ? (before.text ?? null) : body.text || null,
              }
            : { channel: 'sms', text: body.text ?? before.text };
        const compiled = await compileContent(tx, accountId, content);
        const { channel: _channel, ...values } = valuesOf(body.name ?? row.name, content, compiled);
        const updated = await repo.updateTemplate(tx, accountId, id, values, userId, this.clock.now());
        return toTemplate(updated!);
      }),
    );
  }

  /**
   * Sets the template's own activation status: an inactive template cannot be used for new sends
   * (bulk sends answer 400 ELEMENT_INACTIVE, mailings using it cannot be scheduled and fail at their
   * start with `template_inactive`). 404 when it is not the account's.
   */
  async setActive(
    accountId: AccountId,
    id: number,
    userId: number,
    active: boolean,
  ): Promise<MessageTemplate> {
    const row = await withTenant(this.db, accountId, (tx) =>
      repo.setTemplateActive(tx, accountId, id, active, userId, this.clock.now()),
    );
    if (!row) throw new AppError('NOT_FOUND', 'Template not found');
    return toTemplate(row);
  }

  /**
   * Deletes a template; refused with 409 IN_USE (details.bulkActions, details.substituteUsage) while an unfinished bulk
   * action (preparing, queued or scheduled, running, paused) uses it, and unless `confirm` with 409
   * SUBSTITUTE_IN_USE (details.usage) while it serves as a substitute; the substitute rows naming
   * it go with it.
   */
  async remove(accountId: AccountId, id: number, confirm = false): Promise<void> {
    await withTenant(this.db, accountId, async (tx) => {
      const row = await repo.findTemplate(tx, accountId, id, 'update');
      if (!row) throw new AppError('NOT_FOUND', 'Template not found');
      const kind = row.channel === 'email' ? 'email_template' : 'sms_template';
      const actions = await repo.actionsUsingTemplate(tx, accountId, id);
      if (actions.length > 0) {
        throw new AppError('IN_USE', `Used by ${actions.length} unfinished bulk action(s)`, {
          bulkActions: actions.map((a) => ({ id: String(a.id), name: a.name, status: a.status })),
          counts: { bulkActions: actions.length },
          // Named here too, so the user sees every reason to hesitate in the first warning.
          substituteUsage: await substituteUsage(tx, accountId, kind, id),
        });
      }
      await releaseSubstitutes(tx, accountId, kind, id, confirm);
      await repo.deleteTemplate(tx, accountId, id);
    });
  }

  /**
   * Renders a saved template or unsaved content for one contact (without one: with empty values,
   * so defaults show), and given a selection, counts its contacts and those lacking each used field.
   */
  async preview(accountId: AccountId, body: TemplatePreviewBody): Promise<TemplatePreview> {
    return withTenant(this.db, accountId, async (tx) => {
      const compiled =
        body.templateId !== undefined
          ? await compiledTemplate(tx, accountId, Number(body.templateId))
          : await compileContent(tx, accountId, previewContent(body));
      let values: MergeValues = {};
      if (body.contactId !== undefined) {
        const contactId = Number(body.contactId);
        if (!(await findContact(tx, accountId, contactId)))
          throw new AppError('NOT_FOUND', 'Contact not found');
        values = (await valuesForContacts(tx, accountId, [contactId], compiled.fields)).get(contactId) ?? {};
      } else if (compiled.fields.includes('account_name')) {
        values = { account_name: await accountNameOf(tx, accountId) };
      }
      if (compiled.fields.includes('unsubscribe_url')) {
        values = {
          ...values,
          unsubscribe_url: `${this.publicUrl.replace(/\/$/, '')}${PREVIEW_UNSUBSCRIBE_PATH}`,
        };
      }
      const rendered = renderCompiled(compiled, values);
      let selection: TemplatePreview['selection'] = null;
      if (body.selection) {
        const where = await this.selections.predicate(tx, accountId, body.selection);
        selection = {
          count: await countContacts(tx, where),
          missingFields: await missingFieldCounts(tx, accountId, { where }, compiled.fields),
        };
      }
      return {
        channel: compiled.channel,
        subject: rendered.subject,
        html: rendered.html,
        text: rendered.text,
        sms: compiled.channel === 'sms' ? smsInfo(rendered.text) : null,
        fields: [...compiled.fields],
        selection,
      };
    });
  }

  private async unique<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (violatedUniqueConstraint(err) !== null) {
        throw new AppError('CONFLICT', 'A template of this channel with this name exists', {
          fields: [{ field: 'name', message: 'already taken' }],
        });
      }
      throw err;
    }
  }
}

function previewContent(body: TemplatePreviewBody): TemplateContent {
  const missing = (field: string) =>
    new AppError('VALIDATION_FAILED', 'Give a templateId, or a channel with its content', {
      fields: [{ field, message: 'required' }],
    });
  if (body.channel === 'sms') {
    if (!body.text) throw missing('text');
    return { channel: 'sms', text: body.text };
  }
  if (body.channel === 'email') {
    if (!body.subject) throw missing('subject');
    if (!body.html) throw missing('html');
    return { channel: 'email', subject: body.subject, html: body.html, text: body.text || null };
  }
  throw missing('templateId');
}

function valuesOf(name: string, content: TemplateContent, compiled: CompiledTemplate): repo.TemplateValues {
  return content.channel === 'email'
    ? {
        channel: 'email',
        name,
        subject: content.subject,
        html: content.html,
        textBody: content.text || null,
        fields: [...compiled.fields],
      }
    : {
        channel: 'sms',
        name,
        subject: null,
        html: null,
        textBody: content.text,
        fields: [...compiled.fields],
      };
}

function toSummary(row: repo.TemplateRow): TemplateSummary {
  return {
    id: String(row.id),
    channel: row.channel,
    name: row.name,
    subject: row.subject,
    fields: row.fields,
    active: row.active,
    version: row.version,
    origin: originOf(row),
    createdAt: isoTime(row.createdAt),
    updatedAt: isoTime(row.updatedAt),
  };
}

function toTemplate(row: repo.TemplateRow): MessageTemplate {
  return { ...toSummary(row), html: row.html, text: row.textBody };
}
