import { createHash } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { connectFtp } from './ftp-files.js';
import { connectSftp } from './sftp-files.js';

export type RemoteProtocol = 'ftp' | 'ftps_explicit' | 'ftps_implicit' | 'sftp';

/** Where and how to log in to a remote file server (an import source). */
export interface RemoteSpec {
  protocol: RemoteProtocol;
  host: string;
  port: number;
  username: string;
  password?: string;
  /** SFTP: OpenSSH or PEM private key text. */
  privateKey?: string;
  passphrase?: string;
  /** SFTP: pinned host key, OpenSSH form "SHA256:base64"; absent on first connect. */
  hostKeyFingerprint?: string | null;
  /** FTPS: accept self-signed certificates (tests, some in-house servers). */
  allowSelfSigned?: boolean;
  /** Per connection step and per idle transfer; default 20 s. */
  timeoutMs?: number;
}

/** A plain file in a remote folder (directories and links are left out). */
export interface RemoteEntry {
  name: string;
  /** Bytes. */
  size: number;
  modifiedAt: Date | null;
}

/**
 * One logged-in session; calls run one after another. Paths are the server's (absolute, or
 * relative to the login folder). Failures are `RemoteError`s with step `list` (the step after login).
 */
export interface RemoteFiles {
  /** SFTP: the server's host key as seen on this connection; FTP: null. */
  hostKeyFingerprint: string | null;
  list(folder: string): Promise<RemoteEntry[]>;
  /** Streams the remote file to `localPath`; on failure the partial local file is removed. */
  download(remotePath: string, localPath: string): Promise<void>;
  remove(remotePath: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The steps of a connection, in order. `tls` is the secure channel: FTPS's TLS handshake, or for
 * SFTP the SSH key exchange with the host key check; plain FTP has no `tls` step.
 */
export type TestStep = 'resolve' | 'connect' | 'tls' | 'login' | 'list' | 'match';
export type RemoteCause = 'unreachable' | 'auth_failed' | 'host_key_mismatch' | 'tls_failed' | 'remote_error';

/** A classified failure. `detail` is safe to show and log: it never holds a password, key or passphrase. */
export class RemoteError extends Error {
  override name = 'RemoteError';
  /** SFTP: the host key the server presented, when the handshake got that far (shown on a mismatch). */
  hostKeyFingerprint: string | null = null;
  constructor(
    override readonly cause: RemoteCause,
    readonly step: TestStep,
    readonly detail: string,
  ) {
    super(`${cause} at ${step}: ${detail}`);
  }
}

export interface StepResult {
  step: TestStep;
  ok: boolean;
  detail: string;
  ms?: number;
}

/** Called by the protocol adapters after each step that succeeded. */
export type StepReporter = (step: TestStep, detail: string) => void;

const UNREACHABLE_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
]);

/** Whether a Node socket/TLS error is about the certificate or the TLS handshake. */
export function isTlsError(err: unknown): boolean {
  const { code, message } = err as { code?: unknown; message?: unknown };
  const c = typeof code === 'string' ? code : '';
  const m = typeof message === 'string' ? message : '';
  return (
    c.startsWith('ERR_TLS') ||
    c.startsWith('ERR_SSL') ||
    /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/.test(c) ||
    /certificate|SSL routines|TLS/i.test(m)
  );
}

/** Network-level failure that trying again later may cure. */
export function isUnreachableError(err: unknown): boolean {
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) return true;
  const m = typeof message === 'string' ? message : '';
  return /timed? ?out|socket hang up|closed by the server|connection lost|Server sent FIN|ended/i.test(m);
}

/** The error's message with any secret of `spec` masked, for `RemoteError.detail`. */
export function safeDetail(err: unknown, spec: RemoteSpec): string {
  const raw = err instanceof Error ? err.message : String(err);
  let text = raw.length > 300 ? `${raw.slice(0, 300)}…` : raw;
  for (const secret of [spec.password, spec.passphrase, spec.privateKey]) {
    if (secret && secret.length >= 3) text = text.split(secret).join('***');
  }
  return text;
}

/** OpenSSH's fingerprint of a host key blob: "SHA256:" + unpadded base64 of its SHA-256. */
export function sshFingerprint(keyBlob: Buffer): string {
  return 'SHA256:' + createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '');
}

async function open(spec: RemoteSpec, report: StepReporter): Promise<RemoteFiles> {
  try {
    const { address } = await lookup(spec.host);
    report('resolve', `${spec.host} → ${address}`);
  } catch (err) {
    throw new RemoteError('unreachable', 'resolve', safeDetail(err, spec));
  }
  return spec.protocol === 'sftp' ? connectSftp(spec, report) : connectFtp(spec, report);
}

/** Connects and logs in. Throws `RemoteError`. */
export function connectRemote(spec: RemoteSpec): Promise<RemoteFiles> {
  return open(spec, () => undefined);
}

/**
 * "Test connection": resolve, connect, tls (not for plain FTP), login, list `folder`, match
 * `pattern`, each in order until one fails. The fingerprint is the SFTP host key seen, to show
 * and pin on first connect (also on a mismatch, to show what the server now presents).
 */
export async function testConnection(
  spec: RemoteSpec,
  folder: string,
  pattern: (name: string) => boolean,
): Promise<{ ok: boolean; steps: StepResult[]; hostKeyFingerprint: string | null }> {
  const steps: StepResult[] = [];
  let last = performance.now();
  const elapsed = () => {
    const now = performance.now();
    const ms = Math.round(now - last);
    last = now;
    return ms;
  };
  const report: StepReporter = (step, detail) => steps.push({ step, ok: true, detail, ms: elapsed() });
  let files: RemoteFiles;
  try {
    files = await open(spec, report);
  } catch (err) {
    const e =
      err instanceof RemoteError ? err : new RemoteError('remote_error', 'connect', safeDetail(err, spec));
    steps.push({ step: e.step, ok: false, detail: e.detail, ms: elapsed() });
    return { ok: false, steps, hostKeyFingerprint: e.hostKeyFingerprint };
  }
  try {
    const entries = await files.list(folder);
    report('list', `${entries.length} file(s) in ${folder}`);
    const matching = entries.filter((e) => pattern(e.name)).map((e) => e.name);
    const ok = matching.length > 0;
    steps.push({
      step: 'match',
      ok,
      detail: ok
        ? `${matching.length} matching: ${matching.slice(0, 10).join(', ')}`
        : 'No file matches the pattern.',
      ms: elapsed(),
    });
    return { ok, steps, hostKeyFingerprint: files.hostKeyFingerprint };
  } catch (err) {
    const e =
      err instanceof RemoteError ? err : new RemoteError('remote_error', 'list', safeDetail(err, spec));
    steps.push({ step: 'list', ok: false, detail: e.detail, ms: elapsed() });
    return { ok: false, steps, hostKeyFingerprint: files.hostKeyFingerprint };
  } finally {
    await files.close();
  }
}

/**
 * `connectRemote` with retries: an `unreachable` failure is tried again, up to `attempts` tries in
 * all (default 3), waiting `baseMs` × 2^(try − 1) in between (default 1000 ms); other failures
 * (wrong password, host key, TLS) are thrown at once, since repeating cannot cure them.
 */
export async function connectWithRetry(
  spec: RemoteSpec,
  opts: { attempts?: number; baseMs?: number } = {},
): Promise<RemoteFiles> {
  const attempts = Math.max(1, opts.attempts ?? 3);
  const baseMs = opts.baseMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      return await connectRemote(spec);
    } catch (err) {
      const retryable = err instanceof RemoteError && err.cause === 'unreachable';
      if (!retryable || attempt >= attempts) throw err;
      await sleep(baseMs * 2 ** (attempt - 1));
    }
  }
}
