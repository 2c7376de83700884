import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { SMTPServer } from 'smtp-server';
import { CHROMIUM_PATH, SKIP_REASON, launchBrowser, logIn, startDemoHerald } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/demo.ts';
import { toZonedLocal } from '../../src/shared/time-zones.ts';
import { asAccountId } from '../../src/server/db/tenant.ts';
import { startSmsStub, type SmsStub } from '../helpers/sms-provider-stub.ts';

// Bäckerei Sonnenschein: ~240 demo contacts; Mia Marketer works there, in German.
const ACCOUNT_ID = '2';
const MARKETER = 'marketer@baeckerei.example';
const WAIT_MS = 20_000;
// Sending runs in the background: bounded, with room for a busy machine.
const RUN_MS = 90_000;
const SUBJECT = 'Adventsgrüße aus der Backstube';

/**
 * A real SMTP server on loopback that holds every message at the end of DATA until the test
 * opens the gate: the send is under way (messages in flight) for as long as the test needs to
 * pause it, whatever the machine's speed.
 */
async function startGatedSmtp() {
  const accepted: { to: string; raw: string }[] = [];
  let holding = 0;
  let open = false;
  let release: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (release = resolve));
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const to = session.envelope.rcptTo[0]?.address.toLowerCase() ?? '';
        const raw = Buffer.concat(chunks).toString('utf8');
        const accept = () => {
          accepted.push({ to, raw });
          callback();
        };
        if (open) return accept();
        holding++;
        void opened.then(() => {
          holding--;
          accept();
        });
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    /** Messages of this test's send (Herald's own notification emails go here too). */
    bulk: () => accepted.filter((mail) => mail.raw.includes('List-Unsubscribe')),
    get holding() {
      return holding;
    },
    open() {
      open = true;
      release();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The API with the page's own session (cookie and CSRF token). */
async function api(page: Page, base: string) {
  const { csrfToken } = (await (await page.request.get(`${base}/api/me`)).json()) as { csrfToken: string };
  const path = (rest: string) => `${base}/api/accounts/${ACCOUNT_ID}${rest}`;
  return {
    get: async (rest: string) => {
      const answer = await page.request.get(path(rest));
      expect(answer.status(), await answer.text()).toBe(200);
      return answer.json();
    },
    post: async (rest: string, data: unknown) => {
      const answer = await page.request.post(path(rest), { data, headers: { 'x-csrf-token': csrfToken } });
      expect(answer.status(), await answer.text()).toBeLessThan(300);
      return answer.json();
    },
  };
}

const rowOf = (page: Page, actionId: string) =>
  page.locator(`[data-testid="bulk-row"][data-action-id="${actionId}"]`);

async function waitForStatus(page: Page, actionId: string, status: string): Promise<void> {
  try {
    await expect
      .poll(() => rowOf(page, actionId).getAttribute('data-status', { timeout: WAIT_MS }), {
        timeout: RUN_MS,
      })
      .toBe(status);
  } catch (err) {
    // Say what the server knows, so a failure tells a stale page from a send that is stuck.
    const base = new URL(page.url()).origin;
    const path = `${base}/api/accounts/${ACCOUNT_ID}/bulk-actions/${actionId}`;
    const action = await (await page.request.get(path)).text();
    const deliveries = await (await page.request.get(`${path}/deliveries`)).text();
    throw new Error(`${(err as Error).message}\nserver: ${action}\ndeliveries: ${deliveries}`, {
      cause: err,
    });
  }
}

/** The controls the row menu offers now (then closes it again). */
async function menuControls(page: Page, actionId: string): Promise<string[]> {
  await rowOf(page, actionId).getByTestId('bulk-row-menu').click();
  await page.getByTestId('bulk-view-stats').waitFor();
  const controls = await page
    .locator('[data-testid^="bulk-control-"]')
    .evaluateAll((items) =>
      items.map((item) => item.getAttribute('data-testid')!.slice('bulk-control-'.length)),
    );
  await page.keyboard.press('Escape');
  await page.getByTestId('bulk-view-stats').waitFor({ state: 'hidden' });
  return controls.sort();
}

/** Chooses a control in the row menu and confirms it. */
async function control(page: Page, actionId: string, name: 'pause' | 'resume' | 'cancel'): Promise<void> {
  await rowOf(page, actionId).getByTestId('bulk-row-menu').click();
  await page.getByTestId(`bulk-control-${name}`).click();
  await page.getByTestId('bulk-dialog-text').waitFor();
  await page.getByTestId('bulk-confirm').click();
  await page.getByTestId('bulk-confirm').waitFor({ state: 'hidden' });
}

/** Contacts: applies the SmartList, ticks everything it matches and opens a send dialog. */
async function openSendDialog(page: Page, base: string, smartList: string, channel: 'email' | 'sms') {
  await page.goto(`${base}/accounts/${ACCOUNT_ID}/contacts`);
  await page
    .locator('[data-testid="smartlist-item"]', { hasText: smartList })
    .getByTestId('smartlist-apply')
    .click();
  await page.waitForURL((url) => url.searchParams.has('smartListId'));
  await page.getByTestId('contact-row').first().waitFor();
  // The table may still show the unfiltered rows for a moment (their selection is dropped
  // when the SmartList's rows arrive, and the banner with it): tick and choose "all matching"
  // until the banner says all matching contacts are selected.
  const selectPage = page.getByTestId('select-all-page');
  await expect
    .poll(
      async () => {
        await selectPage.check({ timeout: 2_000 }).catch(() => undefined);
        await page
          .getByTestId('select-all-matching')
          .click({ timeout: 2_000 })
          .catch(() => undefined);
        return (await page.getByTestId('selection-clear-banner').count()) > 0;
      },
      { timeout: WAIT_MS },
    )
    .toBe(true);
  await page.getByTestId('bulk-menu').click();
  await page.getByTestId(channel === 'sms' ? 'bulk-send-sms' : 'bulk-send-email').click();
}

/** Creates the SmartList "Newsletter-Leser" (the newsletter tag) once; answers its name. */
async function newsletterReaders(client: Awaited<ReturnType<typeof api>>): Promise<string> {
  const name = 'Newsletter-Leser';
  const existing = (await client.get('/smart-lists')) as { items: { name: string }[] };
  if (existing.items.some((list) => list.name === name)) return name;
  const tags = (await client.get('/tags')).items as { id: string; name: string }[];
  const newsletter = tags.find((tag) => tag.name === 'Newsletter')!;
  await client.post('/smart-lists', {
    name,
    filter: { op: 'and', conditions: [{ type: 'tag', op: 'has', tagId: newsletter.id }] },
  });
  return name;
}

describe.skipIf(!CHROMIUM_PATH)(
  CHROMIUM_PATH ? 'bulk email and SMS in Chromium' : `bulk email and SMS in Chromium (${SKIP_REASON})`,
  () => {
    let smtp: Awaited<ReturnType<typeof startGatedSmtp>>;
    let smsStub: SmsStub;
    let demo: Awaited<ReturnType<typeof startDemoHerald>>;
    let browser: Browser;
    beforeAll(async () => {
      smtp = await startGatedSmtp();
      smsStub = await startSmsStub();
      demo = await startDemoHerald({ SMTP_URL: smtp.url });
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      smtp?.open();
      await demo?.dispose();
      await smtp?.close();
      await smsStub?.close();
    });

    it(
      'a marketer sends a bulk email to a SmartList, pauses and resumes it, and reads its delivery results',
      { timeout: 300_000 },
      async () => {
        const base = demo.herald.url!;
        const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        page.setDefaultTimeout(WAIT_MS);
        await logIn(page, base, MARKETER, DEMO_PASSWORD);
        const client = await api(page, base);

        // A SmartList of every contact (some have unsubscribed, some have no email address).
        const smartList = 'Alle Kontakte';
        await client.post('/smart-lists', {
          name: smartList,
          filter: { op: 'and', conditions: [{ type: 'created', from: '2000-01-01' }] },
        });
        // Two sender profiles (set up by the owner in the settings): the default, and the one chosen.
        const senders = demo.herald.services.senders;
        await senders.createProfile(asAccountId(Number(ACCOUNT_ID)), {
          name: 'Backstube',
          fromName: 'Bäckerei Sonnenschein',
          fromAddress: 'hallo@baeckerei.example',
          isDefault: true,
        });
        await senders.createProfile(asAccountId(Number(ACCOUNT_ID)), {
          name: 'Aktionen',
          fromName: 'Sonnenschein Aktionen',
          fromAddress: 'aktionen@baeckerei.example',
        });
        await openSendDialog(page, base, smartList, 'email');

        // Compose inline: subject and HTML with a merge field.
        await page.getByTestId('send-source').getByText('Nachricht schreiben').click();
        await page.getByTestId('send-preview-button').click();
        // Nothing typed yet: the dialog names what is missing and stays.
        expect(await page.getByTestId('send-review').count()).toBe(0);
        await page.getByTestId('send-subject').fill(SUBJECT);
        await page
          .getByTestId('send-html')
          .fill('<p>Hallo {{ first_name | default: "liebe Kundschaft" }},</p><p>frische Stollen!</p>');
        await page.getByTestId('send-sender').click();
        await page.getByRole('option', { name: /^Aktionen/ }).click();
        await page.getByTestId('send-preview-button').click();

        // The preview: count, sendable and the skipped by reason, from the server.
        const preview = page.getByTestId('send-preview');
        await preview.waitFor();
        const count = Number(await page.getByTestId('send-preview-count').getAttribute('data-count'));
        const sendable = Number(await page.getByTestId('send-preview-sendable').getAttribute('data-count'));
        const skipped = Number(await page.getByTestId('send-preview-skipped').getAttribute('data-count'));
        expect(count).toBeGreaterThan(0);
        expect(sendable + skipped).toBe(count);
        // More recipients than a worker has in flight at once (DELIVERY_CONCURRENCY, 128): the
        // pause holds the rest back.
        expect(sendable).toBeGreaterThan(128);
        expect(await page.getByTestId('send-confirm').textContent()).toContain(
          sendable.toLocaleString('de-DE'),
        );

        const [created] = await Promise.all([
          page.waitForResponse(
            (r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/messaging/sends'),
          ),
          page.getByTestId('send-confirm').click(),
        ]);
        expect(created.status()).toBe(201);
        expect(created.request().headers()['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
        const actionId = ((await created.json()) as { id: string; type: string }).id;

        // The send is under way: messages are in flight at the SMTP server, held there.
        await expect.poll(() => smtp.holding, { timeout: RUN_MS }).toBeGreaterThan(0);

        // Bulk Actions: it runs; the menu offers pause and cancel, not resume or a new schedule.
        await page.getByTestId('nav-bulk-actions').click();
        await page.getByTestId('bulk-table').waitFor();
        await waitForStatus(page, actionId, 'in_progress');
        expect(await rowOf(page, actionId).getAttribute('data-type')).toBe('bulk_email');
        expect(await menuControls(page, actionId)).toEqual(['cancel', 'pause']);

        await control(page, actionId, 'pause');
        await waitForStatus(page, actionId, 'paused');
        expect(await menuControls(page, actionId)).toEqual(['cancel', 'resume']);

        // The messages in flight at the pause go out; the rest waits for the resume.
        smtp.open();
        let results = { counts: { sent: 0, queued: 0 } };
        await expect
          .poll(
            async () => {
              results = await client.get(`/bulk-actions/${actionId}/deliveries`);
              return results.counts.sent > 0 && results.counts.sent === smtp.bulk().length;
            },
            { timeout: RUN_MS },
          )
          .toBe(true);
        expect(results.counts.sent).toBeLessThan(sendable);
        expect(await rowOf(page, actionId).getAttribute('data-status')).toBe('paused');

        await control(page, actionId, 'resume');
        await waitForStatus(page, actionId, 'completed');

        // Every sendable recipient got the message once.
        const mails = smtp.bulk();
        expect(mails.length).toBe(sendable);
        expect(new Set(mails.map((mail) => mail.to)).size).toBe(sendable);
        // From the chosen sender profile, not the default.
        expect(mails.every((mail) => /^From: .*aktionen@baeckerei\.example/im.test(mail.raw))).toBe(true);

        // The stats: delivery results as a chart, the reasons, the recipients.
        await rowOf(page, actionId).getByTestId('bulk-row-menu').click();
        await page.getByTestId('bulk-view-stats').click();
        await page.getByTestId('bulk-stats').waitFor();
        const bar = (state: string) => page.locator(`[data-testid="delivery-count"][data-state="${state}"]`);
        await page.locator(`[data-testid="delivery-chart"][data-total="${count}"]`).waitFor();
        expect(await bar('sent').getAttribute('data-count')).toBe(String(sendable));
        expect(await bar('skipped').getAttribute('data-count')).toBe(String(skipped));
        expect(await bar('queued').getAttribute('data-count')).toBe('0');
        expect(await page.getByTestId('delivery-chart').textContent()).toContain('Gesendet');
        if (skipped > 0) {
          await page.locator('[data-testid="delivery-reason"][data-status="skipped"]').first().waitFor();
          // The error log lists the skipped recipients.
          await page.getByTestId('download-errors').waitFor();
        }

        // Recipients: a page of ledger rows, filtered by state.
        const recipients = page.getByTestId('recipient-table');
        await recipients.getByTestId('recipient-row').first().waitFor();
        await recipients.getByTestId('recipient-filter').click();
        await page.getByRole('option', { name: 'Gesendet', exact: true }).click();
        await expect
          .poll(
            async () => {
              const states = await recipients
                .getByTestId('recipient-row')
                .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-status')));
              return states.length > 0 && states.every((state) => state === 'sent');
            },
            { timeout: WAIT_MS },
          )
          .toBe(true);
        await context.close();
      },
    );

    it(
      'schedules a bulk email for later, moves its start, and cancels it before anything is sent',
      { timeout: 180_000 },
      async () => {
        const base = demo.herald.url!;
        const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        page.setDefaultTimeout(WAIT_MS);
        await logIn(page, base, MARKETER, DEMO_PASSWORD);
        // Mia's own language setting (German) wins over the browser's.
        const client = await api(page, base);
        const smartList = await newsletterReaders(client);
        await client.post('/templates', {
          channel: 'email',
          name: 'Neujahrsbrezel',
          subject: 'Später: Neujahrsbrezel für {{ first_name | default: "Sie" }}',
          html: '<p>Bald!</p>',
        });
        await openSendDialog(page, base, smartList, 'email');

        // From a template, found by part of its name (the server searches).
        await page.getByTestId('send-template').fill('neujahr');
        await page.getByRole('option', { name: 'Neujahrsbrezel', exact: true }).click();
        await page
          .getByTestId('send-when')
          .getByText(/Send later|Später senden/)
          .click();
        await page.getByTestId('send-start-at').waitFor();
        await page.getByTestId('send-preview-button').click();
        await page.getByTestId('send-review-schedule').waitFor();
        const [created] = await Promise.all([
          page.waitForResponse(
            (r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/messaging/sends'),
          ),
          page.getByTestId('send-confirm').click(),
        ]);
        expect(created.status()).toBe(201);
        const sent = created.request().postDataJSON() as { templateId?: string; content?: unknown };
        expect(sent.templateId).toMatch(/^\d+$/);
        expect(sent.content).toBeUndefined();
        const action = (await created.json()) as { id: string; scheduledFor: string | null };
        expect(action.scheduledFor).not.toBeNull();

        // Queued for later: pause, a new schedule and cancel are offered; resume is not.
        await page.goto(`${base}/accounts/${ACCOUNT_ID}/bulk-actions`);
        await page.getByTestId('bulk-table').waitFor();
        await waitForStatus(page, action.id, 'queued');
        expect(await menuControls(page, action.id)).toEqual(['cancel', 'edit_schedule', 'pause']);

        // Edit schedule: a day later than planned.
        await rowOf(page, action.id).getByTestId('bulk-row-menu').click();
        await page.getByTestId('bulk-control-edit_schedule').click();
        const input = page.getByTestId('bulk-schedule-input');
        const planned = new Date(action.scheduledFor!);
        const later = new Date(planned.getTime() + 24 * 3_600_000);
        // The field reads wall-clock time in the user's zone (the account's: Europe/Berlin).
        await input.fill(toZonedLocal(later, 'Europe/Berlin').replace('T', ' '));
        await input.blur();
        await page.getByTestId('bulk-confirm').click();
        await page.getByTestId('bulk-confirm').waitFor({ state: 'hidden' });
        const moved = (await client.get(`/bulk-actions/${action.id}`)) as { scheduledFor: string };
        expect(Date.parse(moved.scheduledFor) - planned.getTime()).toBe(24 * 3_600_000);

        await control(page, action.id, 'cancel');
        await waitForStatus(page, action.id, 'cancelled');
        expect(await menuControls(page, action.id)).toEqual([]);
        expect(smtp.bulk().filter((mail) => mail.raw.includes('Neujahrsbrezel')).length).toBe(0);
        await context.close();
      },
    );

    it(
      'sends a bulk SMS: live counter, segments × recipients, refused without a provider, sent once one is set up',
      { timeout: 180_000 },
      async () => {
        const base = demo.herald.url!;
        const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        page.setDefaultTimeout(WAIT_MS);
        await logIn(page, base, MARKETER, DEMO_PASSWORD);
        const client = await api(page, base);
        const smartList = await newsletterReaders(client);
        await openSendDialog(page, base, smartList, 'sms');

        await page.getByTestId('send-source').getByText('Nachricht schreiben').click();
        // Quiet hours are on unless turned off.
        expect(await page.getByTestId('send-quiet-hours').isChecked()).toBe(true);
        const counter = page.getByTestId('sms-counter');
        await page.getByTestId('send-sms-text').fill('Frische Brezeln ab 6 Uhr!');
        expect(await counter.getAttribute('data-encoding')).toBe('GSM-7');
        expect(await counter.getAttribute('data-segments')).toBe('1');
        // One character outside GSM-7 turns the whole text into UCS-2: 70 characters a segment.
        await page.getByTestId('send-sms-text').fill(`Frische Brezeln 🥨 ${'x'.repeat(60)}`);
        expect(await counter.getAttribute('data-encoding')).toBe('UCS-2');
        expect(await counter.getAttribute('data-segments')).toBe('2');
        // Whatever the hour this test runs at, the messages go now.
        await page.getByTestId('send-quiet-hours').click();

        await page.getByTestId('send-preview-button').click();
        const sms = page.getByTestId('send-preview-sms');
        await sms.waitFor();
        const sendable = Number(await page.getByTestId('send-preview-sendable').getAttribute('data-count'));
        expect(sendable).toBeGreaterThan(0);
        expect(Number(await sms.getAttribute('data-total-segments'))).toBe(2 * sendable);

        // Without an SMS provider the send is refused, in words.
        await page.getByTestId('send-confirm').click();
        await page.getByTestId('send-review').getByTestId('error-alert').waitFor();
        expect(await page.getByTestId('send-review').getByTestId('error-alert').textContent()).toMatch(
          /Kanal|eingerichtet/,
        );

        // The owner sets up Twilio (the local stub); the same dialog sends now.
        const me = (await (await page.request.get(`${base}/api/me`)).json()) as { user: { id: string } };
        await demo.herald.services.senders.update(asAccountId(Number(ACCOUNT_ID)), Number(me.user.id), {
          sms: {
            provider: 'twilio',
            baseUrl: smsStub.url,
            from: '+4930123456',
            credentials: { accountSid: smsStub.twilio.accountSid, authToken: smsStub.twilio.authToken },
          },
        });
        const [created] = await Promise.all([
          page.waitForResponse(
            (r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/messaging/sends'),
          ),
          page.getByTestId('send-confirm').click(),
        ]);
        expect(created.status()).toBe(201);
        const body = created.request().postDataJSON() as { quietHours?: boolean; channel: string };
        expect(body).toMatchObject({ channel: 'sms', quietHours: false });
        const actionId = ((await created.json()) as { id: string }).id;

        await page.goto(`${base}/accounts/${ACCOUNT_ID}/bulk-actions`);
        await page.getByTestId('bulk-table').waitFor();
        await waitForStatus(page, actionId, 'completed');
        expect(await rowOf(page, actionId).getAttribute('data-type')).toBe('bulk_sms');
        // Each sendable recipient got one SMS, as UCS-2 text.
        const accepted = smsStub
          .accepted()
          .filter((request) => request.body.startsWith('Frische Brezeln 🥨'));
        expect(accepted.length).toBe(sendable);
        expect(new Set(accepted.map((request) => request.to)).size).toBe(sendable);

        // The type filter knows bulk SMS by its German name; the emails of the other tests leave.
        await page.getByTestId('bulk-filter-type').click();
        await page.getByRole('option', { name: 'Massen-SMS', exact: true }).click();
        await page.waitForURL((url) => url.searchParams.getAll('type').join() === 'bulk_sms');
        await page.keyboard.press('Escape');
        await expect
          .poll(
            async () => {
              const types = await page
                .getByTestId('bulk-row')
                .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-type')));
              return types.length > 0 && types.every((type) => type === 'bulk_sms');
            },
            { timeout: WAIT_MS },
          )
          .toBe(true);

        await rowOf(page, actionId).getByTestId('bulk-row-menu').click();
        await page.getByTestId('bulk-view-stats').click();
        await page.getByTestId('delivery-chart').waitFor();
        expect(
          await page.locator('[data-testid="delivery-count"][data-state="sent"]').getAttribute('data-count'),
        ).toBe(String(sendable));
        await context.close();
      },
    );

    it(
      'starts a send that nobody can receive only after an explicit confirmation',
      { timeout: 120_000 },
      async () => {
        const base = demo.herald.url!;
        const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        page.setDefaultTimeout(WAIT_MS);
        await logIn(page, base, MARKETER, DEMO_PASSWORD);
        const client = await api(page, base);
        await client.post('/smart-lists', {
          name: 'Abgemeldet',
          filter: { op: 'and', conditions: [{ type: 'consent', channel: 'email', status: 'unsubscribed' }] },
        });
        await openSendDialog(page, base, 'Abgemeldet', 'email');
        await page.getByTestId('send-source').getByText('Nachricht schreiben').click();
        await page.getByTestId('send-subject').fill('Niemand');
        await page.getByTestId('send-html').fill('<p>Niemand</p>');
        await page.getByTestId('send-preview-button').click();

        await page.getByTestId('send-nobody').waitFor();
        expect(await page.getByTestId('send-preview-sendable').getAttribute('data-count')).toBe('0');
        expect(
          await page.locator('[data-testid="send-preview-reason"][data-reason="no_consent"]').count(),
        ).toBe(1);
        expect(await page.getByTestId('send-confirm').isDisabled()).toBe(true);
        await page.getByTestId('send-start-empty').check();
        const [created] = await Promise.all([
          page.waitForResponse(
            (r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/messaging/sends'),
          ),
          page.getByTestId('send-confirm').click(),
        ]);
        expect(created.status()).toBe(201);
        expect(created.request().postDataJSON()).toMatchObject({ confirmEmpty: true });
        const actionId = ((await created.json()) as { id: string }).id;
        await page.goto(`${base}/accounts/${ACCOUNT_ID}/bulk-actions`);
        await page.getByTestId('bulk-table').waitFor();
        await waitForStatus(page, actionId, 'completed');
        const action = (await client.get(`/bulk-actions/${actionId}`)) as {
          skipped: number;
          succeeded: number;
        };
        expect(action.succeeded).toBe(0);
        expect(action.skipped).toBeGreaterThan(0);
        await context.close();
      },
    );
  },
);
