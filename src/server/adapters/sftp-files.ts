import { rm } from 'node:fs/promises';
import ssh2, { type SFTPWrapper } from 'ssh2';
import {
  RemoteError,
  isUnreachableError,
  safeDetail,
  sshFingerprint,
  type RemoteCause,
  type RemoteFiles,
  type RemoteSpec,
  type StepReporter,
  type TestStep,
} from './remote-files.js';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;

/** Classifies an ssh2 error raised during `step` (ssh2 marks its errors with `level`). */
function classify(err: unknown, step: TestStep, spec: RemoteSpec): RemoteError {
  if (err instanceof RemoteError) return err;
  const level = (err as { level?: unknown }).level;
  let cause: RemoteCause = 'remote_error';
  if (level === 'client-authentication') cause = 'auth_failed';
  else if (level === 'client-timeout' || level === 'client-socket' || level === 'client-dns')
    cause = 'unreachable';
  else if (isUnreachableError(err)) cause = 'unreachable';
  // No common key exchange, cipher or host key algorithm.
  else if (level === 'handshake') cause = 'tls_failed';
  return new RemoteError(cause, step, safeDetail(err, spec));
}

function sftpCall<T>(run: (cb: (err: Error | null | undefined, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    run((err, value) => (err ? reject(err) : resolve(value)));
  });
}

/**
 * SFTP with ssh2. The host key is checked in `hostVerifier`: its OpenSSH SHA-256 fingerprint must
 * equal the pinned one when there is one (otherwise `host_key_mismatch`, and the error carries the
 * fingerprint seen); on first connect any key is accepted and reported for pinning.
 */
export async function connectSftp(spec: RemoteSpec, report: StepReporter): Promise<RemoteFiles> {
  const client = new ssh2.Client();
  let seen: string | null = null;
  let mismatch = false;
  let step: TestStep = 'connect';
  const sftp = await new Promise<SFTPWrapper>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      client.end();
      const e = mismatch
        ? new RemoteError(
            'host_key_mismatch',
            'tls',
            `The server's host key ${seen ?? '?'} differs from the pinned ${spec.hostKeyFingerprint ?? '?'}.`,
          )
        : classify(err, step, spec);
      e.hostKeyFingerprint = seen;
      reject(e);
    };
    client.on('error', fail);
    client.on('close', () => fail(new Error('Connection closed by the server')));
    client.on('connect', () => {
      report('connect', `${spec.host}:${spec.port}`);
      step = 'tls';
    });
    client.on('handshake', () => {
      report('tls', `SSH host key ${seen ?? '?'}`);
      step = 'login';
    });
    client.on('ready', () => {
      report('login', `as ${spec.username}`);
      step = 'list';
      client.sftp((err, wrapper) => {
        if (err) return fail(err);
        settled = true;
        resolve(wrapper);
      });
    });
    try {
      client.connect({
        host: spec.host,
        port: spec.port,
        username: spec.username,
        password: spec.password,
        privateKey: spec.privateKey,
        passphrase: spec.passphrase,
        readyTimeout: spec.timeoutMs ?? 20_000,
        // Never ask the user for anything (keyboard-interactive) and never use a local agent.
        tryKeyboard: false,
        hostVerifier: (key: Buffer) => {
          seen = sshFingerprint(key);
          mismatch = !!spec.hostKeyFingerprint && spec.hostKeyFingerprint !== seen;
          return !mismatch;
        },
      });
    } catch (err) {
      // Synchronous refusals: a malformed private key or a wrong passphrase for it.
      step = 'login';
      fail(Object.assign(err as Error, { level: 'client-authentication' }));
    }
  });
  client.on('error', () => undefined); // later errors surface through the failing call
  let closed = false;
  client.on('close', () => {
    closed = true;
  });

  const op = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw classify(err, 'list', spec);
    }
  };
  return {
    hostKeyFingerprint: seen,
    list: (folder) =>
      op(async () => {
        const items = await sftpCall<ssh2.FileEntryWithStats[]>((cb) => sftp.readdir(folder, cb));
        return items
          .filter((i) =>
            i.attrs.mode !== undefined ? (i.attrs.mode & S_IFMT) === S_IFREG : i.longname.startsWith('-'),
          )
          .map((i) => ({
            name: i.filename,
            size: i.attrs.size,
            modifiedAt: i.attrs.mtime ? new Date(i.attrs.mtime * 1000) : null,
          }));
      }),
    download: (remotePath, localPath) =>
      op(async () => {
        try {
          // Parallel reads straight to the local file: one read at a time would cap a download at
          // chunk size / round trip (64 KiB per 50 ms is 1.3 MB/s). Memory: concurrency × chunk.
          await sftpCall<undefined>((cb) =>
            sftp.fastGet(remotePath, localPath, { concurrency: 16, chunkSize: 32_768 }, (e) =>
              cb(e, undefined),
            ),
          );
        } catch (err) {
          await rm(localPath, { force: true });
          throw err;
        }
      }),
    remove: (remotePath) =>
      op(() => sftpCall<undefined>((cb) => sftp.unlink(remotePath, (e) => cb(e, undefined)))),
    rename: (from, to) =>
      op(() => sftpCall<undefined>((cb) => sftp.rename(from, to, (e) => cb(e, undefined)))),
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        client.once('close', () => resolve());
        client.end();
      }),
  };
}
