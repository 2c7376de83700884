// Set-based seeding for the mailings bench: the contacts, the subscriber list, the target group's
// tag, consent and deliverability of bench/mailings-audience.ts (INSERT … SELECT over
// generate_series, no row-by-row work), and opens and clicks of a sent mailing.
import { sql } from 'drizzle-orm';
import { rows, type Db } from '../src/server/db/types.ts';
import { SQL_RULES } from './mailings-audience.ts';

/** The first names the content's merge field reads (g picks one). */
const FIRST = ['Anna', 'Jonas', 'Leonie', 'Finn', 'Mia', 'Lukas', '', 'Sophie'];
const LAST = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer'];

/** What the seed made: the list's and the tag's ids. */
export interface SeededAudience {
  listId: number;
  tagId: number;
}

/** g of a seeded contact, as SQL over contacts `c` (its address is `kunde{g}@bench.example`). */
const G = `(substring(c.email from 6 for position('@' in c.email) - 6))::int`;

/**
 * Seeds 10·`recipients` contacts into `accountId` with consent, the list "Newsletter" and its
 * members, the tag "Kunde 2026" on its contacts and the hard-bounced addresses. Each step one
 * statement; the caller vacuums and analyses afterwards.
 */
export async function seedAudience(db: Db, accountId: number, recipients: number): Promise<SeededAudience> {
  const contacts = 10 * recipients;
  const first = `(ARRAY[${FIRST.map((f) => `'${f}'`).join(',')}])[g % ${FIRST.length} + 1]`;
  const last = `(ARRAY[${LAST.map((l) => `'${l}'`).join(',')}])[g % ${LAST.length} + 1]`;
  await db.execute(
    sql.raw(`INSERT INTO contacts (account_id, email, first_name, last_name, email_consent, sms_consent)
      SELECT ${accountId}, 'kunde' || g || '@bench.example', nullif(${first}, ''), ${last},
             CASE WHEN ${SQL_RULES.unsubscribed('g')} THEN 'unsubscribed' ELSE 'subscribed' END, 'subscribed'
      FROM generate_series(0, ${contacts - 1}) g`),
  );
  const [list] = await rows<{ id: number }>(
    db,
    sql`INSERT INTO subscriber_lists (account_id, name, description)
        VALUES (${accountId}, 'Newsletter', 'Bench: 3 in 10 contacts') RETURNING id`,
  );
  const [tag] = await rows<{ id: number }>(
    db,
    sql`INSERT INTO tags (account_id, name) VALUES (${accountId}, 'Kunde 2026') RETURNING id`,
  );
  const listId = Number(list!.id);
  const tagId = Number(tag!.id);
  await db.execute(
    sql.raw(`INSERT INTO list_members (account_id, list_id, contact_id)
      SELECT ${accountId}, ${listId}, c.id FROM contacts c
      WHERE c.account_id = ${accountId} AND ${SQL_RULES.inList(G)}`),
  );
  await db.execute(
    sql.raw(`INSERT INTO contact_tags (account_id, contact_id, tag_id)
      SELECT ${accountId}, c.id, ${tagId} FROM contacts c
      WHERE c.account_id = ${accountId} AND ${SQL_RULES.tagged(G)}`),
  );
  await db.execute(
    sql.raw(`INSERT INTO address_deliverability (account_id, channel, address, state, reason)
      SELECT ${accountId}, 'email', lower(btrim(c.email)), 'hard_bounced', 'bench'
      FROM contacts c WHERE c.account_id = ${accountId} AND ${SQL_RULES.hardBounced(G)}`),
  );
  return { listId, tagId };
}

/**
 * Opens and clicks for the messages of `actionId` that were sent: `events` rows in
 * tracking_events, 70 % opens and 30 % clicks over three links, spread over the first two days
 * (one row per recipient, kind and link, repeats in `hits`, as the tracking endpoints write them).
 * Returns how many rows it wrote.
 */
export async function seedTrackingEvents(db: Db, actionId: number, events: number): Promise<number> {
  const opens = Math.round(events * 0.7);
  const clicks = events - opens;
  const links = [
    'https://example.com/angebote',
    'https://example.com/torten',
    'https://example.com/filialen',
  ];
  const written = await rows<{ n: number }>(
    db,
    sql`WITH sent AS (
          SELECT m.id, m.account_id, m.contact_id, coalesce(m.sent_at, m.queued_at) AS at,
                 row_number() OVER (ORDER BY m.id) AS rn
          FROM messages m WHERE m.action_id = ${actionId} AND m.status IN ('sent', 'delivered')),
        opens AS (
          INSERT INTO tracking_events (account_id, action_id, message_id, contact_id, kind, url, hits, first_at, last_at)
          SELECT account_id, ${actionId}, id, contact_id, 'open', '', 1 + (rn % 3)::int,
                 at + (rn % 2880) * interval '1 minute', at + (rn % 2880 + 30) * interval '1 minute'
          FROM sent WHERE rn <= ${opens}
          RETURNING 1),
        clicks AS (
          INSERT INTO tracking_events (account_id, action_id, message_id, contact_id, kind, url, hits, first_at, last_at)
          SELECT s.account_id, ${actionId}, s.id, s.contact_id, 'click',
                 (${sql.raw(`ARRAY[${links.map((l) => `'${l}'`).join(', ')}]`)})[1 + ((s.rn + k) % 3)::int], 1,
                 s.at + (s.rn % 2880 + 5) * interval '1 minute', s.at + (s.rn % 2880 + 5) * interval '1 minute'
          FROM sent s CROSS JOIN generate_series(0, 1) k
          WHERE s.rn <= ${Math.ceil(clicks / 2)} AND k * ${Math.ceil(clicks / 2)} + s.rn <= ${clicks}
          RETURNING 1)
        SELECT ((SELECT count(*) FROM opens) + (SELECT count(*) FROM clicks))::int AS n`,
  );
  return written[0]!.n;
}
