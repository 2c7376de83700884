// SQL of saved import mappings (named settings reused by one-off and scheduled imports).
import { sql } from 'drizzle-orm';
import { rows, type Queryable } from '../../db/types.ts';
import type { AccountId } from '../../db/tenant.ts';
import { importSettingsSchema, type ImportMapping, type ImportSettings } from '../../../shared/imports.ts';

interface MappingRow {
  id: number;
  name: string;
  settings: unknown;
  createdAt: string;
  updatedAt: string;
}

const COLUMNS = sql`id, name, settings, created_at AS "createdAt", updated_at AS "updatedAt"`;

function toApi(r: MappingRow): ImportMapping & { settings: ImportSettings } {
  return {
    id: String(r.id),
    name: r.name,
    settings: importSettingsSchema.parse(r.settings),
    createdAt: new Date(r.createdAt).toISOString(),
    updatedAt: new Date(r.updatedAt).toISOString(),
  };
}

export async function listMappings(q: Queryable, accountId: AccountId): Promise<ImportMapping[]> {
  const found = await rows<MappingRow>(
    q,
    sql`SELECT ${COLUMNS} FROM import_mappings WHERE account_id = ${accountId} ORDER BY lower(name), id`,
  );
  return found.map(toApi);
}

export async function findMapping(
  q: Queryable,
  accountId: AccountId,
  id: number,
): Promise<ImportMapping | undefined> {
  const [found] = await rows<MappingRow>(
    q,
    sql`SELECT ${COLUMNS} FROM import_mappings WHERE account_id = ${accountId} AND id = ${id}`,
  );
  return found && toApi(found);
}

export async function insertMapping(
  q: Queryable,
  accountId: AccountId,
  m: { name: string; settings: ImportSettings; createdBy: number },
): Promise<ImportMapping> {
  const [found] = await rows<MappingRow>(
    q,
    sql`INSERT INTO import_mappings (account_id, name, settings, created_by)
        VALUES (${accountId}, ${m.name}, ${JSON.stringify(m.settings)}::jsonb, ${m.createdBy}) RETURNING ${COLUMNS}`,
  );
  return toApi(found!);
}

export async function updateMapping(
  q: Queryable,
  accountId: AccountId,
  id: number,
  m: { name: string; settings: ImportSettings; now: Date },
): Promise<ImportMapping | undefined> {
  const [found] = await rows<MappingRow>(
    q,
    sql`UPDATE import_mappings SET name = ${m.name}, settings = ${JSON.stringify(m.settings)}::jsonb,
               updated_at = ${m.now.toISOString()}::timestamptz
        WHERE account_id = ${accountId} AND id = ${id} RETURNING ${COLUMNS}`,
  );
  return found && toApi(found);
}

/** Deletes a mapping; answers false when none; refuses (FK) while a source uses it. */
export async function deleteMapping(q: Queryable, accountId: AccountId, id: number): Promise<boolean> {
  const gone = await rows<{ id: number }>(
    q,
    sql`DELETE FROM import_mappings WHERE account_id = ${accountId} AND id = ${id} RETURNING id`,
  );
  return gone.length > 0;
}

/** Names of the sources that import with this mapping. */
export async function sourcesUsing(q: Queryable, accountId: AccountId, id: number): Promise<string[]> {
  const found = await rows<{ name: string }>(
    q,
    sql`SELECT name FROM import_sources WHERE account_id = ${accountId} AND mapping_id = ${id} ORDER BY name`,
  );
  return found.map((f) => f.name);
}
