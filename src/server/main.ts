// Herald's command line: start | api | worker | migrate | seed. The only entry point of every process.
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.ts';
import { startHerald, UsageError } from './runtime.ts';
import { openDatabase } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import { seedDemo } from './seed/demo.ts';
import { generateContacts } from './seed/contact-generator.ts';
import { DataDirLockedError } from './db/pglite-lock.ts';
import { loggableError } from './db/log-safe.ts';
import { IMPORT_USAGE, runImportCli } from './modules/imports/import-cli.ts';

const USAGE = `Usage: herald <command>
  start     API + job worker + web UI in one process (the embedded default)
  api       API and web UI only (needs DATABASE_URL)
  worker    job worker only (needs DATABASE_URL)
  migrate   apply pending database migrations and exit
  seed      seed the demo data if the database is empty;
            --contacts N --account ID adds N generated contacts to an account
  import    import a CSV file into an account, with a progress bar:
            ${IMPORT_USAGE}`;

async function main(argv: string[]): Promise<void> {
  const [command = 'start', ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'start':
    case 'api':
    case 'worker': {
      const herald = await startHerald(config, command);
      const shutdown = (signal: string) => {
        console.log(`${signal}: finishing running jobs and requests, then stopping`);
        herald.stop().then(
          () => process.exit(0),
          (err: unknown) => {
            console.error(loggableError(err));
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => shutdown('SIGTERM'));
      process.once('SIGINT', () => shutdown('SIGINT'));
      return;
    }
    case 'migrate': {
      const database = await openDatabase(config.database);
      try {
        const applied = await migrate(database);
        console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date');
      } finally {
        await database.close();
      }
      return;
    }
    case 'seed': {
      const { values } = parseArgs({
        args: rest,
        options: { contacts: { type: 'string' }, account: { type: 'string' } },
      });
      const database = await openDatabase(config.database);
      try {
        await migrate(database);
        if (values.contacts) {
          const count = Number(values.contacts);
          const account = Number(values.account);
          if (!Number.isInteger(count) || count < 1 || !Number.isInteger(account))
            throw new UsageError('seed --contacts N --account ID');
          await generateContacts(database, account, count);
          console.log(`Added ${count} contacts to account ${account}`);
        } else {
          console.log(
            (await seedDemo(database)) ? 'Seeded demo data' : 'Database already has data; nothing seeded',
          );
        }
      } finally {
        await database.close();
      }
      return;
    }
    case 'import':
      process.exitCode = await runImportCli(config, rest);
      return;
    case 'help':
    case '--help':
      console.log(USAGE);
      return;
    default:
      throw new UsageError(`Unknown command '${command}'.\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof UsageError || err instanceof DataDirLockedError) {
    console.error(err.message);
    process.exit(2);
  }
  console.error(loggableError(err));
  process.exit(1);
});
