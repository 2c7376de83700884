import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CHROMIUM_PATH, SKIP_REASON, launchBrowser, logIn, startDemoHerald } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/demo.ts';
import { asAccountId } from '../../src/server/db/tenant.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';

// Bäckerei Sonnenschein: ~240 demo contacts, the list "Newsletter DE"; Mia Marketer works there, in German.
const ACCOUNT_ID = '2';
const MARKETER = 'marketer@baeckerei.example';
const LIST = 'Newsletter DE';
const WAIT_MS = 20_000;
// Sending runs in the background: bounded, with room for a busy machine.
const RUN_MS = 90_000;
const NAME = 'Adventsmailing';

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

type Client = Awaited<ReturnType<typeof api>>;

/** Waits until the server says the mailing reached `status` (its answer in the failure message). */
async function waitForMailing(client: Client, id: string, status: string): Promise<void> {
  let last: unknown;
  try {
    await expect
      .poll(
        async () => {
          last = await client.get(`/mailings/${id}`);
          return (last as { status: string }).status;
        },
        { timeout: RUN_MS },
      )
      .toBe(status);
  } catch (err) {
    throw new Error(`${(err as Error).message}\nserver: ${JSON.stringify(last)}`, { cause: err });
  }
}

/** Picks (or, when picked, un-picks) an option of a Mantine select by its label's start. */
async function pick(page: Page, testId: string, label: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.getByRole('option', { name: new RegExp(`^${label}`) }).click();
  await page.keyboard.press('Escape');
}

/** The live count as the page shows it, once it settled. */
async function audience(page: Page): Promise<Record<string, number>> {
  const panel = page.locator('[data-testid="audience-count"][data-loading="false"][data-recipients]');
  await panel.waitFor();
  const read = async (name: string) => Number(await panel.getAttribute(`data-${name}`));
  return {
    recipients: await read('recipients'),
    listMembers: await read('list-members'),
    inTargetGroups: await read('in-target-groups'),
    withConsent: await read('with-consent'),
    alreadyReached: await read('already-reached'),
  };
}

describe.skipIf(!CHROMIUM_PATH)(
  CHROMIUM_PATH ? 'standard mailings in Chromium' : `standard mailings in Chromium (${SKIP_REASON})`,
  () => {
    let sink: SmtpSink;
    let demo: Awaited<ReturnType<typeof startDemoHerald>>;
    let browser: Browser;
    beforeAll(async () => {
      sink = await startSmtpSink();
      demo = await startDemoHerald({ SMTP_URL: sink.url });
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      await demo?.dispose();
      await sink?.close();
    });

    it(
      'a mailing to an empty list × target group fails, notifies, and its corrected re-send reaches each recipient once',
      { timeout: 300_000 },
      async () => {
        const base = demo.herald.url!;
        const context = await browser.newContext({
          locale: 'de-DE',
          viewport: { width: 1440, height: 1000 },
        });
        const page = await context.newPage();
        page.setDefaultTimeout(WAIT_MS);
        await logIn(page, base, MARKETER, DEMO_PASSWORD);
        const client = await api(page, base);

        // Mia wants system messages by email too.
        await page.getByTestId('avatar-menu').click();
        await page.getByTestId('menu-settings').click();
        await page.getByTestId('settings-email-system-messages').check();
        await page.getByTestId('settings-save').click();
        await page.getByTestId('settings-saved').waitFor();

        // The demo's own failed mailing: its notification leads to its statistics and their reason.
        await page.goto(`${base}/accounts/${ACCOUNT_ID}/notifications`);
        await page
          .locator('[data-testid="notification-row"][data-type="mailing.send_failed"]')
          .filter({ hasText: 'Wochenangebote KW 48' })
          .click();
        await page.getByTestId('notification-detail-link').click();
        await page.waitForURL(/\/mailings\/\d+\/statistics$/);
        await expect
          .poll(() => page.getByTestId('mailing-failure').getAttribute('data-reason'), { timeout: WAIT_MS })
          .toBe('no_recipients');

        // A target group nobody is in (a tag nobody has), one everybody is in, and a sender profile.
        const tag = (await client.post('/tags', { name: 'Nie vergeben' })) as { id: string };
        await client.post('/smart-lists', {
          name: 'Niemand',
          filter: { op: 'and', conditions: [{ type: 'tag', op: 'has', tagId: tag.id }] },
        });
        await client.post('/smart-lists', {
          name: 'Alle Kontakte',
          filter: { op: 'and', conditions: [{ type: 'created', from: '2000-01-01' }] },
        });
        await demo.herald.services.senders.createProfile(asAccountId(Number(ACCOUNT_ID)), {
          name: 'Backstube',
          fromName: 'Bäckerei Sonnenschein',
          fromAddress: 'hallo@baeckerei.example',
          isDefault: true,
        });

        // The editor: own content, the list narrowed by the empty target group.
        await page.goto(`${base}/accounts/${ACCOUNT_ID}/mailings`);
        await page.getByTestId('mailing-new').click();
        await page.getByTestId('mailing-name').fill(NAME);
        await page.getByTestId('mailing-source').getByText('Eigener Inhalt').click();
        await page.getByTestId('mailing-subject').fill('Frische Stollen');
        await page.getByTestId('mailing-html').fill('<p>Hallo {{ first_name | default: "ihr" }}!</p>');
        await pick(page, 'mailing-lists', LIST);
        await pick(page, 'mailing-target-groups', 'Niemand');
        // The count follows the form after a short debounce: wait for the narrowed one.
        await expect.poll(async () => (await audience(page)).inTargetGroups, { timeout: WAIT_MS }).toBe(0);
        const empty = await audience(page);
        expect(empty.listMembers).toBeGreaterThan(0);
        expect(empty.inTargetGroups).toBe(0);
        expect(empty.recipients).toBe(0);

        // Scheduling saves first; the dialog warns and wants the explicit tick.
        await page.getByTestId('mailing-schedule').click();
        await page.waitForURL(/\/mailings\/\d+$/);
        const mailingId = /\/mailings\/(\d+)$/.exec(page.url())![1]!;
        await page.getByTestId('schedule-confirm-empty').waitFor();
        expect(await page.getByTestId('schedule-confirm').isDisabled()).toBe(true);
        await page.getByTestId('schedule-confirm-empty').check();
        await page.getByTestId('schedule-confirm').click();
        await page.getByTestId('schedule-dialog').waitFor({ state: 'hidden' });
        await waitForMailing(client, mailingId, 'failed');

        // The list shows it failed.
        await page.goto(`${base}/accounts/${ACCOUNT_ID}/mailings`);
        const row = page.locator(`[data-testid="mailing-row"][data-mailing-id="${mailingId}"]`);
        await expect.poll(() => row.getAttribute('data-status'), { timeout: WAIT_MS }).toBe('failed');

        // Notified in the app, exactly once, and by email.
        await page.goto(`${base}/accounts/${ACCOUNT_ID}/notifications`);
        // (The demo data holds an older failed mailing of its own: this one is told by its name.)
        const notification = page
          .locator('[data-testid="notification-row"][data-type="mailing.send_failed"]')
          .filter({ hasText: NAME });
        await notification.first().waitFor();
        expect(await notification.count()).toBe(1);
        await expect
          .poll(() => sink.to(MARKETER).filter((m) => m.subject?.includes(NAME)).length, { timeout: RUN_MS })
          .toBe(1);

        // Its link opens the statistics; from there the corrected re-send.
        await notification.first().click();
        const link = page.getByTestId('notification-detail-link');
        expect(await link.getAttribute('href')).toBe(
          `/accounts/${ACCOUNT_ID}/mailings/${mailingId}/statistics`,
        );
        await link.click();
        await page.waitForURL(new RegExp(`/mailings/${mailingId}/statistics$`));
        await page.getByTestId('mailing-resend').click();
        await page.waitForURL(new RegExp(`/mailings/${mailingId}/resend$`));
        await page.getByTestId('resend-explained').waitFor();

        // Correct the target group: not "Niemand" but everybody; nobody was reached yet.
        await pick(page, 'mailing-target-groups', 'Niemand');
        await pick(page, 'mailing-target-groups', 'Alle Kontakte');
        await expect
          .poll(async () => (await audience(page)).recipients, { timeout: WAIT_MS })
          .toBeGreaterThan(0);
        const corrected = await audience(page);
        expect(corrected.alreadyReached).toBe(0);

        // Create it and send it now from its schedule dialog.
        await page.getByTestId('resend-create').click();
        await page.waitForURL(
          (url) => /\/mailings\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${mailingId}`),
        );
        const resendId = /\/mailings\/(\d+)$/.exec(page.url())![1]!;
        await page.getByTestId('schedule-dialog').waitFor();
        await expect
          .poll(
            async () => Number(await page.getByTestId('schedule-count').getAttribute('data-recipients')),
            {
              timeout: WAIT_MS,
            },
          )
          .toBe(corrected.recipients);
        await page.getByTestId('schedule-confirm').click();
        await page.getByTestId('schedule-dialog').waitFor({ state: 'hidden' });
        await waitForMailing(client, resendId, 'sent');

        // Every recipient got it once.
        const bulk = () => sink.messages.filter((m) => m.listUnsubscribe !== undefined);
        await expect.poll(() => bulk().length, { timeout: RUN_MS }).toBe(corrected.recipients);
        const addresses = bulk().flatMap((m) => m.to);
        expect(new Set(addresses).size).toBe(addresses.length);

        // Its statistics count them.
        await page.goto(`${base}/accounts/${ACCOUNT_ID}/mailings/${resendId}/statistics`);
        await expect
          .poll(async () => Number(await page.getByTestId('stat-sent').getAttribute('data-count')), {
            timeout: WAIT_MS,
          })
          .toBe(corrected.recipients);

        // A second re-send would reach nobody: everybody has it already.
        await page.goto(`${base}/accounts/${ACCOUNT_ID}/mailings/${resendId}/resend`);
        await page.getByTestId('resend-explained').waitFor();
        await expect
          .poll(async () => (await audience(page)).alreadyReached, { timeout: WAIT_MS })
          .toBe(corrected.recipients);
        expect((await audience(page)).recipients).toBe(0);
        await context.close();
      },
    );
  },
);
