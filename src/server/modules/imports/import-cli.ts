// `herald import <file> --account ID [--mapping NAME] [--mode …] [--dry-run]`: the same pipeline
// as an upload in the browser (stored, sniffed, staged, merged as an `import` bulk action), run by
// this process with a progress bar on stderr and the summary at the end. It acts as a member of
// the account (`--as EMAIL`, default: the account's first owner) with that member's rights.
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import type { Config } from '../../config.ts';
import { openDatabase } from '../../db/client.ts';
import { migrate } from '../../db/migrate.ts';
import { rows, type Db } from '../../db/types.ts';
import { asAccountId } from '../../db/tenant.ts';
import { JobQueue } from '../../jobs/queue.ts';
import { systemClock } from '../../clock.ts';
import { buildServices } from '../../services.ts';
import { resolveSecret, SecretBox } from '../../security/secret-box.ts';
import { UsageError } from '../../runtime.ts';
import type { Actor } from '../../jobs/types.ts';
import { IMPORT_MODES, type ImportMode } from '../../../shared/imports.ts';
import type { Language } from '../../../shared/auth.ts';

export const IMPORT_USAGE = `herald import <file.csv> --account ID [--mapping NAME] [--mode create|update|upsert]
              [--match-by email|phone] [--dry-run] [--as EMAIL]`;

/** Runs the CLI import; answers the process exit code (0 done, 1 failed or rows failed with --strict). */
export async function runImportCli(config: Config, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      account: { type: 'string' },
      mapping: { type: 'string' },
      mode: { type: 'string' },
      'match-by': { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      as: { type: 'string' },
    },
  });
  const file = positionals[0];
  const accountId = Number(values.account);
  if (!file || !Number.isInteger(accountId) || accountId < 1) throw new UsageError(IMPORT_USAGE);
  if (values.mode !== undefined && !(IMPORT_MODES as readonly string[]).includes(values.mode))
    throw new UsageError(`--mode must be one of ${IMPORT_MODES.join(', ')}`);
  if (values['match-by'] !== undefined && !['email', 'phone'].includes(values['match-by']))
    throw new UsageError('--match-by must be email or phone');

  const database = await openDatabase(config.database);
  const queue = await JobQueue.start(database, { work: false, supervise: false });
  try {
    await migrate(database);
    const services = buildServices(
      config,
      database,
      systemClock,
      new SecretBox(await resolveSecret(config)),
      queue,
    );
    const actor = await actorFor(database.db, services.access, accountId, values.as);
    const upload = await services.imports.upload(actor, {
      stream: createReadStream(file),
      fileName: path.basename(file),
    });
    let settings;
    if (values.mapping !== undefined) {
      const mapping = (await services.importMappings.list(actor)).find(
        (m) => m.name.toLowerCase() === values.mapping!.toLowerCase(),
      );
      if (!mapping) throw new UsageError(`No mapping named '${values.mapping}' in account ${accountId}`);
      settings = mapping.settings;
    } else settings = { columns: upload.suggestions };
    settings = {
      ...settings,
      ...(values.mode ? { mode: values.mode as ImportMode } : {}),
      ...(values['match-by'] ? { matchBy: values['match-by'] as 'email' | 'phone' } : {}),
    };
    process.stderr.write(
      `${upload.fileName}: ${upload.settings.encoding}, delimiter ${JSON.stringify(upload.settings.delimiter)}, ` +
        `columns: ${settings.columns.map((c) => `${c.header} → ${c.target.kind === 'custom' ? c.target.key : c.target.kind}`).join(', ')}\n`,
    );
    const action = await services.imports.start(actor, {
      uploadId: upload.id,
      settings,
      dryRun: values['dry-run'],
    });
    const id = Number(action.id);
    const progress = setInterval(() => void showProgress(services, actor, id), 250);
    try {
      await services.bulkRunner.run(id);
      // Another worker may hold it (server mode): wait until it ends.
      for (;;) {
        const now = await services.bulkActions.get(actor, id);
        if (['completed', 'failed', 'cancelled'].includes(now.status)) break;
        await new Promise((r) => setTimeout(r, 500));
      }
    } finally {
      clearInterval(progress);
    }
    await showProgress(services, actor, id);
    process.stderr.write('\n');
    const done = await services.bulkActions.get(actor, id);
    const summary = await services.imports.summary(actor, id);
    const would = summary.dryRun ? ' (would be)' : '';
    const lines: [string, string | number][] = [
      ['rows read', summary.rowsRead],
      [`created${would}`, summary.created],
      [`updated${would}`, summary.updated],
      ['unchanged', summary.unchanged],
      ['skipped', `${summary.skipped} (duplicates in the file: ${summary.duplicates})`],
      ['failed', `${summary.failed} (invalid rows: ${summary.invalid})`],
      ['error log', `/api/accounts/${accountId}/bulk-actions/${done.id}/errors.csv`],
    ];
    console.log(
      [
        `${done.name}: ${done.status}${done.error ? ` (${done.error})` : ''}`,
        ...lines.map(([k, v]) => `  ${k.padEnd(20)} ${v}`),
      ].join('\n'),
    );
    return done.status === 'completed' ? 0 : 1;
  } finally {
    await queue.stop(5_000);
    await database.close();
  }
}

async function showProgress(
  services: ReturnType<typeof buildServices>,
  actor: Actor,
  id: number,
): Promise<void> {
  try {
    const a = await services.bulkActions.get(actor, id);
    const width = 30;
    const share = a.total > 0 ? Math.min(1, a.processed / a.total) : 0;
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '-');
    const what = a.status === 'preparing' ? 'reading the file…' : `${a.processed}/${a.total} rows`;
    process.stderr.write(`\r[${bar}] ${String(Math.round(share * 100)).padStart(3)}% ${what}   `);
  } catch {
    // Progress is best effort; the summary reports the end state.
  }
}

/** The member the CLI acts as, with their rights in the account: `--as EMAIL`, or the first owner. */
async function actorFor(
  db: Db,
  access: ReturnType<typeof buildServices>['access'],
  accountId: number,
  email: string | undefined,
): Promise<Actor> {
  const [user] = await rows<{ id: number; language: Language | null }>(
    db,
    email
      ? sql`SELECT id, language FROM users WHERE lower(email) = lower(${email})`
      : sql`SELECT u.id, u.language FROM users u JOIN memberships m ON m.user_id = u.id
            WHERE m.account_id IN (${accountId}, (SELECT parent_id FROM accounts WHERE id = ${accountId}))
              AND m.role = 'owner' ORDER BY m.account_id = ${accountId} DESC, u.id LIMIT 1`,
  );
  if (!user)
    throw new UsageError(
      email ? `No user ${email}` : `Account ${accountId} has no owner to act as (use --as)`,
    );
  const granted = await access.accessTo(Number(user.id), asAccountId(accountId));
  if (!granted) throw new UsageError(`That user has no access to account ${accountId}`);
  if (!granted.rights.has('contacts.import'))
    throw new UsageError("That user lacks the right 'contacts.import'");
  return { access: granted, userId: Number(user.id), language: user.language ?? 'en' };
}
