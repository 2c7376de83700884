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
  return true;
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
  const now = new Date().toISOString();
  const template = { kind: 'template' as const, id: '1', name: 'Master newsletter' };
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
    [
      'agency',
      {
        type: 'distribution.source_summary',
        params: {
          element: template,
          operation: 'distribute',
          at: now,
          succeeded: 1,
          failed: 1,
          failures: [
            {
              account: { id: String(ids.velo), name: 'Velo Berlin' },
              reason: "Substitute 'Footer' is not set",
            },
          ],
        },
        subject: { kind: 'template', id: '1' },
      },
    ],
    [
      'baeckerei',
      {
        type: 'distribution.target_result',
        params: {
          element: template,
          operation: 'distribute',
          sourceAccount: { id: String(ids.agency), name: 'Nordlicht Agency' },
          at: now,
          outcome: 'created',
          reason: null,
        },
        subject: { kind: 'template', id: '1' },
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
