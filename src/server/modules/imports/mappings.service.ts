// Saved import mappings: named import settings, unique per account by name (case-insensitive).
import type { Db } from '../../db/types.ts';
import { withTenant } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import { violatedUniqueConstraint } from '../../db/pg-errors.ts';
import type { Clock } from '../../clock.ts';
import type { Actor } from '../../jobs/types.ts';
import type { ImportMapping, ImportSettings } from '../../../shared/imports.ts';
import * as repo from './mappings.repo.ts';

export class ImportMappingsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async list(actor: Actor): Promise<ImportMapping[]> {
    return withTenant(this.db, actor.access.accountId, (tx) => repo.listMappings(tx, actor.access.accountId));
  }

  async get(actor: Actor, id: number): Promise<ImportMapping> {
    const found = await withTenant(this.db, actor.access.accountId, (tx) =>
      repo.findMapping(tx, actor.access.accountId, id),
    );
    if (!found) throw new AppError('NOT_FOUND', 'Mapping not found');
    return found;
  }

  /** 409 `CONFLICT` when the name is taken. */
  async create(actor: Actor, body: { name: string; settings: ImportSettings }): Promise<ImportMapping> {
    return this.named(() =>
      withTenant(this.db, actor.access.accountId, (tx) =>
        repo.insertMapping(tx, actor.access.accountId, { ...body, createdBy: actor.userId }),
      ),
    );
  }

  async update(
    actor: Actor,
    id: number,
    body: { name: string; settings: ImportSettings },
  ): Promise<ImportMapping> {
    const found = await this.named(() =>
      withTenant(this.db, actor.access.accountId, (tx) =>
        repo.updateMapping(tx, actor.access.accountId, id, { ...body, now: this.clock.now() }),
      ),
    );
    if (!found) throw new AppError('NOT_FOUND', 'Mapping not found');
    return found;
  }

  /** 409 `IN_USE` while import sources use it (details.sources). */
  async remove(actor: Actor, id: number): Promise<void> {
    const accountId = actor.access.accountId;
    await withTenant(this.db, accountId, async (tx) => {
      const sources = await repo.sourcesUsing(tx, accountId, id);
      if (sources.length) throw new AppError('IN_USE', 'Import sources use this mapping', { sources });
      if (!(await repo.deleteMapping(tx, accountId, id)))
        throw new AppError('NOT_FOUND', 'Mapping not found');
    });
  }

  private async named<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (violatedUniqueConstraint(err) !== null)
        throw new AppError('CONFLICT', 'A mapping with this name exists', { field: 'name' });
      throw err;
    }
  }
}
