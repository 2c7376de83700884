// What the contacts and bulk benchmarks share: a Herald (API + worker, no demo data) on a throwaway
// database, an account with an owner, and that owner's HTTP session.
import { loadConfig } from '../src/server/config.ts';
import { startHerald, type RunningHerald } from '../src/server/runtime.ts';
import { asAccountId } from '../src/server/db/tenant.ts';
import { insertAccount } from '../src/server/modules/accounts/accounts.repo.ts';
import { insertUser, upsertMembership } from '../src/server/modules/users/users.repo.ts';
import { hashPassword } from '../src/server/security/passwords.ts';
import { freshDatabase, progress } from './lib.ts';

const OWNER = { email: 'bench@example.com', password: 'bench-password-1' };

/** `env` adds to (or overrides) the bench's settings, e.g. where uploads are kept. */
export async function startBenchHerald(
  env: Record<string, string> = {},
): Promise<{ herald: RunningHerald; stop: () => Promise<void> }> {
  const fresh = await freshDatabase();
  const config = {
    ...loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      HERALD_SEED_DEMO: 'never',
      HERALD_SECRET: 'bench-secret-0123456789-0123456789',
      ...env,
    }),
    database: fresh.config,
    dataDir: fresh.config.kind === 'pglite' ? (fresh.config.dataDir ?? '') : '',
  };
  const herald = await startHerald(config, 'start', { log: progress, web: false, logger: false });
  return {
    herald,
    stop: async () => {
      await herald.stop();
      await fresh.dispose();
    },
  };
}

/** A new agency account owned by the bench user; returns its id. */
export async function createBenchAccount(herald: RunningHerald): Promise<number> {
  const db = herald.database.db;
  const accountId = await insertAccount(db, { name: 'Bench', kind: 'agency', parentId: null });
  const user = await insertUser(db, {
    email: OWNER.email,
    name: 'Bench',
    passwordHash: await hashPassword(OWNER.password),
  });
  await upsertMembership(db, asAccountId(accountId), user.id, 'owner', false);
  return accountId;
}

/** Logs the bench user in over HTTP: the cookie, and headers for JSON requests that change things. */
export async function logInBench(base: string): Promise<{ cookie: string; headers: Record<string, string> }> {
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(OWNER),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  return { cookie, headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' } };
}
