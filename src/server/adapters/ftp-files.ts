import { Client, FTPError } from 'basic-ftp';
import { rm } from 'node:fs/promises';
import { isIP } from 'node:net';
import {
  RemoteError,
  isTlsError,
  isUnreachableError,
  safeDetail,
  type RemoteCause,
  type RemoteFiles,
  type RemoteSpec,
  type StepReporter,
  type TestStep,
} from './remote-files.js';

/** Classifies a basic-ftp / socket error raised during `step`. */
function classify(err: unknown, step: TestStep, spec: RemoteSpec): RemoteError {
  if (err instanceof RemoteError) return err;
  let cause: RemoteCause = 'remote_error';
  if (err instanceof FTPError) {
    // 530 "Not logged in" (RFC 959); AUTH TLS refused (RFC 4217: 4xx/5xx) is a TLS failure.
    if (err.code === 530) cause = 'auth_failed';
    else if (step === 'tls') cause = 'tls_failed';
    else if (err.code === 421) cause = 'unreachable';
  } else if (isTlsError(err)) {
    cause = 'tls_failed';
  } else if (isUnreachableError(err)) {
    cause = 'unreachable';
  }
  return new RemoteError(cause, isTlsError(err) && step === 'connect' ? 'tls' : step, safeDetail(err, spec));
}

/**
 * A safety net: rejects after `ms` and closes the client. basic-ftp times out a silent server
 * itself ("Timeout (control socket)"); this catches whatever it does not (e.g. a stalled TLS handshake).
 */
async function bounded<T>(client: Client, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      client.close();
      reject(Object.assign(new Error(`Timed out after ${ms} ms`), { code: 'ETIMEDOUT' }));
    }, ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * FTP, FTPS explicit (AUTH TLS on the control port, RFC 4217) or FTPS implicit (TLS from the first
 * byte) with basic-ftp, which reuses the control connection's TLS session for data connections.
 */
export async function connectFtp(spec: RemoteSpec, report: StepReporter): Promise<RemoteFiles> {
  const timeoutMs = spec.timeoutMs ?? 20_000;
  const client = new Client(timeoutMs);
  const limit = timeoutMs + 2000;
  // SNI takes host names only (RFC 6066 §3).
  const tlsOptions = {
    rejectUnauthorized: !spec.allowSelfSigned,
    ...(isIP(spec.host) ? {} : { servername: spec.host }),
  };
  let step: TestStep = 'connect';
  try {
    if (spec.protocol === 'ftps_implicit') {
      await bounded(client, limit, client.connectImplicitTLS(spec.host, spec.port, tlsOptions));
      report('connect', `${spec.host}:${spec.port}`);
      report('tls', 'TLS (implicit)');
    } else {
      await bounded(client, limit, client.connect(spec.host, spec.port));
      report('connect', `${spec.host}:${spec.port}`);
      if (spec.protocol === 'ftps_explicit') {
        step = 'tls';
        await bounded(client, limit, client.useTLS(tlsOptions));
        report('tls', 'TLS (AUTH TLS)');
      }
    }
    step = 'login';
    await bounded(client, limit, client.login(spec.username, spec.password ?? ''));
    await bounded(client, limit, client.useDefaultSettings());
    report('login', `as ${spec.username}`);
  } catch (err) {
    client.close();
    throw classify(err, step, spec);
  }

  // basic-ftp runs one command at a time; callers may not know, so calls queue here.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(step: TestStep, work: () => Promise<T>): Promise<T> => {
    const next = queue.then(work).catch((err: unknown) => {
      throw classify(err, step, spec);
    });
    queue = next.catch(() => undefined);
    return next;
  };

  return {
    hostKeyFingerprint: null,
    list: (folder) =>
      serial('list', async () => {
        const infos = await client.list(folder);
        return infos
          .filter((f) => f.isFile)
          .map((f) => ({ name: f.name, size: f.size, modifiedAt: f.modifiedAt ?? null }));
      }),
    download: (remotePath, localPath) =>
      serial('list', async () => {
        try {
          await client.downloadTo(localPath, remotePath);
        } catch (err) {
          await rm(localPath, { force: true });
          throw err;
        }
      }),
    remove: (remotePath) =>
      serial('list', async () => {
        await client.remove(remotePath);
      }),
    rename: (from, to) =>
      serial('list', async () => {
        await client.rename(from, to);
      }),
    close: async () => {
      await queue;
      client.close();
    },
  };
}
