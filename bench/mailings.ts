// Standard mailings at volume (issue 13, "Benchmark"): R recipients (default 100,000 on PostgreSQL,
// 10,000 on PGlite; `--recipients N` or BENCH_MAILINGS_RECIPIENTS) out of 10·R contacts, a list of
// 3·R ∩ a target group (bench/mailings-audience.ts), through Herald's services in this process
// (API and worker), each beside the same work done bare in the same run:
//   audience_count_p95  services.mailings.countFor (list × target group, with the breakdown), p95;
//                       baseline: the bare SQL count of the same distinct addresses;
//   mailing_send        the mailing scheduled "now" until it is `sent`, msg/s over every attempted
//                       message (the SMTP server refuses 1 in 10 by policy); baseline: bare
//                       nodemailer sending the same rendered messages to the same server;
//   resend_compute      the re-send's unreached set (resendOf, includeFailed) after that send,
//                       median of 5; baseline: the bare anti-join over the family's ledger;
//   stats_p95           services.mailingStats.statistics with R ledger rows and R/2 open/click rows,
//                       p95; baseline: the bare grouped SQL over messages and tracking_events.
import { sql } from 'drizzle-orm';
import { asAccountId } from '../src/server/db/tenant.ts';
import { rows, type Db } from '../src/server/db/types.ts';
import type { Actor } from '../src/server/jobs/types.ts';
import type { RunningHerald } from '../src/server/runtime.ts';
import type { AudienceQueryBody } from '../src/shared/mailings.ts';
import { createBenchAccount, startBenchHerald } from './bench-herald.ts';
import { latency, percentile, progress, settle, throughput, timed, type Metrics } from './lib.ts';
import { audienceShape, hardBounced, inList, tagged, unsubscribed } from './mailings-audience.ts';
import { seedAudience, seedTrackingEvents } from './mailings-seed.ts';
import { bareNodemailer, startPolicySmtp, type BareRecipient } from './mailings-smtp.ts';
import {
  bareAudienceCount,
  bareStatistics,
  bareUnreachedCount,
  ledgerByStatus,
  type BareAudience,
} from './mailings-sql.ts';

/** Samples of each latency after WARM_UP unmeasured calls. */
const SAMPLES = 30;
const WARM_UP = 3;
const RESEND_RUNS = 5;

/** Recipients: `--recipients N` after the bench's name, else BENCH_MAILINGS_RECIPIENTS, else by engine. */
function recipientCount(): number {
  const flag = process.argv.indexOf('--recipients');
  const text = flag > 0 ? process.argv[flag + 1] : process.env.BENCH_MAILINGS_RECIPIENTS;
  const n = text === undefined ? (process.env.DATABASE_URL ? 100_000 : 10_000) : Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--recipients: a positive whole number, not ${text}`);
  return n;
}

const CONTENT = {
  subject: 'Hallo {{ first_name | default: "Kundin, Kunde" }}, unser Newsletter im Dezember',
  html: `<!doctype html><html><body style="font-family:sans-serif">
<h1>Hallo {{ first_name | default: "Kundin, Kunde" }} {{ last_name }},</h1>
${'<p>Im Dezember backen wir Stollen, Lebkuchen und Plätzchen nach den Rezepten unserer Großeltern. Bestellen Sie rechtzeitig für die Feiertage, in der Filiale oder online.</p>\n'.repeat(10)}
<p><a href="https://example.com/angebote">Zu den Angeboten</a> · <a href="https://example.com/torten">Torten</a> · <a href="https://example.com/filialen">Filialen</a></p>
<p><a href="{{ unsubscribe_url }}">Abmelden</a></p>
</body></html>`,
};

/** The bench owner as an actor in the account. */
async function ownerActor(herald: RunningHerald, accountId: number): Promise<Actor> {
  const [owner] = await rows<{ id: number }>(
    herald.database.db,
    sql`SELECT id FROM users WHERE email = 'bench@example.com'`,
  );
  const userId = Number(owner!.id);
  const access = await herald.services.access.accessTo(userId, asAccountId(accountId));
  if (!access) throw new Error('the bench owner has no access to the bench account');
  return { access, userId, language: 'en' };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `work`'s latencies: WARM_UP unmeasured calls, then `samples` measured ones (ms). */
async function sample(work: () => Promise<unknown>, samples = SAMPLES): Promise<number[]> {
  for (let i = 0; i < WARM_UP; i++) await work();
  const out: number[] = [];
  for (let i = 0; i < samples; i++) out.push((await timed(work)).ms);
  return out;
}

/** Waits until the mailing's stored status is final; returns it and its action. */
async function waitForEnd(
  db: Db,
  accountId: number,
  mailingId: number,
): Promise<{ status: string; actionId: number }> {
  let last = '';
  for (;;) {
    const [m] = await rows<{ status: string; actionId: number | null; reason: string | null }>(
      db,
      sql`SELECT status, action_id AS "actionId", failure_reason AS reason
          FROM mailings WHERE id = ${mailingId} AND account_id = ${accountId}`,
    );
    if (!m) throw new Error(`mailing ${mailingId} is gone`);
    const now = `${m.status}${m.actionId === null ? '' : ` (action ${m.actionId})`}`;
    if (now !== last) progress(`  mailing ${mailingId}: ${now}`);
    last = now;
    if (m.status === 'sent' && m.actionId !== null) return { status: m.status, actionId: Number(m.actionId) };
    if (m.status === 'failed' || m.status === 'cancelled') {
      throw new Error(`mailing ${mailingId} ended ${m.status}: ${m.reason ?? 'no reason'}`);
    }
    await sleep(100);
  }
}

/** The baseline's recipients: every sendable g of the audience, with the values Herald merges. */
function bareRecipients(recipients: number): BareRecipient[] {
  const first = ['Anna', 'Jonas', 'Leonie', 'Finn', 'Mia', 'Lukas', '', 'Sophie'];
  const last = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer'];
  const out: BareRecipient[] = [];
  for (let g = 0; g < 10 * recipients; g++) {
    if (!inList(g) || !tagged(g) || unsubscribed(g) || hardBounced(g)) continue;
    const to = `kunde${g}@bench.example`;
    out.push({
      to,
      values: {
        first_name: first[g % first.length]!,
        last_name: last[g % last.length]!,
        email: to,
        unsubscribe_url: `https://herald.example/u/token-${g}`,
      },
    });
  }
  return out;
}

/** Logs a mismatch between Herald's figure and the expected one (the bench goes on). */
function check(label: string, got: number, expected: number): void {
  if (got !== expected) progress(`  MISMATCH ${label}: Herald ${got}, expected ${expected}`);
}

export async function run(): Promise<Metrics> {
  const r = recipientCount();
  const shape = audienceShape(r);
  const smtp = await startPolicySmtp();
  const { herald, stop } = await startBenchHerald({ SMTP_URL: `smtp://127.0.0.1:${smtp.port}` });
  const db = herald.database.db;
  try {
    const { mailings, mailingStats } = herald.services;
    const accountId = await createBenchAccount(herald);
    const actor = await ownerActor(herald, accountId);

    progress(
      `seeding ${shape.contacts} contacts, a list of ${shape.listMembers}, a target group (set-based SQL)`,
    );
    const seed = await timed(() => seedAudience(db, accountId, r));
    progress(`  seeded in ${Math.round(seed.ms)} ms`);
    const { listId, tagId } = seed.result;
    const group = await herald.services.smartLists.create(asAccountId(accountId), actor.userId, {
      name: 'Kundinnen und Kunden 2026',
      filter: { op: 'and', conditions: [{ type: 'tag', op: 'has', tagId: String(tagId) }] },
    });
    const sender = await herald.services.senders.createProfile(asAccountId(accountId), {
      name: 'Newsletter',
      fromName: 'Bäckerei Bench',
      fromAddress: 'news@bench.example',
      isDefault: true,
    });
    const bare: BareAudience = { accountId, listId, tagId };
    const audienceBody: AudienceQueryBody = { listIds: [String(listId)], targetGroupIds: [String(group.id)] };
    await settle(herald.database);

    progress(`audience count: Herald vs bare SQL, ${SAMPLES} each after ${WARM_UP} warm-up`);
    const counted = await mailings.countFor(actor.access.accountId, audienceBody);
    progress(
      `  list members ${counted.listMembers}, in target group ${counted.inTargetGroups}, ` +
        `with consent ${counted.withConsent}, recipients ${counted.recipients} (expected ${shape.recipients})`,
    );
    check('audience recipients', counted.recipients, shape.recipients);
    check('bare audience count', await bareAudienceCount(db, bare), shape.recipients);
    const audienceMs = await sample(() => mailings.countFor(actor.access.accountId, audienceBody));
    const bareAudienceMs = await sample(() => bareAudienceCount(db, bare));

    progress(`send: a mailing to ${shape.recipients} recipients, scheduled now until sent`);
    const mailing = await mailings.create(actor, {
      name: 'Newsletter Dezember',
      subject: CONTENT.subject,
      html: CONTENT.html,
      senderProfileId: String(sender.id),
      listIds: audienceBody.listIds,
      targetGroupIds: audienceBody.targetGroupIds,
      tracking: true,
    });
    const mailingId = Number(mailing.id);
    await settle(herald.database);
    const before = smtp.accepted() + smtp.refused();
    const send = await timed(async () => {
      await mailings.schedule(actor, mailingId, { expectedCount: shape.recipients });
      return waitForEnd(db, accountId, mailingId);
    });
    const actionId = send.result.actionId;
    const attempted = smtp.accepted() + smtp.refused() - before;
    const ledger = await ledgerByStatus(db, actionId);
    progress(
      `  sent in ${Math.round(send.ms)} ms: the server saw ${attempted} messages ` +
        `(${smtp.refused()} refused); ledger ${JSON.stringify(ledger)}`,
    );
    check('messages the SMTP server saw', attempted, shape.recipients);
    check('failed ledger rows', ledger.failed ?? 0, shape.refused);
    const sendRate = attempted / (send.ms / 1000);

    progress('baseline: bare nodemailer, the same messages to the same server');
    const bareSendRate = await bareNodemailer(smtp.port, CONTENT, bareRecipients(r));

    progress(`re-send: the unreached set (resendOf, includeFailed), median of ${RESEND_RUNS}`);
    await settle(herald.database);
    const resendBody: AudienceQueryBody = {
      ...audienceBody,
      resendOf: String(mailingId),
      includeFailed: true,
    };
    const unreached = await mailings.countFor(actor.access.accountId, resendBody);
    progress(
      `  already reached ${unreached.alreadyReached}, unreached ${unreached.recipients} (expected ${shape.refused})`,
    );
    check('re-send recipients', unreached.recipients, shape.refused);
    check('bare unreached count', await bareUnreachedCount(db, bare, mailingId), shape.refused);
    const resendMs: number[] = [];
    const bareResendMs: number[] = [];
    for (let i = 0; i < RESEND_RUNS; i++) {
      resendMs.push((await timed(() => mailings.countFor(actor.access.accountId, resendBody))).ms);
      bareResendMs.push((await timed(() => bareUnreachedCount(db, bare, mailingId))).ms);
    }

    const events = Math.round(r / 2);
    progress(`statistics: ${events} open/click rows (set-based), then Herald vs bare grouped SQL`);
    const written = await seedTrackingEvents(db, actionId, events);
    progress(
      `  ${written} tracking rows for ${Object.values(ledger).reduce((a, b) => a + b, 0)} ledger rows`,
    );
    await settle(herald.database);
    const stats = await mailingStats.statistics(actor, mailingId, 'en');
    progress(
      `  opens ${stats.opens.unique}/${stats.opens.total}, clicks ${stats.clicks.unique}/${stats.clicks.total}, ` +
        `counts ${JSON.stringify(stats.counts)}`,
    );
    const statsMs = await sample(() => mailingStats.statistics(actor, mailingId, 'en'));
    const bareStatsMs = await sample(() => bareStatistics(db, accountId, actionId, mailingId));

    return {
      audience_count_p95: latency(percentile(audienceMs, 95), percentile(bareAudienceMs, 95)),
      mailing_send: throughput(sendRate, 'msg/s', bareSendRate),
      resend_compute: latency(percentile(resendMs, 50), percentile(bareResendMs, 50)),
      stats_p95: latency(percentile(statsMs, 95), percentile(bareStatsMs, 95)),
    };
  } finally {
    await stop();
    await smtp.close();
  }
}
