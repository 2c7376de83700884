import { createHash, timingSafeEqual } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import ssh2, { type Attributes, type SFTPWrapper } from 'ssh2';

const { Server, utils } = ssh2;
const { STATUS_CODE } = utils.sftp;

export interface TestSftpServer {
  port: number;
  /** OpenSSH form: "SHA256:" + unpadded base64 of the SHA-256 of the host key blob. */
  hostKeyFingerprint: string;
  /** TCP connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * A real SFTP server on 127.0.0.1 (ssh2's `Server`) serving the directory `root` as "/" to one
 * user, by password and/or public key (OpenSSH form). The host key is a fresh ed25519 key.
 * Implements the SFTP requests a download/list/remove/rename client needs (draft-ietf-secsh-filexfer-02).
 */
export async function startSftpServer(opts: {
  root: string;
  username: string;
  password?: string;
  publicKey?: string;
}): Promise<TestSftpServer> {
  const hostKey = utils.generateKeyPairSync('ed25519');
  const hostPublic = utils.parseKey(hostKey.public);
  if (hostPublic instanceof Error) throw hostPublic;
  const fingerprint =
    'SHA256:' + createHash('sha256').update(hostPublic.getPublicSSH()).digest('base64').replace(/=+$/, '');
  const allowedKey = opts.publicKey ? utils.parseKey(opts.publicKey) : null;
  if (allowedKey instanceof Error) throw allowedKey;
  const state = { connections: 0 };
  const clients = new Set<ssh2.Connection>();

  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    state.connections++;
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => undefined);
    client.on('authentication', (ctx) => {
      if (ctx.username !== opts.username) return ctx.reject();
      if (ctx.method === 'password' && opts.password !== undefined) {
        return ctx.password === opts.password ? ctx.accept() : ctx.reject();
      }
      if (ctx.method === 'publickey' && allowedKey) {
        const keyMatches =
          ctx.key.algo === allowedKey.type && sameBytes(ctx.key.data, allowedKey.getPublicSSH());
        if (!keyMatches) return ctx.reject();
        // Without a signature the client only asks whether the key would do (RFC 4252 §7).
        if (!ctx.signature || !ctx.blob) return ctx.accept();
        return allowedKey.verify(ctx.blob, ctx.signature, ctx.hashAlgo) ? ctx.accept() : ctx.reject();
      }
      return ctx.reject(['password', 'publickey']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept();
        session.on('sftp', (acceptSftp) => serveSftp(acceptSftp(), opts.root));
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    hostKeyFingerprint: fingerprint,
    get connections() {
      return state.connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const c of clients) c.end();
      }),
  };
}

function attrsOf(st: Stats): Attributes {
  return {
    mode: st.mode,
    uid: st.uid,
    gid: st.gid,
    size: st.size,
    atime: Math.floor(st.atimeMs / 1000),
    mtime: Math.floor(st.mtimeMs / 1000),
  };
}

// `ls -l` style; clients read the file type from its first character.
function longname(name: string, st: Stats): string {
  const type = st.isDirectory() ? 'd' : st.isSymbolicLink() ? 'l' : '-';
  return `${type}rw-r--r-- 1 herald herald ${st.size} Jan 01 00:00 ${name}`;
}

function errorStatus(err: unknown): number {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') return STATUS_CODE.NO_SUCH_FILE;
  if (code === 'EACCES' || code === 'EPERM') return STATUS_CODE.PERMISSION_DENIED;
  return STATUS_CODE.FAILURE;
}

type Open = { kind: 'file'; handle: fs.FileHandle } | { kind: 'dir'; dir: string; names: string[] | null };

function serveSftp(sftp: SFTPWrapper, root: string): void {
  const open = new Map<number, Open>();
  let nextHandle = 1;
  const virtual = (p: string) => path.posix.resolve('/', p);
  // Everything resolves inside root: "/../x" is "/x".
  const local = (p: string) => path.join(root, virtual(p));
  const handleOf = (id: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(id);
    return b;
  };
  const lookup = (h: Buffer) => (h.length === 4 ? open.get(h.readUInt32BE(0)) : undefined);
  const run = (reqid: number, work: () => Promise<void>) => {
    work().catch((err: unknown) => sftp.status(reqid, errorStatus(err)));
  };

  sftp.on('REALPATH', (reqid, p) => {
    const v = virtual(p);
    sftp.name(reqid, [{ filename: v, longname: v, attrs: {} as Attributes }]);
  });
  const stat = (reqid: number, p: string) =>
    run(reqid, async () => {
      sftp.attrs(reqid, attrsOf(await fs.stat(local(p))));
    });
  sftp.on('STAT', stat);
  sftp.on('LSTAT', stat);
  sftp.on('OPEN', (reqid, filename, flags) =>
    run(reqid, async () => {
      const mode = utils.sftp.flagsToString(flags) ?? 'r';
      const handle = await fs.open(local(filename), mode);
      const id = nextHandle++;
      open.set(id, { kind: 'file', handle });
      sftp.handle(reqid, handleOf(id));
    }),
  );
  sftp.on('READ', (reqid, h, offset, length) =>
    run(reqid, async () => {
      const o = lookup(h);
      if (o?.kind !== 'file') return void sftp.status(reqid, STATUS_CODE.FAILURE);
      const buf = Buffer.alloc(length);
      const { bytesRead } = await o.handle.read(buf, 0, length, offset);
      if (bytesRead === 0) sftp.status(reqid, STATUS_CODE.EOF);
      else sftp.data(reqid, buf.subarray(0, bytesRead));
    }),
  );
  sftp.on('WRITE', (reqid, h, offset, data) =>
    run(reqid, async () => {
      const o = lookup(h);
      if (o?.kind !== 'file') return void sftp.status(reqid, STATUS_CODE.FAILURE);
      await o.handle.write(data, 0, data.length, offset);
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('FSTAT', (reqid, h) =>
    run(reqid, async () => {
      const o = lookup(h);
      if (o?.kind !== 'file') return void sftp.status(reqid, STATUS_CODE.FAILURE);
      sftp.attrs(reqid, attrsOf(await o.handle.stat()));
    }),
  );
  sftp.on('CLOSE', (reqid, h) =>
    run(reqid, async () => {
      const o = lookup(h);
      if (!o) return void sftp.status(reqid, STATUS_CODE.FAILURE);
      open.delete(h.readUInt32BE(0));
      if (o.kind === 'file') await o.handle.close();
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('OPENDIR', (reqid, p) =>
    run(reqid, async () => {
      const dir = local(p);
      if (!(await fs.stat(dir)).isDirectory()) return void sftp.status(reqid, STATUS_CODE.FAILURE);
      const id = nextHandle++;
      open.set(id, { kind: 'dir', dir, names: await fs.readdir(dir) });
      sftp.handle(reqid, handleOf(id));
    }),
  );
  sftp.on('READDIR', (reqid, h) =>
    run(reqid, async () => {
      const o = lookup(h);
      if (o?.kind !== 'dir') return void sftp.status(reqid, STATUS_CODE.FAILURE);
      // One batch with every entry, then EOF.
      if (!o.names) return void sftp.status(reqid, STATUS_CODE.EOF);
      const names = o.names;
      o.names = null;
      const entries = await Promise.all(
        names.map(async (name) => {
          const st = await fs.lstat(path.join(o.dir, name));
          return { filename: name, longname: longname(name, st), attrs: attrsOf(st) };
        }),
      );
      sftp.name(reqid, entries);
    }),
  );
  sftp.on('REMOVE', (reqid, p) =>
    run(reqid, async () => {
      await fs.unlink(local(p));
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('RENAME', (reqid, from, to) =>
    run(reqid, async () => {
      await fs.rename(local(from), local(to));
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('MKDIR', (reqid, p) =>
    run(reqid, async () => {
      await fs.mkdir(local(p));
      sftp.status(reqid, STATUS_CODE.OK);
    }),
  );
  sftp.on('close', () => {
    for (const o of open.values()) if (o.kind === 'file') void o.handle.close();
    open.clear();
  });
}
