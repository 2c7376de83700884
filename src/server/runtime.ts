import type { FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { systemClock, type Clock } from './clock.ts';
import { openDatabase } from './db/client.ts';
import { migrate } from './db/migrate.ts';
import type { Database } from './db/types.ts';
import { JobQueue } from './jobs/queue.ts';
import { buildServices, type AppServices } from './services.ts';
import { buildApp } from './app.ts';
import { seedDemo, DEMO_PASSWORD, DEMO_USERS } from './seed/demo.ts';
import { resolveSecret, SecretBox } from './security/secret-box.ts';

export type ProcessMode = 'start' | 'api' | 'worker';

export class UsageError extends Error {
  override name = 'UsageError';
}

/** A running Herald process: what it opened, and how to stop it in order. */
export interface RunningHerald {
  database: Database;
  app: FastifyInstance | undefined;
  queue: JobQueue;
  /** The process's services (benchmarks and tests drive producers through them). */
  services: AppServices;
  url: string | undefined;
  stop(): Promise<void>;
}

/** Opens the database, migrates, seeds (first start), and starts the API and/or the job worker. */
export async function startHerald(
  config: Config,
  mode: ProcessMode,
  options: { clock?: Clock; log?: (line: string) => void; web?: boolean; logger?: boolean } = {},
): Promise<RunningHerald> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (config.database.kind === 'pglite' && mode !== 'start') {
    throw new UsageError(
      `'herald ${mode}' needs DATABASE_URL: the embedded database (PGlite) runs API and worker in one process. ` +
        "Use 'herald start' (npm start), or set DATABASE_URL to run API and worker processes separately.",
    );
  }
  const started = Date.now();
  const database = await openDatabase(config.database);
  try {
    const applied = await migrate(database);
    if (applied.length) log(`Applied migrations: ${applied.join(', ')}`);
    const runsWorker = mode !== 'api';
    const queue = await JobQueue.start(database, { work: runsWorker, supervise: runsWorker });
    const clock = options.clock ?? systemClock;
    const services = buildServices(
      config,
      database,
      clock,
      new SecretBox(await resolveSecret(config)),
      queue,
    );
    if (mode !== 'worker' && config.seedDemo && (await seedDemo(database))) {
      log(`Seeded demo data. Demo logins (password "${DEMO_PASSWORD}"):`);
      for (const u of DEMO_USERS) log(`  ${u.email.padEnd(30)} ${u.note}`);
    }
    if (runsWorker) await queue.startWorkers({ services, database });

    let app: FastifyInstance | undefined;
    let url: string | undefined;
    if (mode !== 'worker') {
      app = await buildApp({
        config,
        database,
        services,
        web: options.web ?? true,
        logger: options.logger ?? true,
      });
      const address = await app.listen({ port: config.port, host: config.host });
      url = config.port === 0 ? address : config.publicUrl;
    }
    const engine =
      database.kind === 'pglite' ? `embedded PostgreSQL (PGlite) in ${config.dataDir}` : 'PostgreSQL';
    log(`Herald ${mode} ready in ${Date.now() - started} ms on ${engine}${url ? `: ${url}` : ''}`);

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        await app?.close();
        // Sends in flight finish and their results are written before the database closes: a
        // graceful stop sends nothing twice (a result lost here would be sent again after its lease).
        await services.deliveries.stop();
        await queue.stop();
        services.channels.close();
        await database.close();
      })());
    return { database, app, queue, services, url, stop };
  } catch (err) {
    await database.close().catch(() => undefined);
    throw err;
  }
}
