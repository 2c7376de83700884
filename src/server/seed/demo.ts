import { sql } from 'drizzle-orm';
import { rows, type Database, type Db } from '../db/types.ts';
import { DOMAINS, FIRST_NAMES, generateContacts, LAST_NAMES } from './contact-generator.ts';
import { asAccountId } from '../db/tenant.ts';
import { hashPassword } from '../security/passwords.ts';
import { countAccounts, insertAccount } from '../modules/accounts/accounts.repo.ts';
import { insertUser, upsertMembership } from '../modules/users/users.repo.ts';
import type { Role } from '../../shared/rights.ts';
import type { NotificationEvent } from '../../shared/notifications.ts';
import { systemClock } from '../clock.ts';
import { Notifier } from '../modules/notifications/notifier.ts';

export const DEMO_PASSWORD = 'herald-demo-2026';

/** The demo logins, also listed in the README. */
export const DEMO_USERS: readonly {
  email: string;
  name: string;
  language: 'en' | 'de';
  grants: readonly [string, Role][];
  note: string;
}[] = [
  {
    email: 'owner@nordlicht.example',
    name: 'Olivia Owner',
    language: 'en',
    grants: [['agency', 'owner']],
    note: 'agency owner: every right in the agency and both sub-accounts',
  },
  {
    email: 'admin@nordlicht.example',
    name: 'Anton Admin',
    language: 'de',
    grants: [['agency', 'admin']],
    note: 'agency admin (German UI): all but distribution',
  },
  {
    email: 'marketer@baeckerei.example',
    name: 'Mia Marketer',
    language: 'de',
    grants: [['baeckerei', 'marketer']],
    note: 'marketer in Bäckerei Sonnenschein only',
  },
  {
    email: 'analyst@velo.example',
    name: 'Ali Analyst',
    language: 'en',
    grants: [
      ['velo', 'analyst'],
      ['baeckerei', 'viewer'],
    ],
    note: 'analyst in Velo Berlin, viewer in Bäckerei Sonnenschein',
  },
  {
    email: 'viewer@velo.example',
    name: 'Vera Viewer',
    language: 'en',
    grants: [['velo', 'viewer']],
    note: 'read-only in Velo Berlin',
  },
];

const DOMAIN_NAMES = DOMAINS.map(([domain]) => domain);

/**
 * Seeds the demo agency with two sub-accounts, users with different rights and demo contacts,
 * once: a database that already has accounts is left alone. Returns false when it did nothing.
 */
export async function seedDemo(database: Database): Promise<boolean> {
  const db = database.db;
  if ((await countAccounts(db)) > 0) return false;
  const hashed = await hashPassword(DEMO_PASSWORD);
  const ids = await db.transaction(async (tx) => {
    const agency = await insertAccount(tx, { name: 'Nordlicht Agency', kind: 'agency', parentId: null });
    const baeckerei = await insertAccount(tx, {
      name: 'Bäckerei Sonnenschein',
      kind: 'sub_account',
      parentId: agency,
    });
    const velo = await insertAccount(tx, { name: 'Velo Berlin', kind: 'sub_account', parentId: agency });
    const ids: Record<string, number> = { agency, baeckerei, velo };
    for (const u of DEMO_USERS) {
      const user = await insertUser(tx, {
        email: u.email,
        name: u.name,
        passwordHash: hashed,
        language: u.language,
      });
      for (const [account, role] of u.grants)
        await upsertMembership(tx, asAccountId(ids[account]!), user.id, role, false);
    }
    return ids;
  });
  // The Bäckerei is a German business run by the German demo user: its custom fields read German.
  for (const [account, count, language] of [
    ['baeckerei', 240, 'de'],
    ['velo', 180, 'en'],
    ['agency', 40, 'en'],
  ] as const) {
    await generateContacts(database, ids[account]!, count, new Date(), language);
  }
  await seedDemoNotifications(db, ids);
  await seedDistributionStory(db, ids);
  return true;
}

/**
 * The client-account story, ready to follow: the agency's mailing "Frühjahrsaktion 2027" uses its
 * template "Newsletter-Rahmen", its sender profile and its list "Newsletter DE". The Bäckerei has a
 * substitute registered for each of them; Velo Berlin has substitutes for the sender and the list but
 * none for the template, so distributing the mailing into both sub-accounts succeeds in one and fails
 * in the other, until the template's substitute is registered there and the failed target retried.
 */
async function seedDistributionStory(db: Db, ids: Record<string, number>): Promise<void> {
  const agency = ids.agency!;
  const one = async (query: ReturnType<typeof sql>) => Number((await rows<{ id: string }>(db, query))[0]!.id);
  const sender = (accountId: number, name: string, fromName: string, address: string) =>
    one(sql`INSERT INTO sender_profiles (account_id, name, from_name, from_address, is_default)
            VALUES (${accountId}, ${name}, ${fromName}, ${address}, true) RETURNING id::text AS id`);
  const template = (accountId: number, name: string, heading: string) =>
    one(sql`INSERT INTO message_templates (account_id, channel, name, subject, html, fields)
            VALUES (${accountId}, 'email', ${name}, ${`Neuigkeiten: ${heading}`},
                    ${`<h1>${heading}</h1><p>Hallo {{ first_name }},</p>{{ content }}<p><a href="{{ unsubscribe_url }}">Abmelden</a></p>`},
                    '{first_name,unsubscribe_url}')
            RETURNING id::text AS id`);
  const list = (accountId: number) =>
    one(
      sql`SELECT id::text AS id FROM subscriber_lists WHERE account_id = ${accountId} AND name = 'Newsletter DE'`,
    );
  const substitute = (accountId: number, kind: string, sourceId: number, substituteId: number) =>
    db.execute(sql`INSERT INTO substitutes (account_id, source_account_id, kind, source_id, substitute_id)
                   VALUES (${accountId}, ${agency}, ${kind}, ${sourceId}, ${substituteId})`);

  const agencySender = await sender(
    agency,
    'Nordlicht Newsletter',
    'Nordlicht Agency',
    'news@nordlicht.example',
  );
  const agencyTemplate = await template(agency, 'Newsletter-Rahmen', 'Nordlicht Agency');
  const agencyList = await list(agency);
  const mailing = await one(
    sql`INSERT INTO mailings (account_id, name, template_id, sender_profile_id, list_ids, root_id)
        VALUES (${agency}, 'Frühjahrsaktion 2027', ${agencyTemplate}, ${agencySender},
                ${`{${agencyList}}`}::bigint[], 0)
        RETURNING id::text AS id`,
  );
  await db.execute(sql`UPDATE mailings SET root_id = id WHERE id = ${mailing}`);

  const baeckerei = ids.baeckerei!;
  await substitute(
    baeckerei,
    'email_template',
    agencyTemplate,
    await template(baeckerei, 'Newsletter-Rahmen Bäckerei', 'Bäckerei Sonnenschein'),
  );
  await substitute(
    baeckerei,
    'sender_profile',
    agencySender,
    await sender(baeckerei, 'Bäckerei Sonnenschein', 'Bäckerei Sonnenschein', 'post@baeckerei.example'),
  );
  await substitute(baeckerei, 'subscriber_list', agencyList, await list(baeckerei));

  const velo = ids.velo!;
  await template(velo, 'Velo Newsletter', 'Velo Berlin');
  await substitute(
    velo,
    'sender_profile',
    agencySender,
    await sender(velo, 'Velo Berlin Team', 'Velo Berlin', 'team@velo.example'),
  );
  await substitute(velo, 'subscriber_list', agencyList, await list(velo));
}

/**
 * The seed's story, ready to follow: a standard mailing of the Bäckerei whose list × target group
 * gave 0 recipients (the target group asks for a city none of its contacts live in), failed. Its
 * notification links to its statistics, from where a corrected re-send fixes it.
 */
async function seedFailedMailing(db: Db, accountId: number) {
  const [list] = await rows<{ id: string; name: string }>(
    db,
    sql`SELECT id::text AS id, name FROM subscriber_lists WHERE account_id = ${accountId} ORDER BY id LIMIT 1`,
  );
  const targetGroup = { name: 'Stammkunden Potsdam' };
  const filter = {
    op: 'and',
    conditions: [{ type: 'field', field: 'custom.city', op: 'equals', value: 'Potsdam' }],
  };
  const [group] = await rows<{ id: string }>(
    db,
    sql`INSERT INTO smart_lists (account_id, name, filter)
        VALUES (${accountId}, ${targetGroup.name}, ${JSON.stringify(filter)}::jsonb) RETURNING id::text AS id`,
  );
  const [mailing] = await rows<{ id: string; name: string }>(
    db,
    sql`INSERT INTO mailings (account_id, name, subject, html, list_ids, target_group_ids, status,
                              failure_reason, recipients_at_send, root_id, started_at, finished_at)
        VALUES (${accountId}, 'Wochenangebote KW 48', 'Unsere Wochenangebote',
                '<p>Hallo {{ first_name | default: "liebe Kundin, lieber Kunde" }}, frische Brezeln zum halben Preis!</p>',
                ${`{${list!.id}}`}::bigint[], ${`{${group!.id}}`}::bigint[], 'failed', 'no_recipients', 0, 0,
                now() - interval '2 hours', now() - interval '2 hours')
        RETURNING id::text AS id, name`,
  );
  await db.execute(sql`UPDATE mailings SET root_id = id WHERE id = ${Number(mailing!.id)}`);
  return { mailing: mailing!, list: list!, targetGroup: { id: group!.id, name: targetGroup.name } };
}

/** A few account events of each kind, through the real notify(), so the badge and list show something. */
async function seedDemoNotifications(db: Db, ids: Record<string, number>): Promise<void> {
  const notifier = new Notifier(systemClock, 24 * 3_600_000);
  const failed = await seedFailedMailing(db, ids.baeckerei!);
  const events: [string, NotificationEvent][] = [
    [
      'baeckerei',
      {
        type: 'mailing.send_failed',
        params: {
          mailing: failed.mailing,
          subscriberLists: [failed.list],
          targetGroups: [failed.targetGroup],
          recipientCount: 0,
          reason: 'no_recipients',
        },
        subject: { kind: 'mailing', id: failed.mailing.id },
      },
    ],
  ];
  const ftp: NotificationEvent = {
    type: 'ftp_import.failed',
    params: {
      import: { id: '2', name: 'Daily CRM export' },
      cause: 'auth_failed',
      server: 'sftp://files.velo-berlin.example',
      file: 'contacts-2026-11-25.csv.zip.pgp',
      detail: 'All configured authentication methods failed',
    },
    subject: { kind: 'ftp_import', id: '2' },
    groupKey: 'ftp-import-2',
  };
  for (let i = 0; i < 3; i++) events.push(['velo', ftp]);
  for (const [account, event] of events) {
    await db.transaction((tx) => notifier.notify(tx, ids[account]!, event));
  }
}

/** Inserts `count` plain contacts (no tags, lists or custom fields) in one set-based statement: a quick fixture for tests. */
export async function seedContacts(db: Pick<Db, 'execute'>, accountId: number, count: number): Promise<void> {
  await db.execute(sql`
    INSERT INTO contacts (account_id, email, phone, first_name, last_name, created_at, updated_at)
    SELECT ${accountId},
           translate(lower(f.first) || '.' || lower(l.last), 'äöüß', 'aous') || g || '@' || d.domain,
           CASE WHEN g % 3 = 0 THEN NULL ELSE '+4915' || lpad((${accountId} * 1000000 + g)::text, 9, '0') END,
           f.first, l.last,
           now() - (g || ' hours')::interval, now() - (g || ' hours')::interval
    FROM generate_series(1, ${count}) AS g
    CROSS JOIN LATERAL (SELECT (${sql.raw(`ARRAY[${FIRST_NAMES.map((n) => `'${n}'`).join(',')}]`)})[1 + g % ${FIRST_NAMES.length}] AS first) f
    CROSS JOIN LATERAL (SELECT (${sql.raw(`ARRAY[${LAST_NAMES.map((n) => `'${n}'`).join(',')}]`)})[1 + (g / ${FIRST_NAMES.length}) % ${LAST_NAMES.length}] AS last) l
    CROSS JOIN LATERAL (SELECT (${sql.raw(`ARRAY[${DOMAIN_NAMES.map((n) => `'${n}'`).join(',')}]`)})[1 + g % ${DOMAIN_NAMES.length}] AS domain) d`);
}
