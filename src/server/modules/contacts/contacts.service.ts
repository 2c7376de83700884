import type { Clock } from '../../clock.ts';
import type { Db, Tx } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { violatedUniqueConstraint } from '../../db/pg-errors.ts';
import { AppError } from '../../errors.ts';
import {
  filterGroupSchema,
  type Contact,
  type ContactPage,
  type CreateContactBody,
  type ListContactsQuery,
  type UpdateContactBody,
} from '../../../shared/contacts.ts';
import type { FieldIssue } from '../../../shared/errors.ts';
import type { SelectionService } from '../selections/selection.service.ts';
import { searchPredicate } from '../selections/selection.service.ts';
import { insertOptOut } from '../deliverability/opt-outs.repo.ts';
import { existingListIds, existingTagIds, fieldTypes } from './catalog.repo.ts';
import {
  checkCustomFields,
  normalizeCustomValues,
  normalizeEmail,
  normalizePhone,
  normalizeText,
  validationError,
} from './contact-input.ts';
import { toContact } from './contact-mapper.ts';
import * as repo from './contacts.repo.ts';
import { sql, type SQL } from 'drizzle-orm';
import { cursorId, cursorText, cursorTimestamp, decodeCursor, keysetPage } from '../../security/cursor.ts';
import { isIdText } from '../../../shared/primitives.ts';
import { z } from 'zod';

export class ContactsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly selections: SelectionService,
  ) {}

  async get(accountId: AccountId, id: number): Promise<Contact> {
    const row = await withTenant(this.db, accountId, (tx) => repo.findContact(tx, accountId, id));
    if (!row) throw new AppError('NOT_FOUND', 'Contact not found');
    return toContact(row);
  }

  async create(accountId: AccountId, userId: number, body: CreateContactBody): Promise<Contact> {
    return this.write(accountId, async (tx) => {
      const data = await this.checked(tx, accountId, body);
      const id = await repo.insertContact(tx, accountId, data, userId, this.clock.now());
      if (body.tagIds) await repo.addContactTags(tx, accountId, id, body.tagIds.map(Number));
      if (body.listIds) await repo.addContactLists(tx, accountId, id, body.listIds.map(Number));
      return id;
    });
  }

  async update(accountId: AccountId, userId: number, id: number, body: UpdateContactBody): Promise<Contact> {
    return this.write(accountId, async (tx) => {
      const data = await this.checked(tx, accountId, body);
      const current = await repo.findContact(tx, accountId, id);
      if (!current) throw new AppError('NOT_FOUND', 'Contact not found');
      const email = data.email === undefined ? current.email : data.email;
      const phone = data.phone === undefined ? current.phone : data.phone;
      if (!email && !phone)
        throw validationError([{ field: 'email', message: 'a contact needs an email or a phone' }]);
      await repo.updateContact(tx, accountId, id, data, userId, this.clock.now());
      // A user unsubscribing someone (on their request) is an opt-out like the others: recorded.
      for (const [channel, next, was] of [
        ['email', data.emailConsent, current.emailConsent],
        ['sms', data.smsConsent, current.smsConsent],
      ] as const) {
        if (next === 'unsubscribed' && was === 'subscribed')
          await insertOptOut(tx, {
            accountId,
            contactId: id,
            channel,
            source: 'user',
            messageId: null,
            at: this.clock.now(),
          });
      }
      if (body.tagIds) await repo.setContactTags(tx, accountId, id, body.tagIds.map(Number));
      if (body.listIds) await repo.setContactLists(tx, accountId, id, body.listIds.map(Number));
      return id;
    });
  }

  async remove(accountId: AccountId, userId: number, id: number): Promise<void> {
    const gone = await withTenant(this.db, accountId, (tx) =>
      repo.softDeleteContact(tx, accountId, id, userId, this.clock.now()),
    );
    if (!gone) throw new AppError('NOT_FOUND', 'Contact not found');
  }

  async addTag(accountId: AccountId, userId: number, contactId: number, tagId: number): Promise<Contact> {
    return this.membership(accountId, userId, contactId, async (tx) => {
      if (!(await existingTagIds(tx, accountId, [tagId])).size)
        throw new AppError('NOT_FOUND', 'Tag not found');
      await repo.addContactTags(tx, accountId, contactId, [tagId]);
    });
  }

  async removeTag(accountId: AccountId, userId: number, contactId: number, tagId: number): Promise<Contact> {
    return this.membership(accountId, userId, contactId, (tx) => repo.removeContactTag(tx, contactId, tagId));
  }

  async addToList(accountId: AccountId, userId: number, contactId: number, listId: number): Promise<Contact> {
    return this.membership(accountId, userId, contactId, async (tx) => {
      if (!(await existingListIds(tx, accountId, [listId])).size)
        throw new AppError('NOT_FOUND', 'Subscriber list not found');
      await repo.addContactLists(tx, accountId, contactId, [listId]);
    });
  }

  async removeFromList(
    accountId: AccountId,
    userId: number,
    contactId: number,
    listId: number,
  ): Promise<Contact> {
    return this.membership(accountId, userId, contactId, (tx) =>
      repo.removeContactList(tx, contactId, listId),
    );
  }

  /** A keyset page of contacts matching search, SmartList and/or filter. */
  async list(accountId: AccountId, query: ListContactsQuery): Promise<ContactPage> {
    const after = query.cursor ? contactCursor(query.cursor, query.sort) : null;
    return withTenant(this.db, accountId, async (tx) => {
      const parts: SQL[] = [repo.liveContacts(accountId)];
      if (query.search) parts.push(searchPredicate(query.search));
      if (query.smartListId) {
        parts.push(await this.selections.compileSmartList(tx, accountId, Number(query.smartListId)));
      }
      if (query.filter)
        parts.push(await this.selections.compile(tx, accountId, parseFilterParam(query.filter)));
      const found = await repo.pageContacts(
        tx,
        sql.join(parts, sql` AND `),
        query.sort,
        query.dir,
        after,
        query.limit + 1,
      );
      return keysetPage(found, query.limit, toContact, (last) => [last.sortKey, Number(last.id)]);
    });
  }

  private async membership(
    accountId: AccountId,
    userId: number,
    contactId: number,
    change: (tx: Tx) => Promise<void>,
  ): Promise<Contact> {
    return this.write(accountId, async (tx) => {
      if (!(await repo.findContact(tx, accountId, contactId)))
        throw new AppError('NOT_FOUND', 'Contact not found');
      await change(tx);
      await repo.updateContact(tx, accountId, contactId, {}, userId, this.clock.now());
      return contactId;
    });
  }

  /** Runs a write in a tenant transaction, maps uniqueness conflicts to 409 with the field, returns the contact. */
  private async write(accountId: AccountId, work: (tx: Tx) => Promise<number>): Promise<Contact> {
    try {
      return await withTenant(this.db, accountId, async (tx) => {
        const id = await work(tx);
        return toContact((await repo.findContact(tx, accountId, id))!);
      });
    } catch (err) {
      const constraint = violatedUniqueConstraint(err);
      if (constraint === 'contacts_email_key') {
        throw new AppError('EMAIL_TAKEN', 'Another contact already has this email', {
          fields: [{ field: 'email', message: 'already used by another contact' }],
        });
      }
      if (constraint === 'contacts_phone_key') {
        throw new AppError('CONFLICT', 'Another contact already has this phone number', {
          fields: [{ field: 'phone', message: 'already used by another contact' }],
        });
      }
      throw err;
    }
  }

  /** Normalises email and phone and checks custom fields, tags and lists against the account. */
  private async checked(tx: Tx, accountId: AccountId, body: UpdateContactBody): Promise<repo.ContactWrite> {
    const issues: FieldIssue[] = [];
    const data: repo.ContactWrite = {
      firstName: body.firstName === undefined ? undefined : normalizeText(body.firstName ?? '') || null,
      lastName: body.lastName === undefined ? undefined : normalizeText(body.lastName ?? '') || null,
      emailConsent: body.emailConsent,
      smsConsent: body.smsConsent,
    };
    if (body.email !== undefined) data.email = body.email ? normalizeEmail(body.email) : null;
    if (body.phone !== undefined) {
      data.phone = body.phone ? normalizePhone(body.phone) : null;
      if (body.phone && !data.phone) issues.push({ field: 'phone', message: 'not a valid phone number' });
    }
    if (body.customFields) {
      issues.push(...checkCustomFields(body.customFields, await fieldTypes(tx, accountId)));
      data.customFields = normalizeCustomValues(body.customFields);
    }
    if (body.tagIds?.length) {
      const known = await existingTagIds(tx, accountId, body.tagIds.map(Number));
      for (const id of body.tagIds)
        if (!known.has(id)) issues.push({ field: 'tagIds', message: `unknown tag ${id}` });
    }
    if (body.listIds?.length) {
      const known = await existingListIds(tx, accountId, body.listIds.map(Number));
      for (const id of body.listIds)
        if (!known.has(id)) issues.push({ field: 'listIds', message: `unknown subscriber list ${id}` });
    }
    if (issues.length) throw validationError(issues);
    return data;
  }
}

// What a sort key of each kind looks like, so a tampered cursor is a 400 and not a SQL error.
const CURSOR_SHAPES: Record<ListContactsQuery['sort'], z.ZodType<[string, number]>> = {
  created_at: z.tuple([cursorTimestamp, cursorId]),
  updated_at: z.tuple([cursorTimestamp, cursorId]),
  email: z.tuple([cursorText, cursorId]),
  last_name: z.tuple([cursorText, cursorId]),
  id: z.tuple([z.string().refine(isIdText), cursorId]),
};

function contactCursor(cursor: string, sort: ListContactsQuery['sort']): { key: string; id: number } {
  const [key, id] = decodeCursor(cursor, CURSOR_SHAPES[sort]);
  return { key, id };
}

export function parseFilterParam(text: string) {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw validationError([{ field: 'query.filter', message: 'not valid JSON' }]);
  }
  const parsed = filterGroupSchema.safeParse(json);
  if (!parsed.success) {
    throw validationError(
      parsed.error.issues.map((i) => ({ field: ['query.filter', ...i.path].join('.'), message: i.message })),
    );
  }
  return parsed.data;
}
