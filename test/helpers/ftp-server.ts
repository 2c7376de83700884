import { FtpSrv } from 'ftp-srv';
import { readFileSync } from 'node:fs';
import type { AddressInfo, Server } from 'node:net';
import { fileURLToPath } from 'node:url';

const TLS_DIR = fileURLToPath(new URL('../fixtures/tls/', import.meta.url));

/** The self-signed loopback certificate (CN=localhost), see test/fixtures/tls/README.md. */
export const testTls = {
  key: readFileSync(`${TLS_DIR}localhost.key`),
  cert: readFileSync(`${TLS_DIR}localhost.crt`),
};

export interface TestFtpServer {
  port: number;
  /** Control connections accepted so far (login attempts included). */
  readonly connections: number;
  close(): Promise<void>;
}

// ftp-srv logs through bunyan; the tests want silence. Only the methods ftp-srv calls.
interface QuietLog {
  child(): QuietLog;
  trace(): void;
  debug(): void;
  info(): void;
  warn(): void;
  error(): void;
}
const quiet: QuietLog = {
  child: () => quiet,
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

/**
 * A real FTP server on 127.0.0.1 (ftp-srv) serving `root` to one user. `tls: 'explicit'` offers
 * AUTH TLS on the plain port; `'implicit'` speaks TLS from the first byte (the port 990 style).
 * The control port is chosen by the OS; passive ports come from a random 200-port window so test
 * files in parallel processes rarely meet (ftp-srv skips ports in use anyway).
 */
export async function startFtpServer(opts: {
  root: string;
  username: string;
  password: string;
  tls?: 'explicit' | 'implicit';
}): Promise<TestFtpServer> {
  const pasvMin = 20_000 + Math.floor(Math.random() * 200) * 200;
  const server = new FtpSrv({
    url: `${opts.tls === 'implicit' ? 'ftps' : 'ftp'}://127.0.0.1:0`,
    pasv_url: '127.0.0.1',
    pasv_min: pasvMin,
    pasv_max: pasvMin + 199,
    tls: opts.tls ? testTls : false,
    anonymous: false,
    greeting: 'Herald test FTP',
    log: quiet,
  });
  const state = { connections: 0 };
  server.on('login', ({ username, password }, resolve, reject) => {
    if (username === opts.username && password === opts.password) resolve({ root: opts.root });
    else reject(new Error('Login incorrect'));
  });
  // ftp-srv emits `client-error` for resets in tests that drop connections on purpose.
  server.on('client-error', () => undefined);
  await server.listen();
  const net = (server as unknown as { server: Server }).server;
  net.on('connection', () => state.connections++);
  const { port } = net.address() as AddressInfo;
  return {
    port,
    get connections() {
      return state.connections;
    },
    close: async () => {
      await server.close();
    },
  };
}
