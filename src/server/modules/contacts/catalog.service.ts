import type { Db } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { violatedUniqueConstraint } from '../../db/pg-errors.ts';
import { AppError } from '../../errors.ts';
import { isoTime } from '../../db/types.ts';
import type { CustomField, CustomFieldType, SubscriberList, Tag } from '../../../shared/contacts.ts';
import * as repo from './catalog.repo.ts';

/** Tags, subscriber lists and custom field definitions of one account. */
export class CatalogService {
  constructor(private readonly db: Db) {}

  async listTags(accountId: AccountId): Promise<Tag[]> {
    return withTenant(this.db, accountId, async (tx) => (await repo.listTags(tx, accountId)).map(toTag));
  }
  async createTag(accountId: AccountId, body: { name: string; color?: string | null }): Promise<Tag> {
    return this.unique('name', 'A tag with this name exists', () =>
      withTenant(this.db, accountId, async (tx) => toTag(await repo.insertTag(tx, accountId, body))),
    );
  }
  async updateTag(
    accountId: AccountId,
    id: number,
    body: { name: string; color?: string | null },
  ): Promise<Tag> {
    const row = await this.unique('name', 'A tag with this name exists', () =>
      withTenant(this.db, accountId, (tx) => repo.updateTag(tx, accountId, id, body)),
    );
    if (!row) throw new AppError('NOT_FOUND', 'Tag not found');
    return toTag(row);
  }
  async deleteTag(accountId: AccountId, id: number): Promise<void> {
    if (!(await withTenant(this.db, accountId, (tx) => repo.deleteTag(tx, accountId, id))))
      throw new AppError('NOT_FOUND', 'Tag not found');
  }

  async listLists(accountId: AccountId): Promise<SubscriberList[]> {
    return withTenant(this.db, accountId, async (tx) => (await repo.listLists(tx, accountId)).map(toList));
  }
  async createList(
    accountId: AccountId,
    body: { name: string; description?: string | null },
  ): Promise<SubscriberList> {
    return this.unique('name', 'A subscriber list with this name exists', () =>
      withTenant(this.db, accountId, async (tx) => toList(await repo.insertList(tx, accountId, body))),
    );
  }
  async updateList(
    accountId: AccountId,
    id: number,
    body: { name: string; description?: string | null },
  ): Promise<SubscriberList> {
    const row = await this.unique('name', 'A subscriber list with this name exists', () =>
      withTenant(this.db, accountId, (tx) => repo.updateList(tx, accountId, id, body)),
    );
    if (!row) throw new AppError('NOT_FOUND', 'Subscriber list not found');
    return toList(row);
  }
  async deleteList(accountId: AccountId, id: number): Promise<void> {
    if (!(await withTenant(this.db, accountId, (tx) => repo.deleteList(tx, accountId, id)))) {
      throw new AppError('NOT_FOUND', 'Subscriber list not found');
    }
  }

  async listFields(accountId: AccountId): Promise<CustomField[]> {
    return withTenant(this.db, accountId, async (tx) => (await repo.listFields(tx, accountId)).map(toField));
  }
  async createField(
    accountId: AccountId,
    body: { key: string; label: string; type: CustomFieldType },
  ): Promise<CustomField> {
    return this.unique('key', 'A custom field with this key exists', () =>
      withTenant(this.db, accountId, async (tx) => toField(await repo.insertField(tx, accountId, body))),
    );
  }
  async updateField(accountId: AccountId, id: number, label: string): Promise<CustomField> {
    const row = await withTenant(this.db, accountId, (tx) => repo.updateField(tx, accountId, id, label));
    if (!row) throw new AppError('NOT_FOUND', 'Custom field not found');
    return toField(row);
  }
  async deleteField(accountId: AccountId, id: number): Promise<void> {
    if (!(await withTenant(this.db, accountId, (tx) => repo.deleteField(tx, accountId, id)))) {
      throw new AppError('NOT_FOUND', 'Custom field not found');
    }
  }

  private async unique<T>(field: string, message: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (violatedUniqueConstraint(err) !== null)
        throw new AppError('CONFLICT', message, { fields: [{ field, message: 'already taken' }] });
      throw err;
    }
  }
}

function toTag(row: repo.TagRow & { contactCount?: number }): Tag {
  return {
    id: String(row.id),
    name: row.name,
    color: row.color,
    contactCount: row.contactCount,
    createdAt: isoTime(row.createdAt),
  };
}
function toList(row: repo.ListRow & { memberCount?: number }): SubscriberList {
  return {
    id: String(row.id),
    name: row.name,
    description: row.description,
    memberCount: row.memberCount,
    createdAt: isoTime(row.createdAt),
  };
}
function toField(row: repo.FieldRow): CustomField {
  return {
    id: String(row.id),
    key: row.key,
    label: row.label,
    type: row.type,
    createdAt: isoTime(row.createdAt),
  };
}
