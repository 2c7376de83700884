// npm run bench -- NAME: runs one benchmark on PGlite (or PostgreSQL when DATABASE_URL is set) and
// prints its figures as the last line of stdout.
import { engine, progress, type Metrics } from './lib.ts';

const benches: Record<string, () => Promise<{ run(): Promise<Metrics> }>> = {
  foundation: () => import('./foundation.ts'),
  contacts: () => import('./contacts.ts'),
  bulk: () => import('./bulk.ts'),
  notifications: () => import('./notifications.ts'),
  import: () => import('./import.ts'),
  messaging: () => import('./messaging.ts'),
  mailings: () => import('./mailings.ts'),
  distribution: () => import('./distribution.ts'),
};

const name = process.argv[2];
const load = name ? benches[name] : undefined;
if (!load) {
  console.error(`Usage: npm run bench -- <${Object.keys(benches).join(' | ')}>`);
  process.exit(2);
}
progress(`${name} on ${engine}`);
const metrics = await (await load()).run();
console.log(JSON.stringify({ bench: name, engine, metrics }));
process.exit(0);
