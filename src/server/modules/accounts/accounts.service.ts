import { eq } from 'drizzle-orm';
import { accounts } from '../../db/schema.ts';
import type { Db } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import type { Account } from '../../../shared/accounts.ts';

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
    };
  }
}
