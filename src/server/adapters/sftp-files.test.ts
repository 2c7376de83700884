import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSftpServer, type TestSftpServer } from '../../../test/helpers/sftp-server.js';
import { RemoteError, connectRemote, testConnection, type RemoteSpec } from './remote-files.js';

const CONTENT = 'email,first_name\nzoë@example.de,Zoë Größe\n';
const clientKey = ssh2.utils.generateKeyPairSync('ed25519', {
  passphrase: 'key-pass',
  cipher: 'aes256-ctr',
  rounds: 16,
});
const otherKey = ssh2.utils.generateKeyPairSync('ed25519');

describe('SFTP against ssh2 Server on loopback', () => {
  let root: string;
  let local: string;
  let server: TestSftpServer;
  let spec: RemoteSpec;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'herald-sftp-root-'));
    local = await mkdtemp(path.join(tmpdir(), 'herald-sftp-local-'));
    await mkdir(path.join(root, 'out', 'done'), { recursive: true });
    await writeFile(path.join(root, 'out', 'export_1.csv'), CONTENT);
    await writeFile(path.join(root, 'out', 'export_2.csv'), CONTENT.repeat(30_000));
    server = await startSftpServer({
      root,
      username: 'feed',
      password: 'pw-sftp',
      publicKey: clientKey.public,
    });
    spec = { protocol: 'sftp', host: 'localhost', port: server.port, username: 'feed', password: 'pw-sftp' };
  });
  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
    await rm(local, { recursive: true, force: true });
  });

  it('password login: reports the host key, lists files only, downloads, renames, removes', async () => {
    const files = await connectRemote(spec);
    try {
      expect(files.hostKeyFingerprint).toBe(server.hostKeyFingerprint);
      expect(server.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      const entries = await files.list('/out');
      expect(entries.map((e) => e.name).sort()).toEqual(['export_1.csv', 'export_2.csv']);
      expect(entries.find((e) => e.name === 'export_2.csv')?.size).toBe(Buffer.byteLength(CONTENT) * 30_000);
      expect(entries[0]?.modifiedAt).toBeInstanceOf(Date);

      const big = path.join(local, 'big.csv');
      await files.download('/out/export_2.csv', big);
      expect(await readFile(big, 'utf8')).toBe(CONTENT.repeat(30_000));

      await files.rename('/out/export_1.csv', '/out/done/export_1.csv');
      expect(await readFile(path.join(root, 'out', 'done', 'export_1.csv'), 'utf8')).toBe(CONTENT);
      await files.remove('/out/export_2.csv');
      await expect(stat(path.join(root, 'out', 'export_2.csv'))).rejects.toThrow(/ENOENT/);
    } finally {
      await files.close();
    }
  });

  it('key login with an encrypted private key and the pinned host key', async () => {
    await writeFile(path.join(root, 'out', 'k.csv'), CONTENT);
    const files = await connectRemote({
      ...spec,
      password: undefined,
      privateKey: clientKey.private,
      passphrase: 'key-pass',
      hostKeyFingerprint: server.hostKeyFingerprint,
    });
    try {
      const target = path.join(local, 'k.csv');
      await files.download('/out/k.csv', target);
      expect(await readFile(target, 'utf8')).toBe(CONTENT);
      const err = await files
        .download('/out/nope.csv', path.join(local, 'nope.csv'))
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ cause: 'remote_error' });
      await expect(stat(path.join(local, 'nope.csv'))).rejects.toThrow(/ENOENT/);
    } finally {
      await files.close();
    }
  });

  it('wrong password, unknown key and wrong key passphrase are auth_failed', async () => {
    const secrets = ['bad-password', 'bad-passphrase'];
    const errors = await Promise.all([
      connectRemote({ ...spec, password: 'bad-password' }).catch((e: unknown) => e),
      connectRemote({ ...spec, password: undefined, privateKey: otherKey.private }).catch((e: unknown) => e),
      connectRemote({
        ...spec,
        password: undefined,
        privateKey: clientKey.private,
        passphrase: 'bad-passphrase',
      }).catch((e: unknown) => e),
    ]);
    for (const err of errors) {
      expect(err).toBeInstanceOf(RemoteError);
      expect(err).toMatchObject({ cause: 'auth_failed' });
      for (const s of secrets) expect((err as RemoteError).message).not.toContain(s);
    }
    for (const err of errors) expect(err).toMatchObject({ step: 'login' });
    const garbageKey = await connectRemote({ ...spec, password: undefined, privateKey: 'not a key' }).catch(
      (e: unknown) => e,
    );
    expect(garbageKey).toMatchObject({ cause: 'auth_failed', step: 'login' });
  });

  it('a host key differing from the pinned one is host_key_mismatch, and nothing logs in', async () => {
    const pinned = 'SHA256:' + 'A'.repeat(43);
    const err = await connectRemote({ ...spec, hostKeyFingerprint: pinned }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({
      cause: 'host_key_mismatch',
      step: 'tls',
      hostKeyFingerprint: server.hostKeyFingerprint,
    });
    const result = await testConnection({ ...spec, hostKeyFingerprint: pinned }, '/out', () => true);
    expect(result.ok).toBe(false);
    expect(result.hostKeyFingerprint).toBe(server.hostKeyFingerprint);
    expect(result.steps.map((s) => [s.step, s.ok])).toEqual([
      ['resolve', true],
      ['connect', true],
      ['tls', false],
    ]);
  });

  it('testConnection: every step on success, and a failing list', async () => {
    await writeFile(path.join(root, 'out', 'export_9.csv'), CONTENT);
    const ok = await testConnection(spec, '/out', (n) => n === 'export_9.csv');
    expect(ok.ok).toBe(true);
    expect(ok.hostKeyFingerprint).toBe(server.hostKeyFingerprint);
    expect(ok.steps.map((s) => [s.step, s.ok])).toEqual([
      ['resolve', true],
      ['connect', true],
      ['tls', true],
      ['login', true],
      ['list', true],
      ['match', true],
    ]);
    const missing = await testConnection(spec, '/no-such-folder', () => true);
    expect(missing.steps.at(-1)).toMatchObject({ step: 'list', ok: false });
    const badLogin = await testConnection({ ...spec, password: 'nope-nope' }, '/out', () => true);
    expect(badLogin.steps.at(-1)).toMatchObject({ step: 'login', ok: false });
  });
});
