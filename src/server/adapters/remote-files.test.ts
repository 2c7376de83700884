import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFtpServer, type TestFtpServer } from '../../../test/helpers/ftp-server.js';
import {
  RemoteError,
  connectRemote,
  connectWithRetry,
  testConnection,
  type RemoteProtocol,
  type RemoteSpec,
} from './remote-files.js';

/** A TCP server that counts connections and either drops them at once or keeps them silent. */
async function startTcp(mode: 'drop' | 'silent') {
  const sockets = new Set<net.Socket>();
  const state = { connections: 0 };
  const server = net.createServer((socket) => {
    state.connections++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    if (mode === 'drop') socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nobody listens on (taken and released). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const spec = (protocol: RemoteProtocol, port: number, host = '127.0.0.1'): RemoteSpec => ({
  protocol,
  host,
  port,
  username: 'u',
  password: 'p4ss-word',
  timeoutMs: 1500,
});
const protocols: RemoteProtocol[] = ['ftp', 'ftps_explicit', 'ftps_implicit', 'sftp'];

describe.each(protocols)('%s failure classes', (protocol) => {
  it('a closed port is unreachable at connect', async () => {
    const err = await connectRemote(spec(protocol, await closedPort())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RemoteError);
    expect(err).toMatchObject({ cause: 'unreachable', step: 'connect' });
  });

  it('an unresolvable host is unreachable at resolve', async () => {
    const err = await connectRemote(spec(protocol, 21, 'nonexistent.invalid')).catch((e: unknown) => e);
    expect(err).toMatchObject({ cause: 'unreachable', step: 'resolve' });
    const result = await testConnection(spec(protocol, 21, 'nonexistent.invalid'), '/', () => true);
    expect(result).toMatchObject({ ok: false, hostKeyFingerprint: null });
    expect(result.steps.map((s) => [s.step, s.ok])).toEqual([['resolve', false]]);
  });

  it('a server that never answers is unreachable (timeout)', async () => {
    const silent = await startTcp('silent');
    try {
      const err = await connectRemote(spec(protocol, silent.port)).catch((e: unknown) => e);
      expect(err).toMatchObject({ cause: 'unreachable' });
    } finally {
      await silent.close();
    }
  });

  it('connectWithRetry retries unreachable with backoff, `attempts` tries in all', async () => {
    const dropping = await startTcp('drop');
    try {
      const err = await connectWithRetry(spec(protocol, dropping.port), { attempts: 3, baseMs: 10 }).catch(
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ cause: 'unreachable' });
      expect(dropping.connections).toBe(3);
    } finally {
      await dropping.close();
    }
  });
});

describe('connectWithRetry against a real FTP server', () => {
  let root: string;
  let server: TestFtpServer;
  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'herald-retry-'));
    server = await startFtpServer({ root, username: 'u', password: 'right-one' });
  });
  afterAll(async () => {
    await server.close();
    await rm(root, { recursive: true, force: true });
  });

  it('does not retry auth_failed: one connection', async () => {
    const err = await connectWithRetry(spec('ftp', server.port), { attempts: 4, baseMs: 10 }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ cause: 'auth_failed' });
    expect(server.connections).toBe(1);
  });

  it('explicit FTPS against a server without AUTH TLS is tls_failed at tls', async () => {
    const err = await connectRemote({ ...spec('ftps_explicit', server.port), password: 'right-one' }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ cause: 'tls_failed', step: 'tls' });
  });

  it('testConnection: a missing folder fails at list', async () => {
    const result = await testConnection(
      { ...spec('ftp', server.port), password: 'right-one' },
      '/nope',
      () => true,
    );
    expect(result.ok).toBe(false);
    expect(result.steps.map((s) => [s.step, s.ok])).toEqual([
      ['resolve', true],
      ['connect', true],
      ['login', true],
      ['list', false],
    ]);
  });

  it('returns the session when the server answers', async () => {
    const files = await connectWithRetry({ ...spec('ftp', server.port), password: 'right-one' });
    expect(await files.list('/')).toEqual([]);
    await files.close();
    expect(server.connections).toBe(4);
  });
});
