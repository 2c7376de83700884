// Standard mailings: create and edit drafts, the live audience count, schedule (or send now),
// reschedule, pause / resume / cancel before and during the send, delete, and the corrected
// re-send. The send itself (start, end, scheduler) is mailing-sends.ts.
import { originOf } from '../../db/element-origin.ts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Clock } from '../../clock.ts';
import { rows, type Db, type Queryable } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { violatedUniqueConstraint } from '../../db/pg-errors.ts';
import { AppError } from '../../errors.ts';
import type { BulkActionsService } from '../../engine/actions.service.ts';
import { runOnceFor } from '../../engine/idempotency.ts';
import type { Actor } from '../../jobs/types.ts';
import { cursorId, cursorTimestamp, decodeCursor, keysetPage } from '../../security/cursor.ts';
import { checkedScheduleInstant, scheduleInvalid } from '../../schedule-instant.ts';
import type {
  AudienceCount,
  AudienceQueryBody,
  ListMailingsQuery,
  Mailing,
  MailingBody,
  ResendMailingBody,
  ScheduleMailingBody,
  UpdateMailingBody,
} from '../../../shared/mailings.ts';
import { findTimeZone } from '../accounts/accounts.repo.ts';
import type { SelectionService } from '../selections/selection.service.ts';
import { compileContent } from '../messaging/messaging-content.ts';
import { mergeFieldsOf, unknownFields } from '../templates/merge-fields.ts';
import { countAudience } from './audience.ts';
import { busy, type MailingSends } from './mailing-sends.ts';
import { releaseSubstitutes } from '../substitutes/substitute-usage.ts';
import * as repo from './mailings.repo.ts';

const idArray = (ids: readonly number[]) => `{${ids.join(',')}}`;
const mailingCursor = z.tuple([cursorTimestamp, cursorId]);
/** Forget the last pre-flight: the schedule or the audience changed. */
const resetPreflight = [sql`preflight_at = NULL`, sql`preflight_count = NULL`];

/** The mailings of an account (routes → this → repo; every query scoped by account). */
export class MailingsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly selections: SelectionService,
    private readonly engine: BulkActionsService,
    readonly sends: MailingSends,
  ) {}

  /** A keyset page, newest first, filtered by API status and name, with names and key figures. */
  async list(
    accountId: AccountId,
    query: ListMailingsQuery,
  ): Promise<{ items: Mailing[]; nextCursor: string | null }> {
    const after = query.cursor ? decodeCursor(query.cursor, mailingCursor) : null;
    return withTenant(this.db, accountId, async (tx) => {
      const found = await repo.listMailings(
        tx,
        accountId,
        { statuses: query.status, search: query.search, limit: query.limit },
        after ? { createdAt: after[0], id: after[1] } : null,
      );
      const items = await this.toApi(tx, accountId, found.slice(0, query.limit));
      const byId = new Map(items.map((i) => [Number(i.id), i]));
      return keysetPage(
        found,
        query.limit,
        (r) => byId.get(r.id)!,
        (last) => [last.createdAt, last.id],
      );
    });
  }

  async get(accountId: AccountId, id: number): Promise<Mailing> {
    return withTenant(this.db, accountId, async (tx) => {
      const m = await this.mustFind(tx, accountId, id);
      return (await this.toApi(tx, accountId, [m]))[0]!;
    });
  }

  /** A new draft. 409 CONFLICT for a taken name, 404 for another account's parts, 400 for content. */
  async create(actor: Actor, body: MailingBody): Promise<Mailing> {
    const accountId = actor.access.accountId;
    const id = await this.writing(body.name, () =>
      withTenant(this.db, accountId, async (tx) => {
        const fields = await this.checkFields(tx, accountId, body, null);
        return repo.insertMailing(
          tx,
          accountId,
          { ...fields, name: body.name },
          { rootId: null, resendOf: null, includeFailed: false },
          actor.userId,
          this.clock.now(),
        );
      }),
    );
    return this.get(accountId, id);
  }

  /** Edits a draft, or a scheduled mailing before its send started (its pre-flight is then taken again). */
  async update(actor: Actor, id: number, body: UpdateMailingBody): Promise<Mailing> {
    const accountId = actor.access.accountId;
    await this.writing(body.name, () =>
      withTenant(this.db, accountId, async (tx) => {
        const m = await this.mustFind(tx, accountId, id, true);
        if (!(m.stored === 'draft' || (m.stored === 'scheduled' && m.actionId === null)))
          throw busy(`A mailing that is ${m.status} cannot be edited`, m.status);
        // Editing a scheduled mailing changes what goes out at the slot: it needs the right to send,
        // and it must stay as complete as scheduling demanded.
        const scheduled = m.stored === 'scheduled';
        if (scheduled && !actor.access.rights.has('messaging.send'))
          throw new AppError('FORBIDDEN', "Editing a scheduled mailing needs the right 'messaging.send'", {
            right: 'messaging.send',
          });
        const fields = await this.checkFields(tx, accountId, body, m);
        if (scheduled) {
          const merged = { ...m };
          for (const [k, v] of Object.entries(fields))
            if (v !== undefined) (merged as Record<string, unknown>)[k] = v;
          await this.assertComplete(tx, accountId, merged);
        }
        await repo.updateMailing(tx, accountId, id, fields, this.clock.now(), resetPreflight);
      }),
    );
    return this.get(accountId, id);
  }

  /**
   * Deletes a draft or a mailing whose send never started; 409 MAILING_BUSY once it has an action
   * (running or ended): its statistics and its family's memory of whom it reached must stay.
   */
  async remove(actor: Actor, id: number, confirm = false): Promise<void> {
    const accountId = actor.access.accountId;
    await withTenant(this.db, accountId, async (tx) => {
      const m = await this.mustFind(tx, accountId, id, true);
      if (m.actionId !== null)
        throw busy(`A mailing that is ${m.status} has a send and cannot be deleted`, m.status);
      // Serving as a substitute: 409 SUBSTITUTE_IN_USE unless confirmed; its substitute rows go with it.
      await releaseSubstitutes(tx, accountId, 'mailing', id, confirm);
      await tx.execute(sql`DELETE FROM mailings WHERE account_id = ${accountId} AND id = ${id}`);
    });
  }

  /**
   * Sets the mailing's own activation status. An inactive mailing does not send: a scheduled one
   * keeps its slot and is held until activated (activated after its slot, it starts at the next
   * tick). 409 MAILING_BUSY while its send runs (sending or paused).
   */
  async setActive(actor: Actor, id: number, active: boolean): Promise<Mailing> {
    const accountId = actor.access.accountId;
    await withTenant(this.db, accountId, async (tx) => {
      const m = await this.mustFind(tx, accountId, id, true);
      if (m.status === 'sending' || m.status === 'paused')
        throw busy(
          `A mailing that is ${m.status} cannot be ${active ? 'activated' : 'deactivated'}`,
          m.status,
        );
      if (m.active !== active) await repo.setMailingActive(tx, accountId, id, active, this.clock.now());
    });
    return this.get(accountId, id);
  }

  /** The editor's live count of lists × target groups (nothing saved). */
  async countFor(accountId: AccountId, body: AudienceQueryBody): Promise<AudienceCount> {
    return withTenant(this.db, accountId, async (tx) => {
      let family: { rootId: number; includeFailed: boolean } | undefined;
      if (body.resendOf !== undefined) {
        const source = await this.mustFind(tx, accountId, Number(body.resendOf));
        family = { rootId: source.rootId, includeFailed: body.includeFailed ?? false };
      }
      // Another account's (or no) list or target group is 404, like in a saved mailing's body.
      const listIds = body.listIds.length
        ? await this.ownParts(tx, accountId, 'list', body.listIds.map(Number))
        : [];
      const targetGroupIds = body.targetGroupIds.length
        ? await this.ownParts(tx, accountId, 'targetGroup', body.targetGroupIds.map(Number))
        : [];
      return countAudience(tx, this.selections, accountId, { listIds, targetGroupIds, family });
    });
  }

  /** The saved mailing's audience now (a re-send: without whom its family already reached). */
  async countSaved(accountId: AccountId, id: number): Promise<AudienceCount> {
    return withTenant(this.db, accountId, async (tx) => {
      const m = await this.mustFind(tx, accountId, id);
      return countAudience(tx, this.selections, accountId, this.sends.specOf(m));
    });
  }

  /**
   * Schedules a draft (or sends it now without `scheduledFor`). 400 MAILING_INCOMPLETE naming what
   * is missing, 400 NO_RECIPIENTS (details.audience) when the audience is 0 and not confirmed,
   * 400 ELEMENT_INACTIVE for an inactive template, or an inactive mailing sent now (scheduled, an
   * inactive mailing is held until activated),
   * 409 MAILING_BUSY unless it is a draft.
   */
  async schedule(actor: Actor, id: number, body: ScheduleMailingBody): Promise<Mailing> {
    const accountId = actor.access.accountId;
    const at = body.scheduledFor === undefined ? null : await this.slotOf(accountId, body.scheduledFor);
    const { m, audience } = await withTenant(this.db, accountId, async (tx) => {
      const m = await this.mustFind(tx, accountId, id);
      if (m.stored !== 'draft') throw busy(`A mailing that is ${m.status} cannot be scheduled`, m.status);
      // Scheduled, an inactive mailing is held until activated; sent now, it would have to send.
      if (at === null && !m.active)
        throw new AppError('ELEMENT_INACTIVE', 'This mailing is inactive', {
          kind: 'mailing',
          id: String(m.id),
        });
      await this.assertComplete(tx, accountId, m);
      return { m, audience: await countAudience(tx, this.selections, accountId, this.sends.specOf(m)) };
    });
    if (audience.recipients === 0 && !body.confirmEmpty)
      throw new AppError('NO_RECIPIENTS', 'Nobody would receive this mailing right now', { audience });
    if (at === null) {
      await this.sends.start(accountId, m.id, actor);
      return this.get(accountId, id);
    }
    await withTenant(this.db, accountId, async (tx) => {
      const moved = await rows(
        tx,
        sql`UPDATE mailings SET status = 'scheduled', scheduled_for = ${at}, scheduled_by = ${actor.userId},
              held = false, preflight_at = NULL, preflight_count = NULL, updated_at = ${this.clock.now()}
            WHERE account_id = ${accountId} AND id = ${id} AND status = 'draft' RETURNING id`,
      );
      if (!moved.length) throw busy('This mailing was scheduled meanwhile', 'scheduled');
    });
    return this.get(accountId, id);
  }

  /**
   * `schedule` once per Idempotency-Key (engine/idempotency.ts): the same key and request within
   * 24 hours answer the first answer again (`replayed`), the same key with another request is 409.
   */
  async scheduleOnce(
    actor: Actor,
    id: number,
    body: ScheduleMailingBody,
    key: string | undefined,
  ): Promise<{ mailing: Mailing; replayed: boolean }> {
    if (key === undefined) return { mailing: await this.schedule(actor, id, body), replayed: false };
    const answer = await runOnceFor(
      this.db,
      this.clock,
      { accountId: actor.access.accountId, userId: actor.userId, key },
      { scope: 'mailings.schedule', body: { mailingId: String(id), ...body } },
      () => this.schedule(actor, id, body),
      { statusCode: 200, actionIdOf: (m) => (m.actionId === null ? null : Number(m.actionId)) },
    );
    return { mailing: answer.answer, replayed: answer.replayed };
  }

  /** Moves the slot of a scheduled mailing before its send started. */
  async reschedule(actor: Actor, id: number, scheduledFor: string): Promise<Mailing> {
    const accountId = actor.access.accountId;
    const at = await this.slotOf(accountId, scheduledFor);
    await withTenant(this.db, accountId, async (tx) => {
      const m = await this.mustFind(tx, accountId, id, true);
      if (m.stored !== 'scheduled' || m.actionId !== null)
        throw busy(`A mailing that is ${m.status} cannot be rescheduled`, m.status);
      await repo.updateMailing(tx, accountId, id, {}, this.clock.now(), [
        sql`scheduled_for = ${at}`,
        ...resetPreflight,
      ]);
    });
    return this.get(accountId, id);
  }

  /** Before the slot: held (nothing starts). During the send: the action pauses. */
  async pause(actor: Actor, id: number): Promise<Mailing> {
    return this.control(actor, id, 'pause', sql`held = true`);
  }

  /** Before the slot: not held any more (a passed slot starts at the next tick). During: the action resumes. */
  async resume(actor: Actor, id: number): Promise<Mailing> {
    return this.control(actor, id, 'resume', sql`held = false`);
  }

  /** Before the slot: cancelled. During the send: the action is cancelled (the sent stay sent). */
  async cancel(actor: Actor, id: number): Promise<Mailing> {
    return this.control(actor, id, 'cancel', sql`status = 'cancelled', finished_at = ${this.clock.now()}`);
  }

  /**
   * A corrected re-send of a sent or failed mailing: a new draft in its family with its content and
   * audience, changed by `body`; it goes only to whom the family has not reached.
   */
  async resend(actor: Actor, id: number, body: ResendMailingBody): Promise<Mailing> {
    const accountId = actor.access.accountId;
    const newId = await this.writing(body.name, () =>
      withTenant(this.db, accountId, async (tx) => {
        const source = await this.mustFind(tx, accountId, id, true);
        if (source.status !== 'sent' && source.status !== 'failed')
          throw busy(
            `Only a sent or failed mailing can be re-sent (this one is ${source.status})`,
            source.status,
          );
        const { includeFailed, ...changes } = body;
        // The source's parts are copied as they are (a list deleted since shows as missing, for the
        // user to correct); only what the body changes is checked.
        const copy: repo.MailingFields = {
          templateId: source.templateId,
          subject: source.subject,
          html: source.html,
          text: source.text,
          senderProfileId: source.senderProfileId,
          listIds: source.listIds,
          targetGroupIds: source.targetGroupIds,
          tracking: source.tracking,
        };
        // A body that switches the content kind replaces the other kind.
        const switched = { ...source };
        if (changes.templateId) {
          Object.assign(copy, { subject: null, html: null, text: null });
          Object.assign(switched, { subject: null, html: null, text: null });
        }
        if (changes.subject || changes.html) copy.templateId = switched.templateId = null;
        const checked = await this.checkFields(tx, accountId, changes, switched);
        const fields: repo.MailingFields = { ...copy };
        for (const [k, v] of Object.entries(checked))
          if (v !== undefined) (fields as Record<string, unknown>)[k] = v;
        const name = body.name ?? (await this.freeName(tx, accountId, `${source.name} (re-send)`));
        return repo.insertMailing(
          tx,
          accountId,
          { ...fields, name },
          { rootId: source.rootId, resendOf: source.id, includeFailed: includeFailed ?? false },
          actor.userId,
          this.clock.now(),
        );
      }),
    );
    return this.get(accountId, newId);
  }

  // ---- internals ------------------------------------------------------------------------------

  private async control(
    actor: Actor,
    id: number,
    control: 'pause' | 'resume' | 'cancel',
    beforeSlot: ReturnType<typeof sql>,
  ): Promise<Mailing> {
    const accountId = actor.access.accountId;
    const actionId = await withTenant(this.db, accountId, async (tx) => {
      const m = await this.mustFind(tx, accountId, id, true);
      if (m.stored === 'scheduled' && m.actionId !== null) return m.actionId;
      const fits =
        m.stored === 'scheduled' && (control === 'cancel' || (control === 'pause' ? !m.held : m.held));
      if (!fits) throw busy(`Cannot ${control} a mailing that is ${m.held ? 'held' : m.status}`, m.status);
      await repo.updateMailing(tx, accountId, id, {}, this.clock.now(), [beforeSlot]);
      return null;
    });
    if (actionId !== null) await this.engine[control](actor, actionId);
    return this.get(accountId, id);
  }

  /**
   * 400 MAILING_INCOMPLETE (details.missing: content / sender / audience) unless the mailing has
   * content (a template or subject + HTML), a sender (its own or the account's default) and a list;
   * 400 ELEMENT_INACTIVE (details.kind, details.id) when its template is inactive.
   */
  private async assertComplete(
    q: Queryable,
    accountId: AccountId,
    m: Pick<repo.MailingRow, 'templateId' | 'subject' | 'html' | 'senderProfileId' | 'listIds'>,
  ): Promise<void> {
    const missing: ('content' | 'sender' | 'audience')[] = [];
    if (m.templateId === null && !(m.subject && m.html)) missing.push('content');
    if (m.senderProfileId === null) {
      const [found] = await rows(
        q,
        sql`SELECT 1 FROM sender_profiles WHERE account_id = ${accountId} AND is_default`,
      );
      if (!found) missing.push('sender');
    }
    if (!m.listIds.length) missing.push('audience');
    if (missing.length)
      throw new AppError('MAILING_INCOMPLETE', `This mailing has no ${missing.join(', ')} yet`, { missing });
    if (m.templateId !== null) {
      const [t] = await rows<{ active: boolean }>(
        q,
        sql`SELECT active FROM message_templates WHERE account_id = ${accountId} AND id = ${m.templateId}`,
      );
      if (t && !t.active)
        throw new AppError('ELEMENT_INACTIVE', 'The template of this mailing is inactive', {
          kind: 'email_template',
          id: String(m.templateId),
        });
    }
  }

  /**
   * The instant of a mailing's slot: 400 VALIDATION_FAILED (scheduledFor) when unrepresentable, or
   * more than a minute in the past (a minute of grace for the time the request took).
   */
  private async slotOf(accountId: AccountId, scheduledFor: string): Promise<Date> {
    const at = checkedScheduleInstant(scheduledFor, await findTimeZone(this.db, accountId));
    if (at.getTime() < this.clock.now().getTime() - 60_000) throw scheduleInvalid('the slot is in the past');
    return at;
  }

  private async mustFind(
    q: Queryable,
    accountId: AccountId,
    id: number,
    lock = false,
  ): Promise<repo.MailingRow> {
    const m = await repo.findMailing(q, accountId, id, lock);
    if (!m) throw new AppError('NOT_FOUND', 'Mailing not found');
    return m;
  }

  /** Runs a write; a taken name (the unique index, also for parallel requests) is 409 CONFLICT naming it. */
  private async writing<T>(name: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (violatedUniqueConstraint(err) === 'mailings_name_key')
        throw new AppError('CONFLICT', `A mailing named '${name}' already exists`, { field: 'name', name });
      throw err;
    }
  }

  /** "<name>", else "<name> 2", "<name> 3", … whichever is free. */
  private async freeName(q: Queryable, accountId: AccountId, base: string): Promise<string> {
    const stem = base.slice(0, 290);
    for (let n = 1; n < 1000; n++) {
      const name = n === 1 ? stem : `${stem} ${n}`;
      if (!(await repo.nameTaken(q, accountId, name))) return name;
    }
    return `${stem} ${Date.now()}`;
  }

  /**
   * Checks what a create or edit sets, merged over `current`: content is a template or own
   * subject + HTML, not both (400 VALIDATION_FAILED); the template an email template of this
   * account, the sender profile, lists and target groups the account's (404); own content compiles
   * and uses known merge fields (400 TEMPLATE_INVALID). Answers the columns to write.
   */
  private async checkFields(
    q: Queryable,
    accountId: AccountId,
    body: UpdateMailingBody,
    current: repo.MailingRow | null,
  ): Promise<repo.MailingFields> {
    const num = (v: string | null | undefined) =>
      v === undefined ? undefined : v === null ? null : Number(v);
    const f: repo.MailingFields = {
      name: body.name,
      templateId: num(body.templateId),
      subject: body.subject,
      html: body.html,
      text: body.text,
      senderProfileId: num(body.senderProfileId),
      listIds: body.listIds?.map(Number),
      targetGroupIds: body.targetGroupIds?.map(Number),
      tracking: body.tracking,
    };
    const templateId = f.templateId !== undefined ? f.templateId : (current?.templateId ?? null);
    const subject = f.subject !== undefined ? f.subject : (current?.subject ?? null);
    const html = f.html !== undefined ? f.html : (current?.html ?? null);
    const text = f.text !== undefined ? f.text : (current?.text ?? null);
    if (templateId !== null && (subject !== null || html !== null || text !== null)) {
      throw new AppError('VALIDATION_FAILED', 'Give either a template or own content, not both', {
        fields: [{ field: 'templateId', message: 'exactly one of templateId and subject/html' }],
      });
    }
    if (f.templateId !== undefined && f.templateId !== null) {
      const [t] = await rows<{ channel: string }>(
        q,
        sql`SELECT channel FROM message_templates WHERE account_id = ${accountId} AND id = ${f.templateId}`,
      );
      if (!t || t.channel !== 'email')
        throw new AppError('NOT_FOUND', 'Email template not found', {
          kind: 'template',
          ids: [String(f.templateId)],
          templateId: String(f.templateId),
        });
    }
    if (
      templateId === null &&
      (subject !== null || html !== null) &&
      (f.subject !== undefined || f.html !== undefined || f.text !== undefined)
    ) {
      const compiled = compileContent({
        channel: 'email',
        email: { subject: subject ?? '', html: html ?? '', ...(text ? { text } : {}) },
      });
      const unknown = unknownFields(compiled.fields, await mergeFieldsOf(q, accountId), 'email');
      if (unknown.length)
        throw new AppError('TEMPLATE_INVALID', `Unknown merge field: ${unknown.join(', ')}`, {
          fields: unknown,
        });
    }
    if (f.senderProfileId !== undefined && f.senderProfileId !== null) {
      const found = await rows(
        q,
        sql`SELECT 1 FROM sender_profiles WHERE account_id = ${accountId} AND id = ${f.senderProfileId}`,
      );
      if (!found.length)
        throw new AppError('NOT_FOUND', 'Sender profile not found', {
          kind: 'senderProfile',
          ids: [String(f.senderProfileId)],
          senderProfileId: String(f.senderProfileId),
        });
    }
    if (f.listIds?.length) f.listIds = await this.ownParts(q, accountId, 'list', f.listIds);
    if (f.targetGroupIds?.length)
      f.targetGroupIds = await this.ownParts(q, accountId, 'targetGroup', f.targetGroupIds);
    return f;
  }

  /**
   * The ids, deduplicated, when each is a subscriber list (or SmartList) of this account; else
   * 404 NOT_FOUND naming the kind and the unknown ids (details.kind, details.ids, and as before
   * details.listIds / targetGroupIds).
   */
  private async ownParts(
    q: Queryable,
    accountId: AccountId,
    kind: 'list' | 'targetGroup',
    ids: readonly number[],
  ): Promise<number[]> {
    const table = kind === 'list' ? sql`subscriber_lists` : sql`smart_lists`;
    const found = await rows<{ id: number }>(
      q,
      sql`SELECT id::int AS id FROM ${table} WHERE account_id = ${accountId} AND id = ANY(${idArray(ids)}::bigint[])`,
    );
    const known = new Set(found.map((r) => Number(r.id)));
    const unknownIds = [...new Set(ids.filter((l) => !known.has(l)))].map(String);
    if (unknownIds.length)
      throw new AppError(
        'NOT_FOUND',
        `${kind === 'list' ? 'Subscriber list' : 'Target group'} not found: ${unknownIds.join(', ')}`,
        { kind, ids: unknownIds, [kind === 'list' ? 'listIds' : 'targetGroupIds']: unknownIds },
      );
    return [...new Set(ids)];
  }

  /** Rows → API, with list / target group names and key figures in a few statements per page. */
  private async toApi(q: Queryable, accountId: AccountId, found: repo.MailingRow[]): Promise<Mailing[]> {
    const names = await repo.partNames(
      q,
      accountId,
      [...new Set(found.flatMap((m) => m.listIds))],
      [...new Set(found.flatMap((m) => m.targetGroupIds))],
    );
    const templateIds = [...new Set(found.flatMap((m) => (m.templateId === null ? [] : [m.templateId])))];
    const templates = templateIds.length
      ? await rows<{ id: number; name: string }>(
          q,
          sql`SELECT id::int AS id, name FROM message_templates
              WHERE account_id = ${accountId} AND id = ANY(${idArray(templateIds)}::bigint[])`,
        )
      : [];
    const templateNames = new Map(templates.map((t) => [Number(t.id), t.name]));
    const figures = await repo.figuresOf(
      q,
      accountId,
      found.flatMap((m) => (m.actionId === null ? [] : [m.actionId])),
    );
    const part = (known: Map<number, string>) => (id: number) => ({
      id: String(id),
      name: known.get(id) ?? String(id),
      missing: !known.has(id),
    });
    return found.map((m) => ({
      id: String(m.id),
      name: m.name,
      status: m.status,
      templateId: m.templateId === null ? null : String(m.templateId),
      templateName: m.templateId === null ? null : (templateNames.get(m.templateId) ?? null),
      subject: m.subject,
      html: m.html,
      text: m.text,
      senderProfileId: m.senderProfileId === null ? null : String(m.senderProfileId),
      lists: m.listIds.map(part(names.lists)),
      targetGroups: m.targetGroupIds.map(part(names.groups)),
      tracking: m.tracking,
      scheduledFor: m.scheduledFor,
      held: m.held,
      rootId: String(m.rootId),
      resendOf: m.resendOf === null ? null : String(m.resendOf),
      includeFailed: m.includeFailed,
      actionId: m.actionId === null ? null : String(m.actionId),
      recipientsAtSend: m.recipientsAtSend,
      failureReason: m.failureReason as Mailing['failureReason'],
      failureDetail: m.failureDetail,
      preflight: m.preflightAt === null ? null : { at: m.preflightAt, count: m.preflightCount ?? 0 },
      figures: m.actionId === null ? null : (figures.get(m.actionId) ?? null),
      createdBy: m.createdBy === null ? null : String(m.createdBy),
      active: m.active,
      version: m.version,
      origin: originOf(m),
      createdAt: m.createdAt,
      updatedAt: m.updatedAt,
      startedAt: m.startedAt,
      finishedAt: m.finishedAt,
    }));
  }
}
