// A type names its own reasons: a type registered from this test file, with reason codes of its
// own and details on its outcomes (as an import's rows would carry), shows its labels on the
// stats and in the error log in English and German, the engine's labels for the engine's codes,
// "Other reason (code)" for a code nobody named, and each outcome's details in one CSV cell.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { createHarness, login, type Client, type TestHarness } from '../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../test/helpers/database.ts';
import { asAccountId } from '../db/tenant.ts';
import type { Actor } from '../jobs/types.ts';
import { BulkRunner } from './runner.ts';
import type { BulkTypeSpec, ItemOutcome } from './registry.ts';

/**
 * Items 1..10 as rows of a file. 3, 6, 9: empty (skipped); 5, 10: not a date; 4: rejected (the
 * type's own words for an engine code); 7: interrupted (the engine's code and words); 8: a code
 * no one names. 1 and 2 succeed.
 */
function outcomeOf(n: number): ItemOutcome | undefined {
  const label = `row ${n}`;
  if (n % 3 === 0)
    return { outcome: 'skipped', reason: 'row_empty', label, details: { row: n, column: 'email' } };
  if (n === 5)
    return {
      outcome: 'failed',
      reason: 'bad_date',
      label,
      details: {
        value: '31.02., 2026',
        row: n,
        note: 'line one\nline two',
        skippedAsNull: null,
        where: { sheet: 'A', cell: 'B5' },
      },
    };
  // A key a spreadsheet would run as a formula.
  if (n === 10) return { outcome: 'failed', reason: 'bad_date', label, details: { '=HYPERLINK': 'x' } };
  if (n === 4) return { outcome: 'failed', reason: 'rejected', label };
  if (n === 7) return { outcome: 'failed', reason: 'interrupted', label };
  if (n === 8) return { outcome: 'failed', reason: 'mystery', label };
  return undefined;
}

const rowsType: BulkTypeSpec<{ file: string }> = {
  type: 'test_rows',
  params: z.object({ file: z.string() }),
  controls: ['cancel'],
  rights: ['contacts.bulk'],
  items: async (_q, _action, source) => {
    const { rows } = z.object({ rows: z.number().int() }).parse(source);
    return (after, limit) =>
      sql`SELECT g AS id, g AS key FROM generate_series(${after + 1}::bigint, ${rows}::bigint) g ORDER BY g LIMIT ${limit}`;
  },
  chunk: async (_q, _ctx, subjects) => {
    const outcomes = new Map<number, ItemOutcome>();
    for (const n of subjects) {
      const outcome = outcomeOf(n);
      if (outcome) outcomes.set(n, outcome);
    }
    return { outcomes };
  },
  name: (lang, n, p) => (lang === 'de' ? `${p.file}: ${n} Zeilen` : `${p.file}: ${n} rows`),
  reasons: {
    row_empty: { en: 'The row is empty', de: 'Die Zeile ist leer' },
    bad_date: { en: 'Not a valid date', de: 'Kein gültiges Datum' },
    rejected: { en: 'The file refused this row', de: 'Die Datei lehnte diese Zeile ab' },
  },
};

describe(`bulk reason labels and details registered by a type (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let owner: Client;
  let actionId: string;
  const url = (p: string) => `/api/accounts/${tenant.subId}/bulk-actions/${actionId}${p}`;

  beforeAll(async () => {
    h = await createHarness();
    const db = h.db.database.db;
    tenant = await createTenant(db);
    owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    h.services.bulkTypes.register(rowsType);
    const access = await h.services.access.accessTo(Number(owner.userId), asAccountId(Number(tenant.subId)));
    const actor: Actor = { access: access!, userId: Number(owner.userId), language: 'en' };
    const created = await h.services.bulkActions.start(actor, {
      type: 'test_rows',
      params: { file: 'people.csv' },
      source: { rows: 10 },
      expected: 10,
      details: {},
    });
    actionId = created.id;
    // Chunks of 4: the outcomes come from three chunks.
    await new BulkRunner(db, h.clock, { chunk: 4, freeze: 4 }, h.services.notifier, h.services.bulkTypes).run(
      Number(actionId),
    );
    expect(await h.services.bulkActions.get(actor, Number(actionId))).toMatchObject({
      status: 'completed',
      succeeded: 2,
      skipped: 3,
      failed: 5,
    });
  });
  afterAll(() => h.close());

  const stats = async (query: string) => {
    const res = await owner.request('GET', url(`/stats${query}`));
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ reasons: { outcome: string; reason: string; label: string; count: number }[] }>()
      .reasons;
  };
  const csv = async (query: string) => {
    const res = await owner.request('GET', url(`/errors.csv${query}`));
    expect(res.statusCode, res.body).toBe(200);
    return res.body.trim().split('\n');
  };

  it("labels the stats' reasons in the reader's language: the type's, the engine's, or the fallback", async () => {
    expect(await stats('?lang=en')).toEqual([
      { outcome: 'skipped', reason: 'row_empty', label: 'The row is empty', count: 3 },
      { outcome: 'failed', reason: 'bad_date', label: 'Not a valid date', count: 2 },
      {
        outcome: 'failed',
        reason: 'interrupted',
        label: 'Interrupted while sending; not sent again to avoid a duplicate',
        count: 1,
      },
      { outcome: 'failed', reason: 'mystery', label: 'Other reason (mystery)', count: 1 },
      { outcome: 'failed', reason: 'rejected', label: 'The file refused this row', count: 1 },
    ]);
    const de = await stats('?lang=de');
    expect(de.map((r) => [r.reason, r.label])).toEqual([
      ['row_empty', 'Die Zeile ist leer'],
      ['bad_date', 'Kein gültiges Datum'],
      ['interrupted', 'Beim Senden unterbrochen; nicht erneut gesendet, um Doppelte zu vermeiden'],
      ['mystery', 'Anderer Grund (mystery)'],
      ['rejected', 'Die Datei lehnte diese Zeile ab'],
    ]);
    expect((await owner.request('GET', url('/stats?lang=xx'))).statusCode).toBe(400);
  });

  it("without a language, uses the user's setting", async () => {
    expect((await stats(''))[0]!.label).toBe('The row is empty');
    expect((await owner.request('PATCH', '/api/me/settings', { language: 'de' })).statusCode).toBe(200);
    expect((await stats(''))[0]!.label).toBe('Die Zeile ist leer');
    expect((await csv(''))[0]).toBe('Kontakt-ID,E-Mail oder Telefon,Ergebnis,Grund,Details,Grund-Code');
  });

  it('writes the labels and each outcome’s details into the error log, the reason code last', async () => {
    expect(await csv('?lang=en')).toEqual([
      'Contact ID,Email or phone,Outcome,Reason,Details,Reason code',
      '3,row 3,Skipped,The row is empty,column=email; row=3,row_empty',
      '4,row 4,Failed,The file refused this row,,rejected',
      // Keys in order, null left out, the line break a space, a nested value as JSON; quoted.
      '5,row 5,Failed,Not a valid date,' +
        '"note=line one line two; row=5; value=31.02., 2026; where={""cell"":""B5"",""sheet"":""A""}",bad_date',
      '6,row 6,Skipped,The row is empty,column=email; row=6,row_empty',
      '7,row 7,Failed,Interrupted while sending; not sent again to avoid a duplicate,,interrupted',
      '8,row 8,Failed,Other reason (mystery),,mystery',
      '9,row 9,Skipped,The row is empty,column=email; row=9,row_empty',
      // Defused like any other cell: it cannot run as a formula.
      "10,row 10,Failed,Not a valid date,'=HYPERLINK=x,bad_date",
    ]);
    expect((await csv('?lang=de')).slice(0, 3)).toEqual([
      'Kontakt-ID,E-Mail oder Telefon,Ergebnis,Grund,Details,Grund-Code',
      '3,row 3,Übersprungen,Die Zeile ist leer,column=email; row=3,row_empty',
      '4,row 4,Fehlgeschlagen,Die Datei lehnte diese Zeile ab,,rejected',
    ]);
  });
});
