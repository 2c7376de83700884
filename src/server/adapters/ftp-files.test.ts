import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFtpServer, type TestFtpServer } from '../../../test/helpers/ftp-server.js';
import { RemoteError, connectRemote, testConnection, type RemoteSpec } from './remote-files.js';

const CONTENT = 'E-Mail;Vorname;Nachname\njörg@example.de;Jörg;Müßig-Straße\n';

const variants = [
  { protocol: 'ftp', tls: undefined },
  { protocol: 'ftps_explicit', tls: 'explicit' },
  { protocol: 'ftps_implicit', tls: 'implicit' },
] as const;

describe.each(variants)('$protocol against ftp-srv on loopback', ({ protocol, tls }) => {
  let root: string;
  let local: string;
  let server: TestFtpServer;
  let spec: RemoteSpec;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'herald-ftp-root-'));
    local = await mkdtemp(path.join(tmpdir(), 'herald-ftp-local-'));
    await mkdir(path.join(root, 'in', 'archive'), { recursive: true });
    await writeFile(path.join(root, 'in', 'export_20260130_1.csv'), CONTENT);
    await writeFile(path.join(root, 'in', 'other.txt'), 'x');
    server = await startFtpServer({ root, username: 'importer', password: 's3cret!', tls });
    spec = {
      protocol,
      host: '127.0.0.1',
      port: server.port,
      username: 'importer',
      password: 's3cret!',
      allowSelfSigned: true,
    };
  });
  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
    await rm(local, { recursive: true, force: true });
  });

  it('lists files only, downloads exact bytes, renames and removes', async () => {
    const files = await connectRemote(spec);
    try {
      expect(files.hostKeyFingerprint).toBeNull();
      const entries = await files.list('/in');
      expect(entries.map((e) => e.name).sort()).toEqual(['export_20260130_1.csv', 'other.txt']);
      const csv = entries.find((e) => e.name === 'export_20260130_1.csv');
      expect(csv?.size).toBe(Buffer.byteLength(CONTENT));

      const target = path.join(local, `${protocol}.csv`);
      await files.download('/in/export_20260130_1.csv', target);
      expect(await readFile(target, 'utf8')).toBe(CONTENT);

      await files.rename('/in/export_20260130_1.csv', '/in/archive/done.csv');
      expect(await readFile(path.join(root, 'in', 'archive', 'done.csv'), 'utf8')).toBe(CONTENT);
      await files.remove('/in/other.txt');
      await expect(stat(path.join(root, 'in', 'other.txt'))).rejects.toThrow(/ENOENT/);
      expect(await files.list('/in')).toEqual([]);
    } finally {
      await files.close();
    }
  });

  it('a failed download leaves no partial file and is a remote_error', async () => {
    const files = await connectRemote(spec);
    try {
      const target = path.join(local, 'missing.csv');
      const err = await files.download('/in/missing.csv', target).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RemoteError);
      expect((err as RemoteError).cause).toBe('remote_error');
      await expect(stat(target)).rejects.toThrow(/ENOENT/);
    } finally {
      await files.close();
    }
  });

  it('a wrong password is auth_failed at login, and the password is in no message', async () => {
    const err = await connectRemote({ ...spec, password: 'wrong-pass' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({ cause: 'auth_failed', step: 'login' });
    expect(JSON.stringify([(err as Error).message, (err as RemoteError).detail])).not.toContain('wrong-pass');
  });

  it('testConnection reports each step', async () => {
    await writeFile(path.join(root, 'in', 'export_20260131_2.csv'), CONTENT);
    const result = await testConnection(spec, '/in', (n) => n.startsWith('export_'));
    expect(result.ok).toBe(true);
    const expected = tls
      ? ['resolve', 'connect', 'tls', 'login', 'list', 'match']
      : ['resolve', 'connect', 'login', 'list', 'match'];
    expect(result.steps.map((s) => s.step)).toEqual(expected);
    expect(result.steps.every((s) => s.ok)).toBe(true);
    expect(result.steps.at(-1)?.detail).toContain('export_20260131_2.csv');

    const none = await testConnection(spec, '/in', (n) => n.endsWith('.pgp'));
    expect(none.ok).toBe(false);
    expect(none.steps.at(-1)).toMatchObject({ step: 'match', ok: false });
  });

  if (tls) {
    it('a self-signed certificate without allowSelfSigned is tls_failed', async () => {
      const err = await connectRemote({ ...spec, allowSelfSigned: false }).catch((e: unknown) => e);
      expect(err).toMatchObject({ cause: 'tls_failed', step: 'tls' });
      const result = await testConnection({ ...spec, allowSelfSigned: false }, '/in', () => true);
      expect(result.steps.map((s) => [s.step, s.ok])).toEqual(
        tls === 'explicit'
          ? [
              ['resolve', true],
              ['connect', true],
              ['tls', false],
            ]
          : [
              ['resolve', true],
              ['tls', false],
            ],
      );
    });
  }
});
