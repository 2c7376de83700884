// Imports through the HTTP API on a real database with the real worker: files as Excel and German
// CRMs write them, mapping, modes and per-field policies, consent that an update never flips,
// duplicates inside the file, dry run without writes, idempotent start, undo, error log and the
// failed rows file, tenancy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { multipartFile } from '../../../../test/helpers/multipart.ts';
import { rows } from '../../db/types.ts';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import type { ImportSettingsInput, ImportSummary, ImportUpload } from '../../../shared/imports.ts';

/** Windows-1252 bytes of `text` (only characters Windows-1252 has; € is 0x80). */
function cp1252(text: string): Buffer {
  return Buffer.from([...text].map((ch) => (ch === '€' ? 0x80 : ch.charCodeAt(0))).filter((c) => c <= 0xff));
}

describe(`imports (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let owner: Client;
  const url = (p: string) => `/api/accounts/${tenant.subId}${p}`;

  beforeAll(async () => {
    h = await createHarness({ worker: true, env: { HERALD_BULK_CHUNK: '4' } });
    tenant = await createTenant(h.db.database.db);
    owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    await owner.request('POST', url('/custom-fields'), {
      key: 'kundennummer',
      label: 'Kundennummer',
      type: 'number',
    });
    await owner.request('POST', url('/custom-fields'), {
      key: 'geburtstag',
      label: 'Geburtstag',
      type: 'date',
    });
  });
  afterAll(async () => h.close());

  async function upload(content: Buffer, name = 'kunden.csv', query = ''): Promise<ImportUpload> {
    const { body, headers } = multipartFile(content, name);
    const res = await owner.request('POST', url(`/imports/uploads${query}`), body, headers);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ImportUpload>();
  }

  async function runImport(
    up: ImportUpload,
    settings: ImportSettingsInput,
    extra: { dryRun?: boolean; key?: string } = {},
  ): Promise<{ action: BulkAction; summary: ImportSummary }> {
    const res = await owner.request(
      'POST',
      url('/imports'),
      { uploadId: up.id, settings, dryRun: extra.dryRun ?? false },
      extra.key ? { 'idempotency-key': extra.key } : {},
    );
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json<BulkAction>().id;
    await expect
      .poll(async () => (await owner.request('GET', url(`/bulk-actions/${id}`))).json<BulkAction>().status, {
        timeout: 30_000,
      })
      .toMatch(/completed|failed|cancelled/);
    const action = (await owner.request('GET', url(`/bulk-actions/${id}`))).json<BulkAction>();
    const summary = (await owner.request('GET', url(`/imports/${id}`))).json<ImportSummary>();
    return { action, summary };
  }

  const contact = async (email: string) =>
    (
      await rows<Record<string, unknown>>(
        h.db.database.db,
        sql`SELECT email, phone, first_name, last_name, email_consent, sms_consent, custom_fields
            FROM contacts WHERE account_id = ${Number(tenant.subId)} AND lower(email) = ${email} AND deleted_at IS NULL`,
      )
    )[0];

  it('reads a semicolon-separated Windows-1252 export with umlauts, imports the valid rows and logs the rest', async () => {
    const file = cp1252(
      'E-Mail;Vorname;Nachname;Mobil;Kundennummer;Geburtstag;Tags\r\n' +
        'juergen.mueller@example.de;Jürgen;Müller;0171 2345678;1.234;24.12.1980;"VIP,Kunde"\r\n' +
        'GRETE@example.de;Grete;Weiß;;42;;Kunde\r\n' +
        'kein-email;Kai;Öz;;;;\r\n' +
        'hans@example.de;Hans;"Groß; Sohn";;abc;;\r\n' +
        'grete@EXAMPLE.de;Grete 2;Doppelt;;;;\r\n',
    );
    const up = await upload(file);
    expect(up.detected).toEqual({ encoding: 'windows-1252', delimiter: ';' });
    expect(up.header).toEqual([
      'E-Mail',
      'Vorname',
      'Nachname',
      'Mobil',
      'Kundennummer',
      'Geburtstag',
      'Tags',
    ]);
    expect(up.preview[0]!.cells[2]!.value).toBe('Müller');
    expect(up.suggestions.map((s) => s.target)).toEqual([
      { kind: 'email' },
      { kind: 'first_name' },
      { kind: 'last_name' },
      { kind: 'phone' },
      { kind: 'custom', key: 'kundennummer' },
      { kind: 'custom', key: 'geburtstag' },
      { kind: 'tags' },
    ]);
    // Per-cell validation in the preview: the bad email and the bad number are flagged.
    expect(up.preview[2]!.cells[0]!.error).toMatch(/not an email/);
    expect(up.preview[3]!.cells[4]!.error).toMatch(/not a number/);

    const { action, summary } = await runImport(up, { columns: up.suggestions });
    expect(action.status).toBe('completed');
    expect(action.total).toBe(5);
    expect(summary).toMatchObject({
      rowsRead: 5,
      created: 2,
      updated: 0,
      invalid: 2,
      duplicates: 1,
      failed: 2,
      skipped: 1,
    });
    expect(await contact('juergen.mueller@example.de')).toMatchObject({
      first_name: 'Jürgen',
      last_name: 'Müller',
      phone: '+491712345678',
      custom_fields: { kundennummer: 1234, geburtstag: '1980-12-24' },
    });
    const tags = await rows<{ name: string }>(
      h.db.database.db,
      sql`SELECT t.name FROM contact_tags ct JOIN tags t ON t.id = ct.tag_id JOIN contacts c ON c.id = ct.contact_id
          WHERE c.email = 'juergen.mueller@example.de' ORDER BY t.name`,
    );
    expect(tags.map((t) => t.name)).toEqual(['Kunde', 'VIP']);

    const log = (await owner.request('GET', url(`/bulk-actions/${action.id}/errors.csv`))).body;
    expect(log).toContain('invalid_email');
    expect(log).toContain('duplicate_in_file');
    expect(log).toMatch(/collidesWith=2/);
    const failed = (await owner.request('GET', url(`/imports/${action.id}/failed-rows.csv`))).body;
    // The failed rows in the file's own columns (the duplicate is skipped, not failed).
    expect(failed.replace('\ufeff', '').trim().split('\r\n')).toEqual([
      'E-Mail,Vorname,Nachname,Mobil,Kundennummer,Geburtstag,Tags',
      'kein-email,Kai,Öz,,,,',
      'hans@example.de,Hans,Groß; Sohn,,abc,,',
    ]);
  });

  it('never changes consent on update unless asked, and never resubscribes', async () => {
    const create = await owner.request('POST', url('/contacts'), {
      email: 'optout@example.de',
      firstName: 'Olga',
      emailConsent: 'unsubscribed',
    });
    expect(create.statusCode, create.body).toBe(201);
    await owner.request('POST', url('/contacts'), { email: 'stays@example.de', emailConsent: 'subscribed' });
    const file = Buffer.from(
      'email,first_name,email consent\noptout@example.de,Olga,ja\nstays@example.de,Sam,nein\n',
    );
    const up = await upload(file);
    const columns = up.suggestions;
    expect(columns[2]!.target).toEqual({ kind: 'email_consent' });

    await runImport(up, { columns });
    expect(await contact('optout@example.de')).toMatchObject({ email_consent: 'unsubscribed' });
    expect(await contact('stays@example.de')).toMatchObject({
      email_consent: 'subscribed',
      first_name: 'Sam',
    });

    await runImport(up, { columns, applyConsent: true });
    // Applied: the opt-out is taken; the "ja" does not resubscribe the unsubscribed contact.
    expect(await contact('optout@example.de')).toMatchObject({ email_consent: 'unsubscribed' });
    expect(await contact('stays@example.de')).toMatchObject({ email_consent: 'unsubscribed' });
    // The withdrawn consent is recorded as an opt-out from the import (the new contact's is not a change).
    const optOuts = await rows<{ email: string; channel: string; source: string }>(
      h.db.database.db,
      sql`SELECT c.email, o.channel, o.source FROM opt_outs o JOIN contacts c ON c.id = o.contact_id
          WHERE o.account_id = ${Number(tenant.subId)} ORDER BY o.id`,
    );
    expect(optOuts).toEqual([{ email: 'stays@example.de', channel: 'email', source: 'import' }]);
  });

  it('reads "bounced" / "unzustellbar" in a consent column as deliverability, never as consent', async () => {
    await owner.request('POST', url('/contacts'), { email: 'known@example.de', phone: '+4917011112222' });
    const file = Buffer.from(
      'email,phone,email consent,sms consent\n' +
        'new-bounced@example.de,,unzustellbar,\n' +
        'known@example.de,,bounced,Bounced\n' +
        'fine@example.de,,ja,\n',
    );
    const up = await upload(file);
    const columns = up.suggestions;
    expect(columns.map((c) => c.target.kind)).toEqual(['email', 'phone', 'email_consent', 'sms_consent']);
    const { summary } = await runImport(up, { columns, matchBy: 'email', applyConsent: true });
    expect(summary).toMatchObject({ created: 2, invalid: 0 });
    // Consent stays a choice: subscribed (new) or as it was (known).
    expect(await contact('new-bounced@example.de')).toMatchObject({ email_consent: 'subscribed' });
    expect(await contact('known@example.de')).toMatchObject({
      email_consent: 'subscribed',
      sms_consent: 'subscribed',
    });
    const states = await rows<{ channel: string; address: string; state: string; reason: string }>(
      h.db.database.db,
      sql`SELECT channel, address, state, reason FROM address_deliverability
          WHERE account_id = ${Number(tenant.subId)} ORDER BY channel, address`,
    );
    expect(states).toEqual([
      { channel: 'email', address: 'known@example.de', state: 'hard_bounced', reason: 'import' },
      { channel: 'email', address: 'new-bounced@example.de', state: 'hard_bounced', reason: 'import' },
      { channel: 'sms', address: '+4917011112222', state: 'hard_bounced', reason: 'import' },
    ]);
  });

  it('follows the mode and the per-field policies; an empty cell never clears unless asked', async () => {
    await owner.request('POST', url('/contacts'), {
      email: 'anna@example.de',
      firstName: 'Anna',
      lastName: 'Alt',
    });
    await owner.request('POST', url('/contacts'), { email: 'bert@example.de', firstName: 'Bert' });
    const file = Buffer.from(
      'email,first_name,last_name\nanna@example.de,Anne,\nbert@example.de,Berti,Neu\nneu@example.de,Nina,Neu\n',
    );
    const up = await upload(file);
    const columns = up.suggestions;

    const createOnly = await runImport(up, { columns, mode: 'create' });
    expect(createOnly.summary).toMatchObject({ created: 1, updated: 0, skipped: 2 });
    expect(await contact('anna@example.de')).toMatchObject({ first_name: 'Anna', last_name: 'Alt' });

    await owner.request('POST', url('/contacts'), { email: 'solo@example.de' });
    const updateOnly = await runImport(
      await upload(Buffer.from('email,first_name\nsolo@example.de,Solo\nnobody@example.de,No\n')),
      {
        columns: [
          { header: 'email', target: { kind: 'email' } },
          { header: 'first_name', target: { kind: 'first_name' } },
        ],
        mode: 'update',
      },
    );
    expect(updateOnly.summary).toMatchObject({ created: 0, updated: 1, skipped: 1 });
    expect(await contact('nobody@example.de')).toBeUndefined();

    const policies = await runImport(up, {
      columns,
      policies: { first_name: 'never', last_name: 'fill_empty' },
    });
    expect(policies.summary).toMatchObject({ created: 0, updated: 1, unchanged: 2 });
    // Anna: the name is never taken; her last name is not empty, and the empty cell keeps it.
    expect(await contact('anna@example.de')).toMatchObject({ first_name: 'Anna', last_name: 'Alt' });
    // Bert had no last name: filled.
    expect(await contact('bert@example.de')).toMatchObject({ first_name: 'Bert', last_name: 'Neu' });

    await runImport(up, { columns, blankClears: true });
    expect(await contact('anna@example.de')).toMatchObject({ first_name: 'Anne', last_name: null });
  });

  it('reports duplicates inside the file with the row they collide with; the first wins', async () => {
    const file = Buffer.from(
      'email,phone,first_name\nerst@example.de,030 1234567,Erste\nERST@example.de,,Zweite\nanders@example.de,+49 30 1234567,Dritte\n',
    );
    const up = await upload(file);
    const { action, summary } = await runImport(up, { columns: up.suggestions });
    expect(summary).toMatchObject({ created: 1, duplicates: 2, skipped: 2 });
    expect(await contact('erst@example.de')).toMatchObject({ first_name: 'Erste', phone: '+49301234567' });
    const log = (await owner.request('GET', url(`/bulk-actions/${action.id}/errors.csv`))).body;
    expect(log.match(/collidesWith=1/g)).toHaveLength(2);
  });

  it('dry run: the same counts and error log, and not one write to contacts', async () => {
    const checksum = async () =>
      (
        await rows<{ n: number; sum: string }>(
          h.db.database.db,
          sql`SELECT count(*)::int AS n, coalesce(md5(string_agg(c::text, '|' ORDER BY id)), '') AS sum
              FROM contacts c WHERE account_id = ${Number(tenant.subId)}`,
        )
      )[0];
    const tagCount = async () =>
      (
        await rows<{ n: number }>(
          h.db.database.db,
          sql`SELECT count(*)::int AS n FROM tags WHERE account_id = ${Number(tenant.subId)}`,
        )
      )[0]!.n;
    const before = await checksum();
    const tagsBefore = await tagCount();
    const up = await upload(
      Buffer.from(
        'email,first_name,tags\nanna@example.de,Annette,Neu-Tag\ndry@example.de,Dry,Neu-Tag\nbad,X,\ndry@example.de,Dup,\n',
      ),
    );
    const { action, summary } = await runImport(up, { columns: up.suggestions }, { dryRun: true });
    expect(summary).toMatchObject({ dryRun: true, created: 1, updated: 1, invalid: 1, duplicates: 1 });
    expect(action.controls).not.toContain('undo');
    expect(await checksum()).toEqual(before);
    expect(await tagCount()).toBe(tagsBefore);
    expect((await owner.request('GET', url(`/bulk-actions/${action.id}/errors.csv`))).body).toContain(
      'invalid_email',
    );
  });

  it('creates one import for a retried start with the same Idempotency-Key', async () => {
    const up = await upload(Buffer.from('email\nonce@example.de\n'));
    const body = { uploadId: up.id, settings: { columns: up.suggestions } };
    const first = await owner.request('POST', url('/imports'), body, { 'idempotency-key': 'import-once-1' });
    const again = await owner.request('POST', url('/imports'), body, { 'idempotency-key': 'import-once-1' });
    expect(first.statusCode).toBe(201);
    expect(again.json().id).toBe(first.json().id);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it('undo deletes the contacts the import created and leaves the ones it updated', async () => {
    await owner.request('POST', url('/contacts'), { email: 'old@example.de', firstName: 'Old' });
    const up = await upload(
      Buffer.from('email,first_name\nold@example.de,Older\nnew1@example.de,N1\nnew2@example.de,N2\n'),
    );
    const { action } = await runImport(up, { columns: up.suggestions });
    expect(action.controls).toContain('undo');
    const preview = (await owner.request('GET', url(`/imports/${action.id}/undo-preview`))).json();
    expect(preview).toEqual({ willDelete: 2, notTouched: { updated: 1, alreadyDeleted: 0 } });
    const undo = await owner.request('POST', url(`/bulk-actions/${action.id}/undo`));
    expect(undo.statusCode, undo.body).toBe(201);
    expect(undo.json().type).toBe('delete_contacts');
    await expect
      .poll(async () => (await owner.request('GET', url(`/bulk-actions/${undo.json().id}`))).json().status, {
        timeout: 30_000,
      })
      .toBe('completed');
    expect(await contact('new1@example.de')).toBeUndefined();
    expect(await contact('new2@example.de')).toBeUndefined();
    expect(await contact('old@example.de')).toMatchObject({ first_name: 'Older' });
  });

  it('refuses files that cannot be imported with a clear 400', async () => {
    const bad = async (content: Buffer) => {
      const { body, headers } = multipartFile(content, 'x.csv');
      const res = await owner.request('POST', url('/imports/uploads'), body, headers);
      expect(res.statusCode, res.body).toBe(400);
      return res.json().error;
    };
    expect(await bad(Buffer.alloc(0))).toMatchObject({
      code: 'IMPORT_FILE_INVALID',
      details: { reason: 'empty_file' },
    });
    expect(
      (await bad(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 1, 2, 0, 0, 3]))).details.reason,
    ).toBe('binary_file');
    expect((await bad(Buffer.from('\n\n'))).code).toBe('IMPORT_FILE_INVALID');
    const noFile = await owner.request('POST', url('/imports/uploads'), { file: 'x' });
    expect(noFile.statusCode).toBe(400);
  });

  it('turns broken rows into error log lines and imports the rest: 10,000 cells, a file ending inside a quote', async () => {
    const wide = ['wide@example.de', ...Array.from({ length: 10_000 }, (_, i) => `c${i}`)].join(',');
    const file = Buffer.from(
      `email,first_name\nok1@example.de,Eins\n${wide}\nok2@example.de,Zwei\nlast@example.de,"never closed\n`,
    );
    const up = await upload(file);
    const { action, summary } = await runImport(up, { columns: up.suggestions });
    expect(action.status).toBe('completed');
    expect(summary).toMatchObject({ created: 2, failed: 2, rowsRead: 4 });
    expect(await contact('ok2@example.de')).toMatchObject({ first_name: 'Zwei' });
    const log = (await owner.request('GET', url(`/bulk-actions/${action.id}/errors.csv`))).body;
    expect(log).toContain('column_count');
    expect(log).toContain('unclosed_quote');
  });

  it('runs several imports of one account at once', async () => {
    const files = await Promise.all(
      [0, 1, 2].map((n) =>
        upload(
          Buffer.from(
            `email,first_name\n${Array.from({ length: 30 }, (_, i) => `par${n}-${i}@example.de,P${n}`).join('\n')}\n`,
          ),
        ),
      ),
    );
    const results = await Promise.all(files.map((up) => runImport(up, { columns: up.suggestions })));
    for (const r of results) expect(r.summary).toMatchObject({ created: 30, failed: 0 });
  });

  it('keeps uploads and imports inside their account', async () => {
    const other = await createTenant(h.db.database.db);
    const stranger = await login(h.app, other.users.owner, TEST_PASSWORD);
    const up = await upload(Buffer.from('email\nmine@example.de\n'));
    const theirs = `/api/accounts/${other.subId}`;
    expect((await stranger.request('GET', `${theirs}/imports/uploads/${up.id}`)).statusCode).toBe(404);
    const start = await stranger.request('POST', `${theirs}/imports`, {
      uploadId: up.id,
      settings: { columns: up.suggestions },
    });
    expect(start.statusCode).toBe(404);
    // A user without contacts.import may not upload.
    const analyst = await login(h.app, tenant.users.analyst, TEST_PASSWORD);
    const { body, headers } = multipartFile(Buffer.from('email\na@b.de\n'), 'x.csv');
    expect((await analyst.request('POST', url('/imports/uploads'), body, headers)).statusCode).toBe(403);
  });
});
