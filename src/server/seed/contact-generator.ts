// Generates realistic contacts fast: COPY for the rows, then set-based INSERT ... SELECT for tags and
// list memberships. Used by the demo seed, `herald seed --contacts N` and the benchmarks.
import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Language } from '../../shared/auth.ts';
import { rows, type Database } from '../db/types.ts';

export const FIRST_NAMES = [
  'Anna',
  'Ben',
  'Clara',
  'David',
  'Emma',
  'Felix',
  'Greta',
  'Hannah',
  'Jonas',
  'Lea',
  'Lukas',
  'Marie',
  'Noah',
  'Paul',
  'Sophie',
  'Tim',
  'Mia',
  'Elias',
  'Lina',
  'Leon',
  'Ida',
  'Finn',
  'Ella',
  'Emil',
];
export const LAST_NAMES = [
  'Müller',
  'Schmidt',
  'Schneider',
  'Fischer',
  'Weber',
  'Meyer',
  'Wagner',
  'Becker',
  'Schulz',
  'Hoffmann',
  'Koch',
  'Richter',
  'Klein',
  'Wolf',
  'Schröder',
  'Neumann',
  'Schwarz',
  'Braun',
  'Zimmermann',
  'Krüger',
];
const CITIES = ['Berlin', 'Hamburg', 'München', 'Köln', 'Leipzig', 'Dresden', 'Bremen', 'Freiburg'];
/** Domains with their share of contacts (cumulative thresholds out of 100). */
export const DOMAINS: [string, number][] = [
  ['example.com', 40],
  ['mail.example', 65],
  ['example.org', 85],
  ['posteo.example', 95],
  ['firma.example', 100],
];

export const DEMO_TAGS = [
  { name: 'VIP', color: '#c92a2a', share: 'id % 10 = 0' },
  { name: 'Newsletter', color: '#1971c2', share: 'id % 10 < 3' },
  { name: 'Stammkunde', color: '#2f9e44', share: 'id % 7 = 1' },
  { name: 'Event 2026', color: '#e67700', share: 'id % 13 = 2' },
] as const;
export const DEMO_LISTS = [
  { name: 'Newsletter DE', description: 'Monthly newsletter in German', share: 'id % 5 < 2' },
  { name: 'Promotions', description: 'Offers and discounts', share: 'id % 4 = 3' },
] as const;
/**
 * Custom field labels are account data, written in the account's language: the demo gives German
 * labels to a German business (the Bäckerei) and English ones elsewhere.
 */
export const DEMO_FIELDS = [
  { key: 'city', label: { en: 'City', de: 'Stadt' }, type: 'text' },
  { key: 'loyalty_points', label: { en: 'Loyalty points', de: 'Treuepunkte' }, type: 'number' },
  { key: 'birthday', label: { en: 'Birthday', de: 'Geburtstag' }, type: 'date' },
  { key: 'member', label: { en: 'Club member', de: 'Clubmitglied' }, type: 'boolean' },
] as const;

const CHUNK_ROWS = 20_000;
const csv = (value: string) => `"${value.replace(/"/g, '""')}"`;

function* csvChunks(accountId: number, count: number, run: string, now: number): Generator<string> {
  // Phones must be unique per account across runs too: three digits of the run marker go in front.
  const phoneRun = String(parseInt(run, 16) % 1000).padStart(3, '0');
  const threeYears = 3 * 365 * 86_400_000;
  for (let start = 0; start < count; start += CHUNK_ROWS) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(count, start + CHUNK_ROWS); i++) {
      const first = FIRST_NAMES[i % FIRST_NAMES.length]!;
      const last = LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length]!;
      const bucket = (i * 37) % 100;
      const domain = DOMAINS.find(([, upTo]) => bucket < upTo)![0];
      const local = `${first}.${last}`
        .toLowerCase()
        .replace(/ü/g, 'ue')
        .replace(/ö/g, 'oe')
        .replace(/ä/g, 'ae');
      const email = i % 17 === 5 ? '' : `${local}.${run}${i}@${domain}`;
      const phone = i % 3 === 0 || !email ? `+4915${phoneRun}${String(i).padStart(8, '0')}` : '';
      const created = new Date(now - ((i * 7919) % threeYears)).toISOString();
      const custom: Record<string, unknown> = { city: CITIES[i % CITIES.length] };
      if (i % 2 === 0) custom.loyalty_points = (i * 13) % 5000;
      if (i % 5 === 0)
        custom.birthday = `19${60 + (i % 40)}-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
      if (i % 3 === 1) custom.member = i % 2 === 0;
      // Every 97th email hard-bounced: see the deliverability rows written after the copy.
      const emailConsent = i % 50 === 0 ? 'unsubscribed' : 'subscribed';
      const smsConsent = i % 11 === 0 ? 'unsubscribed' : 'subscribed';
      lines.push(
        [
          accountId,
          email,
          phone,
          first,
          last,
          emailConsent,
          smsConsent,
          csv(JSON.stringify(custom)),
          created,
          created,
        ].join(','),
      );
    }
    yield `${lines.join('\n')}\n`;
  }
}

async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/**
 * Makes sure the demo tags, lists and custom fields exist in the account (field labels in
 * `language`); returns nothing new if they do.
 */
export async function ensureDemoCatalog(
  database: Database,
  accountId: number,
  language: Language = 'en',
): Promise<void> {
  const db = database.db;
  for (const t of DEMO_TAGS) {
    await db.execute(
      sql`INSERT INTO tags (account_id, name, color) VALUES (${accountId}, ${t.name}, ${t.color}) ON CONFLICT DO NOTHING`,
    );
  }
  for (const l of DEMO_LISTS) {
    await db.execute(
      sql`INSERT INTO subscriber_lists (account_id, name, description) VALUES (${accountId}, ${l.name}, ${l.description}) ON CONFLICT DO NOTHING`,
    );
  }
  for (const f of DEMO_FIELDS) {
    await db.execute(
      sql`INSERT INTO custom_field_defs (account_id, key, label, type) VALUES (${accountId}, ${f.key}, ${f.label[language]}, ${f.type}) ON CONFLICT DO NOTHING`,
    );
  }
}

/**
 * Adds `count` generated contacts to an account (with the demo catalogue: tags, lists, custom fields)
 * and tags a share of them. Emails carry a per-run marker so repeated runs never collide.
 */
export async function generateContacts(
  database: Database,
  accountId: number,
  count: number,
  now = new Date(),
  /** The language of the custom field labels (account data: a German account gets German ones). */
  language: Language = 'en',
): Promise<void> {
  await ensureDemoCatalog(database, accountId, language);
  const [before] = await rows<{ maxId: number | null }>(
    database.db,
    sql`SELECT max(id) AS "maxId" FROM contacts`,
  );
  const fromId = Number(before?.maxId ?? 0);
  const run = randomBytes(2).toString('hex');
  await database.copyFrom(
    `COPY contacts (account_id, email, phone, first_name, last_name, email_consent, sms_consent, custom_fields, created_at, updated_at)
     FROM STDIN WITH (FORMAT csv, NULL '')`,
    asAsync(csvChunks(accountId, count, run, now.getTime())),
  );
  const [after] = await rows<{ maxId: number | null }>(
    database.db,
    sql`SELECT max(id) AS "maxId" FROM contacts`,
  );
  const toId = Number(after?.maxId ?? 0);
  // Memberships by id ranges: set-based, and small enough per statement not to stall PGlite for long.
  const step = database.kind === 'pglite' ? 50_000 : 250_000;
  for (let lo = fromId; lo < toId; lo += step) {
    const hi = Math.min(toId, lo + step);
    for (const t of DEMO_TAGS) {
      await database.db.execute(sql`
        INSERT INTO contact_tags (account_id, contact_id, tag_id)
        SELECT c.account_id, c.id, t.id FROM contacts c JOIN tags t ON t.account_id = c.account_id AND t.name = ${t.name}
        WHERE c.account_id = ${accountId} AND c.id > ${lo} AND c.id <= ${hi} AND ${sql.raw(t.share.replace(/\bid\b/g, 'c.id'))}
        ON CONFLICT DO NOTHING`);
    }
    for (const l of DEMO_LISTS) {
      await database.db.execute(sql`
        INSERT INTO list_members (account_id, contact_id, list_id)
        SELECT c.account_id, c.id, l.id FROM contacts c JOIN subscriber_lists l ON l.account_id = c.account_id AND l.name = ${l.name}
        WHERE c.account_id = ${accountId} AND c.id > ${lo} AND c.id <= ${hi} AND ${sql.raw(l.share.replace(/\bid\b/g, 'c.id'))}
        ON CONFLICT DO NOTHING`);
    }
    // Every 97th generated email (its number follows the run marker) bounced hard: deliverability,
    // not consent, keeps it from being sent to.
    await database.db.execute(sql`
      INSERT INTO address_deliverability (account_id, channel, address, state, reason, changed_at)
      SELECT c.account_id, 'email', lower(trim(c.email)), 'hard_bounced', '550 5.1.1 User unknown', c.created_at
      FROM contacts c
      WHERE c.account_id = ${accountId} AND c.id > ${lo} AND c.id <= ${hi} AND c.email IS NOT NULL
        AND substring(c.email from ${String.raw`\.` + run + String.raw`(\d+)@`})::bigint % 97 = 0
      ON CONFLICT DO NOTHING`);
  }
  // Fresh statistics: a planner that still thinks the table is empty picks plans for ten rows.
  await database.db.execute(sql`ANALYZE contacts, contact_tags, list_members`);
}
