// Scheduled import sources (FTP, FTPS, SFTP): CRUD with write-only secrets sealed at rest,
// "Test connection" step by step, "Run now", the runs list, and the account's PGP key pair for
// encrypted import files. A run itself is source-runs.ts.
import type { Clock } from '../../clock.ts';
import type { Db } from '../../db/types.ts';
import { withTenant, type AccountId } from '../../db/tenant.ts';
import { AppError } from '../../errors.ts';
import { violatedUniqueConstraint } from '../../db/pg-errors.ts';
import type { Actor, JobSender } from '../../jobs/types.ts';
import type { SecretBox } from '../../security/secret-box.ts';
import { findTimeZone } from '../accounts/accounts.repo.ts';
import { compilePattern } from '../../adapters/glob.ts';
import { generateKeyPair, inspectPrivateKey, PgpError } from '../../adapters/pgp.ts';
import { testConnection, type RemoteSpec } from '../../adapters/remote-files.ts';
import type {
  ConnectionTest,
  CreateImportSourceBody,
  ImportRun,
  ImportSource,
  PgpKey,
} from '../../../shared/import-sources.ts';
import { createImportSourceBodySchema } from '../../../shared/import-sources.ts';
import type { z } from 'zod';
import type { updateImportSourceBodySchema } from '../../../shared/import-sources.ts';
import { findMapping } from './mappings.repo.ts';
import { nextRunAfter } from './source-schedule.ts';
import * as repo from './sources.repo.ts';

type UpdateBody = z.infer<typeof updateImportSourceBodySchema>;

export class ImportSourcesService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly secrets: SecretBox,
    private readonly jobs: JobSender,
  ) {}

  async list(actor: Actor): Promise<ImportSource[]> {
    const accountId = actor.access.accountId;
    return withTenant(this.db, accountId, async (tx) => {
      const last = await repo.lastRuns(tx, accountId);
      return (await repo.listSources(tx, accountId)).map((s) => toApi(s, last.get(s.id) ?? null));
    });
  }

  async get(actor: Actor, id: number): Promise<ImportSource> {
    const accountId = actor.access.accountId;
    return withTenant(this.db, accountId, async (tx) => {
      const source = await mustFind(tx, accountId, id);
      return toApi(source, (await repo.lastRuns(tx, accountId)).get(id) ?? null);
    });
  }

  /** 400 for an unusable pattern or unknown mapping; 409 `CONFLICT` for a taken name. */
  async create(actor: Actor, input: CreateImportSourceBody): Promise<ImportSource> {
    const body = createImportSourceBodySchema.parse(input);
    const accountId = actor.access.accountId;
    const id = await this.named(() =>
      withTenant(this.db, accountId, async (tx) => {
        const values = await this.values(tx, accountId, body, null);
        return repo.insertSource(tx, accountId, {
          ...values,
          createdBy: actor.userId,
          now: this.clock.now(),
        });
      }),
    );
    return this.get(actor, id);
  }

  /** Secrets left out stay as they are; `resetHostKey` forgets the pinned SFTP host key. */
  async update(actor: Actor, id: number, body: UpdateBody): Promise<ImportSource> {
    const accountId = actor.access.accountId;
    await this.named(() =>
      withTenant(this.db, accountId, async (tx) => {
        const current = await mustFind(tx, accountId, id);
        const values = await this.values(tx, accountId, body, current);
        await repo.updateSource(tx, accountId, id, values, actor.userId, this.clock.now());
      }),
    );
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: number): Promise<void> {
    const accountId = actor.access.accountId;
    const gone = await withTenant(this.db, accountId, (tx) => repo.deleteSource(tx, accountId, id));
    if (!gone) throw new AppError('NOT_FOUND', 'Import source not found');
  }

  async runs(actor: Actor, id: number): Promise<ImportRun[]> {
    const accountId = actor.access.accountId;
    return withTenant(this.db, accountId, async (tx) => {
      await mustFind(tx, accountId, id);
      return repo.listRuns(tx, accountId, id);
    });
  }

  /**
   * Resolve, connect, TLS/SSH, log in, list the folder, match the pattern: each step's result. On
   * the first successful SFTP connection the host key is pinned (shown in the answer).
   */
  async test(actor: Actor, id: number): Promise<ConnectionTest> {
    const accountId = actor.access.accountId;
    const { source, timeZone } = await withTenant(this.db, accountId, async (tx) => ({
      source: await mustFind(tx, accountId, id),
      timeZone: await findTimeZone(tx, accountId),
    }));
    const match = compilePattern(source.pattern, this.clock.now(), timeZone);
    const matching: string[] = [];
    const result = await testConnection(this.remoteSpec(source), source.folder, (name) => {
      const hit = match(name);
      if (hit && matching.length < 50) matching.push(name);
      return hit;
    });
    if (result.ok && result.hostKeyFingerprint && !source.hostKeyFingerprint)
      await withTenant(this.db, accountId, (tx) => repo.pinHostKey(tx, id, result.hostKeyFingerprint!));
    return { ...result, matchingFiles: matching };
  }

  /** Queues a run now, as the asking user (who needs `contacts.import` too); answers the run. */
  async runNow(actor: Actor, id: number): Promise<ImportRun> {
    if (!actor.access.rights.has('contacts.import'))
      throw new AppError('FORBIDDEN', "This needs the right 'contacts.import'", { right: 'contacts.import' });
    const accountId = actor.access.accountId;
    const run = await withTenant(this.db, accountId, async (tx) => {
      await mustFind(tx, accountId, id);
      await repo.insertRun(tx, accountId, id, 'manual', this.clock.now());
      // The newest run of the source is the one just inserted (same transaction).
      return (await repo.listRuns(tx, accountId, id, 1))[0]!;
    });
    await this.jobs.send('imports.pull', {
      accountId,
      sourceId: id,
      runId: Number(run.id),
      userId: actor.userId,
    });
    return run;
  }

  /** How a run connects: the source with its secrets opened. */
  remoteSpec(source: repo.SourceRow): RemoteSpec {
    return {
      protocol: source.protocol,
      host: source.host,
      port: source.port,
      username: source.username,
      ...(source.passwordSealed ? { password: this.secrets.open(source.passwordSealed) } : {}),
      ...(source.privateKeySealed ? { privateKey: this.secrets.open(source.privateKeySealed) } : {}),
      ...(source.keyPassphraseSealed ? { passphrase: this.secrets.open(source.keyPassphraseSealed) } : {}),
      hostKeyFingerprint: source.hostKeyFingerprint,
      allowSelfSigned: source.allowSelfSigned,
    };
  }

  // ---- PGP key ----------------------------------------------------------------------------------

  async pgpKey(actor: Actor): Promise<PgpKey> {
    const key = await withTenant(this.db, actor.access.accountId, (tx) =>
      repo.findPgpKey(tx, actor.access.accountId),
    );
    if (!key) throw new AppError('NOT_FOUND', 'This account has no PGP key yet');
    return {
      fingerprint: key.fingerprint,
      userId: key.userId,
      publicKeyArmored: key.publicKey,
      createdAt: key.createdAt,
    };
  }

  /** Generates a new key pair (replacing the old one); the passphrase is kept sealed for decryption. */
  async generatePgpKey(
    actor: Actor,
    body: { name: string; email: string; passphrase: string },
  ): Promise<PgpKey> {
    const pair = await generateKeyPair(body);
    await this.savePgpKey(actor, {
      fingerprint: pair.fingerprint,
      userId: pair.userId,
      publicKey: pair.publicKeyArmored,
      privateKey: pair.privateKeyArmored,
      passphrase: body.passphrase,
    });
    return this.pgpKey(actor);
  }

  /** Takes an existing private key; 400 `VALIDATION_FAILED` when it cannot be read or unlocked. */
  async uploadPgpKey(actor: Actor, body: { privateKeyArmored: string; passphrase: string }): Promise<PgpKey> {
    let info;
    try {
      info = await inspectPrivateKey(body.privateKeyArmored, body.passphrase);
    } catch (err) {
      if (err instanceof PgpError)
        throw new AppError(
          'VALIDATION_FAILED',
          err.code === 'bad_passphrase'
            ? 'The passphrase does not unlock this key'
            : 'This is not a usable PGP private key',
          {
            fields: [
              {
                field: err.code === 'bad_passphrase' ? 'passphrase' : 'privateKeyArmored',
                message: err.code,
              },
            ],
          },
        );
      throw err;
    }
    await this.savePgpKey(actor, {
      fingerprint: info.fingerprint,
      userId: info.userId,
      publicKey: info.publicKeyArmored,
      privateKey: body.privateKeyArmored,
      passphrase: body.passphrase,
    });
    return this.pgpKey(actor);
  }

  async deletePgpKey(actor: Actor): Promise<void> {
    const gone = await withTenant(this.db, actor.access.accountId, (tx) =>
      repo.deletePgpKey(tx, actor.access.accountId),
    );
    if (!gone) throw new AppError('NOT_FOUND', 'This account has no PGP key');
  }

  /** The account's key for decrypting, secrets opened (runs only). */
  async decryptionKey(
    accountId: AccountId,
  ): Promise<{ privateKeyArmored: string; passphrase: string } | null> {
    const key = await withTenant(this.db, accountId, (tx) => repo.findPgpKey(tx, accountId));
    return key
      ? {
          privateKeyArmored: this.secrets.open(key.privateKeySealed),
          passphrase: this.secrets.open(key.passphraseSealed),
        }
      : null;
  }

  private async savePgpKey(
    actor: Actor,
    k: { fingerprint: string; userId: string; publicKey: string; privateKey: string; passphrase: string },
  ): Promise<void> {
    await withTenant(this.db, actor.access.accountId, (tx) =>
      repo.savePgpKey(tx, actor.access.accountId, {
        fingerprint: k.fingerprint,
        userId: k.userId,
        publicKey: k.publicKey,
        privateKeySealed: this.secrets.seal(k.privateKey),
        passphraseSealed: this.secrets.seal(k.passphrase),
        createdBy: actor.userId,
        now: this.clock.now(),
      }),
    );
  }

  // ---- internals --------------------------------------------------------------------------------

  /** The stored values of a create (current null) or an update (absent fields keep their value). */
  private async values(
    tx: Parameters<typeof repo.findSource>[0],
    accountId: AccountId,
    body: UpdateBody,
    current: repo.SourceRow | null,
  ): Promise<repo.SourceValues> {
    const pick = <K extends keyof repo.SourceRow & keyof UpdateBody>(key: K, fallback: repo.SourceRow[K]) =>
      (body[key] ?? current?.[key] ?? fallback) as repo.SourceRow[K];
    const mappingId = body.mappingId !== undefined ? Number(body.mappingId) : current?.mappingId;
    if (mappingId === undefined || !(await findMapping(tx, accountId, mappingId)))
      throw new AppError('VALIDATION_FAILED', 'mappingId: unknown mapping', {
        fields: [{ field: 'mappingId', message: 'unknown mapping' }],
      });
    const pattern = pick('pattern', '*.csv');
    const timeZone = await findTimeZone(tx, accountId);
    try {
      compilePattern(pattern, this.clock.now(), timeZone);
    } catch (err) {
      throw new AppError('VALIDATION_FAILED', `pattern: ${(err as Error).message}`, {
        fields: [{ field: 'pattern', message: (err as Error).message }],
      });
    }
    const seal = (value: string | undefined, sealed: string | null | undefined) =>
      value === undefined ? (sealed ?? null) : value === '' ? null : this.secrets.seal(value);
    const protocol = pick('protocol', 'sftp');
    const host = pick('host', '');
    const schedule = body.schedule ?? current?.schedule ?? { kind: 'manual' };
    const afterImport = pick('afterImport', 'leave');
    const moveTo = body.moveTo !== undefined ? body.moveTo : (current?.moveTo ?? null);
    if (afterImport === 'move' && !moveTo)
      throw new AppError('VALIDATION_FAILED', 'moveTo: a folder is needed to move imported files to', {
        fields: [{ field: 'moveTo', message: 'required when afterImport is move' }],
      });
    const serverChanged = current !== null && (current.host !== host || current.protocol !== protocol);
    return {
      name: pick('name', ''),
      protocol,
      host,
      port: pick('port', 22),
      username: pick('username', ''),
      passwordSealed: seal(body.password, current?.passwordSealed),
      privateKeySealed: seal(body.privateKey, current?.privateKeySealed),
      keyPassphraseSealed: seal(body.keyPassphrase, current?.keyPassphraseSealed),
      // A new server, or asked: the next connection shows and pins its host key again.
      hostKeyFingerprint: body.resetHostKey || serverChanged ? null : (current?.hostKeyFingerprint ?? null),
      folder: pick('folder', '/'),
      pattern,
      schedule,
      mappingId,
      decrypt: pick('decrypt', false),
      afterImport,
      moveTo,
      missingAfterMinutes: pick('missingAfterMinutes', 0),
      allowSelfSigned: pick('allowSelfSigned', false),
      enabled: pick('enabled', true),
      nextRunAt: nextRunAfter(schedule, this.clock.now(), timeZone)?.toISOString() ?? null,
    };
  }

  private async named<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (err) {
      if (violatedUniqueConstraint(err) !== null)
        throw new AppError('CONFLICT', 'An import source with this name exists', { field: 'name' });
      throw err;
    }
  }
}

async function mustFind(tx: Parameters<typeof repo.findSource>[0], accountId: AccountId, id: number) {
  const source = await repo.findSource(tx, accountId, id);
  if (!source) throw new AppError('NOT_FOUND', 'Import source not found');
  return source;
}

function toApi(s: repo.SourceRow, lastRun: ImportRun | null): ImportSource {
  return {
    id: String(s.id),
    name: s.name,
    protocol: s.protocol,
    host: s.host,
    port: s.port,
    username: s.username,
    folder: s.folder,
    pattern: s.pattern,
    schedule: s.schedule,
    mappingId: String(s.mappingId),
    decrypt: s.decrypt,
    afterImport: s.afterImport,
    moveTo: s.moveTo,
    missingAfterMinutes: s.missingAfterMinutes,
    allowSelfSigned: s.allowSelfSigned,
    enabled: s.enabled,
    hasPassword: s.passwordSealed !== null,
    hasPrivateKey: s.privateKeySealed !== null,
    hostKeyFingerprint: s.hostKeyFingerprint,
    nextRunAt: s.nextRunAt,
    lastRun,
    createdAt: s.createdAt,
  };
}
