// Scheduled remote imports against real servers on loopback: an SFTP source pulls a PGP-encrypted
// zip on its schedule, decrypts, unpacks and imports it once (never again for the same content);
// FTPS works the same way; every failure cause raises exactly one `ftp_import.failed`; secrets
// never come back from the API.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import * as openpgp from 'openpgp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createHarness, login, type Client, type TestHarness } from '../../../../test/helpers/app.ts';
import { createTenant, TEST_PASSWORD, type Tenant } from '../../../../test/helpers/tenants.ts';
import { ENGINE } from '../../../../test/helpers/database.ts';
import { startSftpServer, type TestSftpServer } from '../../../../test/helpers/sftp-server.ts';
import { startFtpServer, type TestFtpServer } from '../../../../test/helpers/ftp-server.ts';
import { zipBuffer } from '../../../../test/helpers/zip-writer.ts';
import { rows } from '../../db/types.ts';
import type { ImportRun, ImportSource, PgpKey } from '../../../shared/import-sources.ts';

const USER = 'herald';
const PASSWORD = 'sftp-secret-0815';

describe(`import sources (${ENGINE})`, () => {
  let h: TestHarness;
  let tenant: Tenant;
  let owner: Client;
  let root: string;
  let sftp: TestSftpServer;
  let ftps: TestFtpServer;
  let mappingId: string;
  let key: PgpKey;
  const url = (p: string) => `/api/accounts/${tenant.subId}${p}`;

  beforeAll(async () => {
    h = await createHarness({ worker: true, env: { HERALD_IMPORT_RETRY_MS: '10' } });
    tenant = await createTenant(h.db.database.db);
    owner = await login(h.app, tenant.users.owner, TEST_PASSWORD);
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'herald-sources-'));
    await fs.mkdir(path.join(root, 'out'));
    await fs.mkdir(path.join(root, 'done'));
    sftp = await startSftpServer({ root, username: USER, password: PASSWORD });
    ftps = await startFtpServer({ root, username: USER, password: PASSWORD, tls: 'explicit' });
    const mapping = await owner.request('POST', url('/imports/mappings'), {
      name: 'Shop-Export',
      settings: {
        columns: [
          { header: 'E-Mail', target: { kind: 'email' } },
          { header: 'Vorname', target: { kind: 'first_name' } },
        ],
      },
    });
    expect(mapping.statusCode, mapping.body).toBe(201);
    mappingId = mapping.json().id;
    const generated = await owner.request('POST', url('/imports/pgp-key/generate'), {
      name: 'Herald Import',
      email: 'import@example.de',
      passphrase: 'correct horse battery',
    });
    expect(generated.statusCode, generated.body).toBe(201);
    key = generated.json<PgpKey>();
  });
  afterAll(async () => {
    await sftp?.close();
    await ftps?.close();
    await h.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  async function encrypt(data: Buffer, publicKeyArmored = key.publicKeyArmored): Promise<Buffer> {
    const message = await openpgp.createMessage({ binary: data });
    const encryptionKeys = await openpgp.readKey({ armoredKey: publicKeyArmored });
    return Buffer.from((await openpgp.encrypt({ message, encryptionKeys, format: 'binary' })) as Uint8Array);
  }

  async function createSource(body: Record<string, unknown>): Promise<ImportSource> {
    const res = await owner.request('POST', url('/imports/sources'), {
      name: `Source ${Math.random().toString(36).slice(2, 8)}`,
      protocol: 'sftp',
      host: '127.0.0.1',
      port: sftp.port,
      username: USER,
      password: PASSWORD,
      folder: '/out',
      pattern: 'kunden*.zip.pgp',
      schedule: { kind: 'manual' },
      mappingId,
      ...body,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json<ImportSource>();
  }

  /** Queues "Run now" and waits for the run to end. */
  async function runNow(source: ImportSource): Promise<ImportRun> {
    const queued = await owner.request('POST', url(`/imports/sources/${source.id}/run`));
    expect(queued.statusCode, queued.body).toBe(202);
    const runId = queued.json<ImportRun>().id;
    let run: ImportRun | undefined;
    await expect
      .poll(
        async () => {
          const runs = (await owner.request('GET', url(`/imports/sources/${source.id}/runs`))).json<{
            items: ImportRun[];
          }>();
          run = runs.items.find((r) => r.id === runId);
          return run?.state;
        },
        { timeout: 30_000 },
      )
      .not.toBe('running');
    return run!;
  }

  const failures = async (sourceId: string) =>
    (
      await rows<{ cause: string; occurrences: number }>(
        h.db.database.db,
        sql`SELECT params ->> 'cause' AS cause, occurrences FROM notifications
            WHERE type = 'ftp_import.failed' AND subject_id = ${sourceId} AND account_id = ${Number(tenant.subId)}`,
      )
    ).map((n) => n.cause);

  const contactNamed = async (email: string) =>
    (
      await rows<{ first_name: string }>(
        h.db.database.db,
        sql`SELECT first_name FROM contacts WHERE account_id = ${Number(tenant.subId)} AND email = ${email} AND deleted_at IS NULL`,
      )
    )[0]?.first_name;

  it('pulls, decrypts, unpacks and imports a file on its schedule, once, and pins the SFTP host key', async () => {
    const csv = Buffer.from(
      'E-Mail;Vorname\r\nsftp.one@example.de;Jürgen\r\nsftp.two@example.de;Grete\r\n',
      'utf8',
    );
    await fs.writeFile(
      path.join(root, 'out', 'kunden_2026.zip.pgp'),
      await encrypt(zipBuffer([{ name: 'kunden.csv', content: csv }])),
    );
    const source = await createSource({
      decrypt: true,
      schedule: { kind: 'interval', minutes: 15 },
      afterImport: 'move',
      moveTo: '/done',
    });
    expect(source).not.toHaveProperty('password');
    expect(source.hasPassword).toBe(true);
    expect(JSON.stringify(source)).not.toContain(PASSWORD);

    const test = (await owner.request('POST', url(`/imports/sources/${source.id}/test`))).json();
    expect(test.ok).toBe(true);
    expect(test.steps.map((s: { step: string }) => s.step)).toEqual([
      'resolve',
      'connect',
      'tls',
      'login',
      'list',
      'match',
    ]);
    expect(test.matchingFiles).toEqual(['kunden_2026.zip.pgp']);
    expect(test.hostKeyFingerprint).toBe(sftp.hostKeyFingerprint);
    expect((await owner.request('GET', url(`/imports/sources/${source.id}`))).json().hostKeyFingerprint).toBe(
      sftp.hostKeyFingerprint,
    );

    // The schedule: not due yet, then due after 15 minutes.
    expect(await h.services.importSourceRunner.queueDue()).toBe(0);
    h.clock.advance(16 * 60_000);
    expect(await h.services.importSourceRunner.queueDue()).toBe(1);
    let runs: ImportRun[] = [];
    await expect
      .poll(
        async () => {
          runs = (await owner.request('GET', url(`/imports/sources/${source.id}/runs`))).json().items;
          return runs[0]?.state;
        },
        { timeout: 30_000 },
      )
      .toBe('imported');
    expect(runs[0]).toMatchObject({ trigger: 'schedule', fileName: 'kunden_2026.zip.pgp' });
    const actionId = runs[0]!.actionId!;
    await expect
      .poll(async () => (await owner.request('GET', url(`/bulk-actions/${actionId}`))).json().status, {
        timeout: 30_000,
      })
      .toBe('completed');
    expect(await contactNamed('sftp.one@example.de')).toBe('Jürgen');
    // Moved on the server after the import.
    expect(await fs.readdir(path.join(root, 'done'))).toContain('kunden_2026.zip.pgp');

    // The same content again, under another name: never imported twice.
    await fs.copyFile(
      path.join(root, 'done', 'kunden_2026.zip.pgp'),
      path.join(root, 'out', 'kunden_copy.zip.pgp'),
    );
    const again = await runNow(source);
    expect(again.state).toBe('skipped_same_file');
    const imports = await rows<{ n: number }>(
      h.db.database.db,
      sql`SELECT count(*)::int AS n FROM import_runs WHERE source_id = ${Number(source.id)} AND state = 'imported'`,
    );
    expect(imports[0]!.n).toBe(1);
    expect(await failures(source.id)).toEqual([]);
    await fs.rm(path.join(root, 'out', 'kunden_copy.zip.pgp'));
  });

  it('imports a gzipped file over FTPS (explicit TLS, self-signed certificate allowed)', async () => {
    await fs.writeFile(
      path.join(root, 'out', 'ftps_kunden.csv.gz'),
      gzipSync(Buffer.from('E-Mail,Vorname\nftps.one@example.de,Özlem\n')),
    );
    const source = await createSource({
      protocol: 'ftps_explicit',
      port: ftps.port,
      pattern: 'ftps_*.csv.gz',
      allowSelfSigned: true,
      afterImport: 'delete',
    });
    const run = await runNow(source);
    expect(run, run.detail ?? '').toMatchObject({ state: 'imported' });
    await expect.poll(() => contactNamed('ftps.one@example.de'), { timeout: 30_000 }).toBe('Özlem');
    expect(await fs.readdir(path.join(root, 'out'))).not.toContain('ftps_kunden.csv.gz');
  });

  it('raises exactly one ftp_import.failed per failed run, with its cause', async () => {
    const cases: {
      cause: string;
      source: Record<string, unknown>;
      file?: [string, Buffer | (() => Promise<Buffer>)];
    }[] = [
      { cause: 'unreachable', source: { port: 1, pattern: 'x*.csv' } },
      { cause: 'auth_failed', source: { password: 'wrong-password', pattern: 'x*.csv' } },
      {
        cause: 'decrypt_failed',
        source: { decrypt: true, pattern: 'wrongkey*.pgp' },
        file: [
          'wrongkey.csv.pgp',
          async () => {
            const other = await openpgp.generateKey({
              type: 'ecc',
              curve: 'curve25519Legacy',
              userIDs: [{ email: 'x@example.de' }],
            });
            return encrypt(Buffer.from('E-Mail\na@example.de\n'), other.publicKey);
          },
        ],
      },
      {
        cause: 'unpack_failed',
        source: { pattern: 'broken*.zip' },
        file: ['broken.zip', Buffer.from('PK\x03\x04 this is not a zip archive at all')],
      },
      {
        cause: 'parse_failed',
        source: { pattern: 'binary*.csv' },
        file: ['binary.csv', Buffer.from([0, 1, 2, 3, 0, 0, 0xff, 0, 9, 0])],
      },
      {
        cause: 'parse_failed',
        source: { pattern: 'other*.csv' },
        file: ['other.csv', Buffer.from('Name;Ort\nA;B\n')],
      },
    ];
    for (const c of cases) {
      if (c.file) {
        const [name, content] = c.file;
        await fs.writeFile(
          path.join(root, 'out', name),
          typeof content === 'function' ? await content() : content,
        );
      }
      const source = await createSource(c.source);
      const run = await runNow(source);
      expect(run, `${c.cause}: ${run.detail}`).toMatchObject({ state: 'failed', cause: c.cause });
      expect(await failures(source.id)).toEqual([c.cause]);
    }
  });

  it('raises file_missing when no file came in time on a schedule', async () => {
    const source = await createSource({
      pattern: 'never*.csv',
      schedule: { kind: 'interval', minutes: 5 },
      missingAfterMinutes: 30,
    });
    h.clock.advance(6 * 60_000);
    await h.services.importSourceRunner.queueDue();
    await expect
      .poll(
        async () =>
          (await owner.request('GET', url(`/imports/sources/${source.id}/runs`))).json().items[0]?.state,
        {
          timeout: 30_000,
        },
      )
      .toBe('nothing_found');
    expect(await failures(source.id)).toEqual([]);
    h.clock.advance(31 * 60_000);
    await h.services.importSourceRunner.queueDue();
    await expect.poll(() => failures(source.id), { timeout: 30_000 }).toEqual(['file_missing']);
  });

  it('keeps sources and keys to settings.manage, and inside their account', async () => {
    const marketer = await login(h.app, tenant.users.marketer, TEST_PASSWORD);
    expect((await marketer.request('GET', url('/imports/sources'))).statusCode).toBe(403);
    expect((await marketer.request('GET', url('/imports/pgp-key'))).statusCode).toBe(403);
    const other = await createTenant(h.db.database.db);
    const stranger = await login(h.app, other.users.owner, TEST_PASSWORD);
    const source = await createSource({});
    expect(
      (await stranger.request('GET', `/api/accounts/${other.subId}/imports/sources/${source.id}`)).statusCode,
    ).toBe(404);
    // The private key never leaves the server.
    const shown = (await owner.request('GET', url('/imports/pgp-key'))).json();
    expect(JSON.stringify(shown)).not.toContain('PRIVATE KEY');
    expect(shown.fingerprint).toBe(key.fingerprint);
  });
});
