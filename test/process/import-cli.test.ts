// `herald import`: a Windows-1252, semicolon-separated file through the same pipeline as an
// upload, with progress on stderr, the summary on stdout, and a dry run that writes nothing.
import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabaseConfig, ENGINE } from '../helpers/database.ts';
import { killAllHeralds, runHerald, tempDataDir, TEST_SECRET, WAIT_MS } from './cli.ts';

/** The demo account "Bäckerei Sonnenschein" (from `herald seed`). */
const ACCOUNT = '2';

describe(`herald import (${ENGINE})`, { timeout: 4 * WAIT_MS }, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await killAllHeralds();
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('imports a file with a summary, and a dry run first changes nothing', async () => {
    const data = await tempDataDir();
    cleanups.push(data.remove);
    const env: Record<string, string> = { HERALD_DATA_DIR: data.dir };
    if (ENGINE === 'postgres') {
      const db = await createTestDatabaseConfig();
      cleanups.push(db.drop);
      if (db.config.kind === 'postgres')
        Object.assign(env, { DATABASE_URL: db.config.url, HERALD_SECRET: TEST_SECRET });
    }
    const file = path.join(data.dir, 'kunden.csv');
    // "Größ" and "Jürgen" in Windows-1252 bytes (ö = 0xF6, ü = 0xFC).
    await fs.writeFile(
      file,
      Buffer.concat([
        Buffer.from('E-Mail;Vorname;Nachname\r\ncli.one@example.de;J', 'latin1'),
        Buffer.from([0xfc]),
        Buffer.from('rgen;Gr', 'latin1'),
        Buffer.from([0xf6, 0xdf]),
        Buffer.from('\r\nnot-an-email;X;Y\r\n', 'latin1'),
      ]),
    );
    expect((await runHerald(['seed'], env)).code).toBe(0);

    const dry = await runHerald(['import', file, '--account', ACCOUNT, '--dry-run'], env);
    expect(dry, dry.stderr).toMatchObject({ code: 0, timedOut: false });
    expect(dry.stdout).toMatch(/created \(would be\)\s+1/);
    expect(dry.stderr).toContain('windows-1252');

    const real = await runHerald(['import', file, '--account', ACCOUNT], env);
    expect(real, real.stderr).toMatchObject({ code: 0, timedOut: false });
    expect(real.stdout).toMatch(/created\s+1\n/);
    expect(real.stdout).toMatch(/failed\s+1 \(invalid rows: 1\)/);
    expect(real.stderr).toMatch(/100% 2\/2 rows/);

    // (The real run creating the contact shows that the dry run before it did not.)
    const usage = await runHerald(['import', file], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('--account');
  });
});
