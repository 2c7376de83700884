import { eq } from 'drizzle-orm';
import { accounts } from '../../db/schema.ts';
import type { Db, Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import type { Account, UpdateAccountBody } from '../../../shared/accounts.ts';
import { isKnownTimeZone, updateTimeZone } from './accounts.repo.ts';

export class AccountsService {
  constructor(private readonly db: Db) {}

  async get(accountId: AccountId): Promise<Account> {
    const [row] = await this.db.select().from(accounts).where(eq(accounts.id, accountId)).limit(1);
    if (!row) throw new AppError('NOT_FOUND', 'Account not found');
    return {
      id: String(row.id),
      name: row.name,
      kind: row.kind,
      parentId: row.parentId === null ? null : String(row.parentId),
      createdAt: row.createdAt.toISOString(),
      timeZone: row.timeZone,
    };
  }

  /** Changes the account's general settings: today its time zone, which moves every calendar day it filters by. */
  async update(accountId: AccountId, body: UpdateAccountBody): Promise<Account> {
    await assertKnownTimeZone(this.db, body.timeZone);
    await updateTimeZone(this.db, accountId, body.timeZone);
    return this.get(accountId);
  }
}

/**
 * Refuses a zone the database cannot compute with (400): the schema checked it against the
 * runtime's zone list, but date filters run in SQL with the database's own list.
 */
export async function assertKnownTimeZone(q: Queryable, timeZone: string): Promise<void> {
  if (!(await isKnownTimeZone(q, timeZone))) {
    throw new AppError('VALIDATION_FAILED', `Unknown time zone '${timeZone}'`, {
      fields: [{ field: 'timeZone', message: 'must be an IANA time zone such as Europe/Berlin' }],
    });
  }
}
