// Foundation figures: start-up (migrations from scratch), login and /api/me latency, and how long
// /api/health can stall while the embedded engine does background work (seeding and VACUUM).
import { sql } from 'drizzle-orm';
import { loadConfig } from '../src/server/config.ts';
import { startHerald } from '../src/server/runtime.ts';
import { seedContacts, DEMO_PASSWORD } from '../src/server/seed/demo.ts';
import { rows } from '../src/server/db/types.ts';
import { freshDatabase, latency, percentile, progress, timed, type Metrics } from './lib.ts';

const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 200_000);
const CHUNK = Number(process.env.BENCH_CHUNK ?? 1_000);

export async function run(): Promise<Metrics> {
  const fresh = await freshDatabase();
  const config = {
    ...loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      HERALD_SECRET: 'bench-secret-0123456789-0123456789',
    }),
    database: fresh.config,
    dataDir: fresh.config.kind === 'pglite' ? (fresh.config.dataDir ?? '') : '',
  };
  const { ms: startMs, result: herald } = await timed(() =>
    startHerald(config, 'start', { log: progress, web: false, logger: false }),
  );
  const base = herald.url!;
  try {
    const loginSamples: number[] = [];
    let cookie = '';
    for (let i = 0; i < 20; i++) {
      const { ms, result } = await timed(() =>
        fetch(`${base}/api/auth/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email: 'owner@nordlicht.example', password: DEMO_PASSWORD }),
        }),
      );
      loginSamples.push(ms);
      cookie = (result.headers.get('set-cookie') ?? '').split(';')[0]!;
    }
    const meSamples = await sample(200, () => fetch(`${base}/api/me`, { headers: { cookie } }));
    const healthIdle = await sample(200, () => fetch(`${base}/api/health`));
    const selectOne = await sample(200, () => herald.database.db.execute(sql`SELECT 1`));

    progress(`seeding ${CONTACTS} contacts in chunks of ${CHUNK} while polling /api/health`);
    const underLoad: number[] = [];
    let busy = true;
    const poller = (async () => {
      while (busy) {
        const { ms } = await timed(() => fetch(`${base}/api/health`));
        underLoad.push(ms);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    const { ms: seedMs } = await timed(async () => {
      for (let done = 0; done < CONTACTS; done += CHUNK) {
        await seedContactsChunk(herald, done, Math.min(CHUNK, CONTACTS - done));
        await new Promise((r) => setImmediate(r)); // let HTTP in between chunks
      }
    });
    const seeding = [...underLoad];
    underLoad.length = 0;
    progress('running maintenance (CHECKPOINT + VACUUM on PGlite) while polling /api/health');
    const { ms: maintainMs } = await timed(() => herald.database.maintain());
    busy = false;
    await poller;
    const maintaining = underLoad;

    return {
      startup_from_scratch: latency(startMs),
      login_p95: latency(percentile(loginSamples, 95)),
      me_p95: latency(percentile(meSamples, 95)),
      health_p95_idle: latency(percentile(healthIdle, 95), percentile(selectOne, 95)),
      health_p95_while_seeding: latency(percentile(seeding, 95)),
      health_max_while_seeding: latency(Math.max(...seeding)),
      health_max_while_vacuum: latency(maintaining.length ? Math.max(...maintaining) : 0),
      seed_chunked: { value: Math.round(CONTACTS / (seedMs / 1000)), unit: 'rows/s' },
      maintenance_duration: latency(maintainMs),
    };
  } finally {
    await herald.stop();
    await fresh.dispose();
  }
}

async function sample(n: number, work: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push((await timed(work)).ms);
  return out;
}

async function seedContactsChunk(
  herald: Awaited<ReturnType<typeof startHerald>>,
  offset: number,
  count: number,
) {
  // Distinct account per chunk keeps the demo seed's unique keys apart.
  const [row] = await rows<{ id: number }>(
    herald.database.db,
    sql`INSERT INTO accounts (name, kind) VALUES (${`Bench ${offset}`}, 'agency') RETURNING id`,
  );
  await seedContacts(herald.database.db, row!.id, count);
}
