import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/server/config.ts';
import { ManualClock } from '../../src/server/clock.ts';
import { buildApp } from '../../src/server/app.ts';
import { buildServices, type AppServices } from '../../src/server/services.ts';
import { SecretBox } from '../../src/server/security/secret-box.ts';
import { JobQueue } from '../../src/server/jobs/queue.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export interface TestHarness {
  app: FastifyInstance;
  db: TestDatabase;
  services: AppServices;
  clock: ManualClock;
  config: Config;
  queue: JobQueue;
  close(): Promise<void>;
}

/**
 * Herald's real HTTP app on a fresh database, with a clock the test controls and the real job
 * queue (pg-boss on the same database). With `worker: true` this process also runs the jobs.
 */
export async function createHarness(
  options: { env?: Record<string, string>; worker?: boolean } = {},
): Promise<TestHarness> {
  const env = options.env ?? {};
  const db = await createTestDatabase();
  const config = {
    ...loadConfig({ HERALD_DATA_DIR: '.tmp/unused', LOG_LEVEL: 'silent', ...env }),
    database: db.config,
  };
  const clock = new ManualClock(new Date('2026-11-25T09:00:00Z'));
  const queue = await JobQueue.start(db.database, { work: Boolean(options.worker), supervise: false });
  const services = buildServices(
    config,
    db.database,
    clock,
    new SecretBox('test-secret-0123456789-0123456789'),
    queue,
  );
  if (options.worker) await queue.startWorkers({ services, database: db.database });
  const app = await buildApp({ config, database: db.database, services, web: false, logger: false });
  await app.ready();
  return {
    app,
    db,
    services,
    clock,
    config,
    queue,
    async close() {
      await app.close();
      await queue.stop(5_000);
      services.channels.close();
      await db.dispose();
    },
  };
}

/** A logged-in browser-like client: sends the session cookie and the CSRF header. */
export interface Client {
  cookie: string;
  csrf: string;
  userId: string;
  request(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

export async function login(app: FastifyInstance, email: string, password: string): Promise<Client> {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'herald_session');
  if (!cookie) throw new Error('no session cookie');
  const body = res.json<{ csrfToken: string; user: { id: string } }>();
  const client: Client = {
    cookie: `herald_session=${cookie.value}`,
    csrf: body.csrfToken,
    userId: body.user.id,
    request: (method, url, payload, headers = {}) =>
      app.inject({
        method,
        url,
        headers: {
          cookie: client.cookie,
          ...(method === 'GET' ? {} : { 'x-csrf-token': client.csrf }),
          ...headers,
        },
        ...(payload === undefined ? {} : { payload: payload as object }),
      }),
  };
  return client;
}
