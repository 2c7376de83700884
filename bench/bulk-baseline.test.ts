// The fair baseline must do the engine's required work, or the bench's ratios flatter the engine:
// only live contacts change, every chunk is applied, delete records tags and lists, restore brings
// them back and skips contacts whose email or phone a live contact now holds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { rows } from '../src/server/db/types.ts';
import { insertAccount } from '../src/server/modules/accounts/accounts.repo.ts';
import { generateContacts } from '../src/server/seed/contact-generator.ts';
import { createTestDatabase, type TestDatabase } from '../test/helpers/database.ts';
import {
  check,
  createBaselineTables,
  dropSnapshot,
  fairAddTag,
  fairDelete,
  fairRemoveTag,
  fairRestore,
  type Target,
} from './bulk-baseline.ts';

const CONTACTS = 250;
/** Several chunks, the last one short, so a chunking bug shows. */
const CHUNK = 60;

let t: TestDatabase;
let target: Target;

beforeAll(async () => {
  t = await createTestDatabase();
  const account = await insertAccount(t.database.db, { name: 'Baseline', kind: 'agency', parentId: null });
  await generateContacts(t.database, account, CONTACTS);
  await createBaselineTables(t.database);
  target = { database: t.database, account, chunk: CHUNK };
});
afterAll(async () => {
  await t.dispose();
});

const one = async <T>(query: ReturnType<typeof sql>) => (await rows<T>(t.database.db, query))[0]!;

async function newTag(name: string): Promise<string> {
  return (
    await one<{ id: string }>(
      sql`INSERT INTO tags (account_id, name) VALUES (${target.account}, ${name}) RETURNING id::text AS id`,
    )
  ).id;
}

/** Memberships as "contact:tag" / "contact:list" strings, for exact comparison. */
async function memberships(): Promise<{ tags: string[]; lists: string[] }> {
  const tags = await rows<{ m: string }>(
    t.database.db,
    sql`SELECT contact_id || ':' || tag_id AS m FROM contact_tags WHERE account_id = ${target.account} ORDER BY 1`,
  );
  const lists = await rows<{ m: string }>(
    t.database.db,
    sql`SELECT contact_id || ':' || list_id AS m FROM list_members WHERE account_id = ${target.account} ORDER BY 1`,
  );
  return { tags: tags.map((r) => r.m), lists: lists.map((r) => r.m) };
}

describe('fair bulk baseline', () => {
  it('tags every live contact across all chunks and untags them again, leaving deleted ones alone', async () => {
    const tag = await newTag('baseline-tags');
    const { id: gone } = await one<{ id: string }>(
      sql`UPDATE contacts SET deleted_at = now()
          WHERE id = (SELECT min(id) + 7 FROM contacts WHERE account_id = ${target.account}) RETURNING id::text AS id`,
    );
    await fairAddTag(target, 101, tag);
    expect(await check.tagged(t.database, tag)).toBe(CONTACTS - 1);
    const { n: gotTag } = await one<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM contact_tags WHERE tag_id = ${tag} AND contact_id = ${gone}`,
    );
    expect(gotTag).toBe(0);
    const { n: chunks } = await one<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM bench_snapshot WHERE action_id = 101`,
    );
    expect(chunks).toBe(Math.ceil((CONTACTS - 1) / CHUNK));
    await dropSnapshot(t.database, 101);

    await fairRemoveTag(target, 102, tag);
    expect(await check.tagged(t.database, tag)).toBe(0);
    await t.database.db.execute(sql`UPDATE contacts SET deleted_at = NULL WHERE id = ${gone}`);
  });

  it('deletes with restore records, and restores contacts, tags and lists unless email or phone is taken', async () => {
    const before = await memberships();
    await fairDelete(target, 201);
    expect(await check.deleted(t.database, target.account)).toBe(CONTACTS);
    expect(await check.recorded(t.database, 201)).toBe(CONTACTS);

    // Memberships gone meanwhile (say, purged) must come back from the records alone.
    await t.database.db.execute(sql`DELETE FROM contact_tags WHERE account_id = ${target.account}`);
    await t.database.db.execute(sql`DELETE FROM list_members WHERE account_id = ${target.account}`);
    // New live contacts take the email of one deleted contact and the phone of another.
    const byEmail = await one<{ id: string; email: string }>(
      sql`SELECT id::text AS id, email FROM contacts WHERE account_id = ${target.account} AND email IS NOT NULL
          ORDER BY id LIMIT 1`,
    );
    const byPhone = await one<{ id: string; phone: string }>(
      sql`SELECT id::text AS id, phone FROM contacts WHERE account_id = ${target.account} AND phone IS NOT NULL
          AND id <> ${byEmail.id} ORDER BY id DESC LIMIT 1`,
    );
    await t.database.db.execute(
      sql`INSERT INTO contacts (account_id, email) VALUES (${target.account}, ${byEmail.email.toUpperCase()})`,
    );
    await t.database.db.execute(
      sql`INSERT INTO contacts (account_id, phone) VALUES (${target.account}, ${byPhone.phone})`,
    );

    await fairRestore(target, 201);
    const { ids: stillDeleted } = await one<{ ids: string[] }>(
      sql`SELECT coalesce(array_agg(id::text ORDER BY id), '{}') AS ids FROM contacts
          WHERE account_id = ${target.account} AND deleted_at IS NOT NULL`,
    );
    expect(stillDeleted).toEqual([byEmail.id, byPhone.id].sort((a, b) => Number(a) - Number(b)));
    const notBack = (m: string) => !m.startsWith(`${byEmail.id}:`) && !m.startsWith(`${byPhone.id}:`);
    const after = await memberships();
    expect(before.tags.length).toBeGreaterThan(0);
    expect(before.lists.length).toBeGreaterThan(0);
    expect(after.tags).toEqual(before.tags.filter(notBack));
    expect(after.lists).toEqual(before.lists.filter(notBack));
  });
});
