import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { CHROMIUM_PATH, SKIP_REASON, launchBrowser, logIn, startDemoHerald } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/demo.ts';

// The seed's client-account story (src/server/seed/demo.ts, seedDistributionStory): the agency's
// mailing uses its template, sender and list; the Bäckerei has substitutes for all three, Velo Berlin
// for sender and list only.
const OWNER = 'owner@nordlicht.example';
const AGENCY = 'Nordlicht Agency';
const BAECKEREI = 'Bäckerei Sonnenschein';
const VELO = 'Velo Berlin';
const MAILING = 'Frühjahrsaktion 2027';
const TEMPLATE = 'Newsletter-Rahmen';
const VELO_TEMPLATE = 'Velo Newsletter';
const WAIT_MS = 20_000;
// Distributions run as background jobs: bounded, with room for a busy machine.
const RUN_MS = 90_000;

type Json = Record<string, unknown>;
type Notification = { accountId: string; type: string; severity: string; params: Json };
type MailingItem = {
  id: string;
  name: string;
  active: boolean;
  origin: { accountId: string; accountName: string; version: number | null } | null;
};

/** The API with the page's own session (cookie and CSRF token), for any account of the user. */
async function api(page: Page, base: string) {
  const { csrfToken } = (await (await page.request.get(`${base}/api/me`)).json()) as { csrfToken: string };
  const url = (accountId: string, rest: string) => `${base}/api/accounts/${accountId}${rest}`;
  return {
    get: async <T = Json>(accountId: string, rest: string): Promise<T> => {
      const answer = await page.request.get(url(accountId, rest));
      expect(answer.status(), await answer.text()).toBe(200);
      return (await answer.json()) as T;
    },
    post: async <T = Json>(accountId: string, rest: string, data: unknown): Promise<T> => {
      const answer = await page.request.post(url(accountId, rest), {
        data,
        headers: { 'x-csrf-token': csrfToken },
      });
      expect(answer.status(), await answer.text()).toBeLessThan(300);
      return (await answer.json()) as T;
    },
  };
}

type Client = Awaited<ReturnType<typeof api>>;

/** Polls `read` until it satisfies `check`; on timeout the last value read is in the message. */
async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  try {
    await expect
      .poll(
        async () => {
          last = await read();
          return check(last);
        },
        { timeout: RUN_MS },
      )
      .toBe(true);
  } catch (err) {
    throw new Error(`${what}: ${(err as Error).message}\nlast: ${JSON.stringify(last)}`, { cause: err });
  }
  return last!;
}

/** The account's own notifications of one type (the list may also carry those of its sub-accounts). */
async function notificationsOf(client: Client, accountId: string, type: string): Promise<Notification[]> {
  const page = await client.get<{ items: Notification[] }>(
    accountId,
    `/notifications?type=${encodeURIComponent(type)}&limit=200`,
  );
  return page.items.filter((n) => n.accountId === accountId && n.type === type);
}

/** The account's copy of the agency's mailing, from its own mailing list. */
async function copyIn(client: Client, accountId: string, agencyId: string): Promise<MailingItem | undefined> {
  const page = await client.get<{ items: MailingItem[] }>(accountId, '/mailings?limit=100');
  return page.items.find((m) => m.origin?.accountId === agencyId && m.name.startsWith(MAILING));
}

/**
 * Waits until the distribution page shows run `id` finished. By id: right after a navigation the
 * previous run's page may still be on screen.
 */
async function finishedRun(page: Page, id: string): Promise<void> {
  const run = page.locator(`[data-testid="distribution"][data-distribution-id="${id}"]`);
  await run.waitFor();
  try {
    await expect.poll(() => run.getAttribute('data-status'), { timeout: RUN_MS }).toBe('completed');
  } catch (err) {
    const text = await run.textContent().catch(() => '(gone)');
    throw new Error(`${(err as Error).message}\npage: ${text}`, { cause: err });
  }
}

/** A count badge of the distribution page ("Created: 1"), or null when that status has none. */
async function countOf(page: Page, status: string): Promise<number | null> {
  const badge = page.getByTestId(`count-${status}`);
  if ((await badge.count()) === 0) return null;
  return Number(/(\d+)\s*$/.exec((await badge.textContent()) ?? '')?.[1]);
}

/** Switches the account in the header (the page stays in its section where the target allows it). */
async function switchAccount(page: Page, name: string, accountId: string): Promise<void> {
  await page.getByTestId('account-switcher').click();
  await page.getByRole('option', { name, exact: true }).click();
  await page.waitForURL(new RegExp(`/accounts/${accountId}/`));
}

function notificationRow(page: Page, type: string, text: string): Locator {
  return page.locator(`[data-testid="notification-row"][data-type="${type}"]`).filter({ hasText: text });
}

describe.skipIf(!CHROMIUM_PATH)(
  CHROMIUM_PATH
    ? 'distribution into sub-accounts in Chromium'
    : `distribution into sub-accounts in Chromium (${SKIP_REASON})`,
  () => {
    let demo: Awaited<ReturnType<typeof startDemoHerald>>;
    let browser: Browser;
    beforeAll(async () => {
      demo = await startDemoHerald();
      browser = await launchBrowser();
    });
    afterAll(async () => {
      await browser?.close();
      await demo?.dispose();
    });

    it(
      'distributes the mailing, fails where a substitute is missing, notifies, retries after registering it, and deactivates every copy',
      { timeout: 600_000 },
      async () => {
        const base = demo.herald.url!;
        const context = await browser.newContext({
          locale: 'en-US',
          viewport: { width: 1440, height: 1000 },
        });
        const page = await context.newPage();
        page.setDefaultTimeout(WAIT_MS);
        await logIn(page, base, OWNER, DEMO_PASSWORD);
        const client = await api(page, base);

        // The accounts by name, as the user sees them.
        const { accounts } = (await (await page.request.get(`${base}/api/me`)).json()) as {
          accounts: { id: string; name: string }[];
        };
        const idOf = (name: string) => accounts.find((a) => a.name === name)!.id;
        const agency = idOf(AGENCY);
        const baeckerei = idOf(BAECKEREI);
        const velo = idOf(VELO);

        // 1. The agency's mailings: the mailing's "Distribute" action opens its distribution page.
        await page.goto(`${base}/accounts/${agency}/mailings`);
        // The agency has sub-accounts: its navbar offers Distribution and Substitutes.
        await page.getByTestId('nav-distribution').waitFor();
        await page.getByTestId('nav-substitutes').waitFor();
        const row = page.getByTestId('mailing-row').filter({ hasText: MAILING });
        await row.getByTestId('mailing-menu').click();
        await page.getByTestId('mailing-menu-distribute').click();
        await page.waitForURL(/\/distribution\/element\/mailing\/\d+$/);
        const mailingId = /\/element\/mailing\/(\d+)$/.exec(page.url())![1]!;
        const elementPage = page.url();
        expect(await page.getByTestId('element-distribution-title').textContent()).toContain(MAILING);

        // 2. Both sub-accounts picked, the plan: created in the Bäckerei, failing in Velo for want of
        // the template's substitute.
        await page.getByTestId('target-mode-selected').click();
        await page.locator(`[data-testid="target-checkbox"][data-account-id="${baeckerei}"]`).check();
        await page.locator(`[data-testid="target-checkbox"][data-account-id="${velo}"]`).check();
        await page.getByTestId('plan-check').click();
        const planRow = (accountId: string) =>
          page.locator(`[data-testid="plan-row"][data-account-id="${accountId}"]`);
        await planRow(baeckerei).waitFor();
        expect(await page.getByTestId('plan-row').count()).toBe(2);
        expect(await planRow(baeckerei).getAttribute('data-outcome')).toBe('create');
        expect(await planRow(velo).getAttribute('data-outcome')).toBe('fail');
        const missing = planRow(velo).getByTestId('missing-part');
        expect(await missing.count()).toBe(1);
        expect(await missing.getAttribute('data-kind')).toBe('email_template');
        expect(await missing.textContent()).toContain(TEMPLATE);
        expect(await planRow(baeckerei).getByTestId('missing-part').count()).toBe(0);

        // 3. Distribute as planned (Velo's substitute still missing): the run's page follows it live.
        await page.getByTestId('distribute-start').click();
        await page.waitForURL(/\/accounts\/\d+\/distribution\/\d+$/);
        const firstId = /\/distribution\/(\d+)$/.exec(page.url())![1]!;
        await page.getByTestId('distribution-progress').waitFor();
        await finishedRun(page, firstId);
        expect(await page.getByTestId('distribution-progress-text').textContent()).toContain('2');
        expect(await countOf(page, 'created')).toBe(1);
        expect(await countOf(page, 'failed')).toBe(1);
        const targetRow = (accountId: string) =>
          page.locator(`[data-testid="target-row"][data-account-id="${accountId}"]`);
        await expect
          .poll(() => targetRow(velo).getAttribute('data-status'), { timeout: WAIT_MS })
          .toBe('failed');
        expect(await targetRow(baeckerei).getAttribute('data-status')).toBe('created');
        expect(await targetRow(velo).getByTestId('target-reason').textContent()).toContain(TEMPLATE);
        await page.getByTestId('distribution-retry').waitFor();

        // 4. Notifications, exactly one each: the agency's summary (an error: one failed) …
        const [summary] = await until(
          () => notificationsOf(client, agency, 'distribution.source_summary'),
          (list) => list.length > 0,
          'the agency is notified',
        );
        expect(await notificationsOf(client, agency, 'distribution.source_summary')).toHaveLength(1);
        expect(summary!.severity).toBe('error');
        expect(summary!.params).toMatchObject({ succeeded: 1, failed: 1 });
        const failures = summary!.params.failures as {
          account: { id: string };
          missing?: { name: string }[];
        }[];
        expect(failures).toHaveLength(1);
        expect(failures[0]!.missing?.map((m) => m.name)).toEqual([TEMPLATE]);
        // … the Bäckerei's "created" and Velo's "failed", naming the missing template.
        const [created] = await until(
          () => notificationsOf(client, baeckerei, 'distribution.target_result'),
          (list) => list.length > 0,
          'the Bäckerei is notified',
        );
        expect(await notificationsOf(client, baeckerei, 'distribution.target_result')).toHaveLength(1);
        expect(created!.params.outcome).toBe('created');
        const [failed] = await until(
          () => notificationsOf(client, velo, 'distribution.target_result'),
          (list) => list.length > 0,
          'Velo is notified',
        );
        expect(await notificationsOf(client, velo, 'distribution.target_result')).toHaveLength(1);
        expect(failed!.params.outcome).toBe('failed');
        expect(failed!.severity).toBe('error');
        expect((failed!.params.missing as { name: string }[]).map((m) => m.name)).toEqual([TEMPLATE]);

        // The same in each account's notification list, switching accounts in the header.
        await page.goto(`${base}/accounts/${agency}/notifications`);
        const summaryRow = notificationRow(page, 'distribution.source_summary', MAILING);
        await summaryRow.first().waitFor();
        expect(await summaryRow.count()).toBe(1);
        await summaryRow.click();
        const body = page.getByTestId('notification-detail-body');
        await expect.poll(() => body.textContent(), { timeout: WAIT_MS }).toContain(VELO);
        expect(await body.textContent()).toContain(TEMPLATE);
        expect(await page.getByTestId('notification-detail-link').getAttribute('href')).toBe(
          `/accounts/${agency}/distribution/${firstId}`,
        );
        await page.keyboard.press('Escape');

        await switchAccount(page, BAECKEREI, baeckerei);
        await page.waitForURL(new RegExp(`/accounts/${baeckerei}/notifications`));
        // A sub-account without sub-accounts of its own: no Distribution or Substitutes in its navbar
        // (the owner holds the right there too).
        // Polled: the URL changes a moment before the navbar renders for the new account.
        await page.getByTestId('nav-contacts').waitFor();
        await expect.poll(() => page.getByTestId('nav-distribution').count(), { timeout: WAIT_MS }).toBe(0);
        await expect.poll(() => page.getByTestId('nav-substitutes').count(), { timeout: WAIT_MS }).toBe(0);
        // (The list keeps the previous account's rows on screen while the new one loads: wait for this
        // account's own row, then count.)
        const createdRow = notificationRow(page, 'distribution.target_result', MAILING).filter({
          hasText: BAECKEREI,
        });
        await createdRow.first().waitFor();
        await expect
          .poll(() => notificationRow(page, 'distribution.target_result', MAILING).count(), {
            timeout: WAIT_MS,
          })
          .toBe(1);
        expect(await createdRow.textContent()).toContain('created');

        await switchAccount(page, VELO, velo);
        await page.waitForURL(new RegExp(`/accounts/${velo}/notifications`));
        const failedRow = notificationRow(page, 'distribution.target_result', MAILING).filter({
          hasText: VELO,
        });
        await failedRow.first().waitFor();
        await expect
          .poll(() => notificationRow(page, 'distribution.target_result', MAILING).count(), {
            timeout: WAIT_MS,
          })
          .toBe(1);
        expect(await failedRow.textContent()).toContain('failed');
        await failedRow.click();
        await expect.poll(() => body.textContent(), { timeout: WAIT_MS }).toContain(TEMPLATE);
        await page.keyboard.press('Escape');

        // 5. Register Velo's substitute from the plan ("Velo Newsletter" stands for the agency's
        // template): the plan turns to "create" there.
        await page.goto(elementPage);
        await page.getByTestId('target-mode-selected').click();
        await page.locator(`[data-testid="target-checkbox"][data-account-id="${velo}"]`).check();
        await page.getByTestId('plan-check').click();
        await expect
          .poll(() => planRow(velo).getAttribute('data-outcome'), { timeout: WAIT_MS })
          .toBe('fail');
        await planRow(velo).getByTestId('substitute-candidate').click();
        await page.getByRole('option', { name: VELO_TEMPLATE, exact: true }).click();
        await planRow(velo).getByTestId('register-substitute').click();
        await expect
          .poll(() => planRow(velo).getAttribute('data-outcome'), { timeout: WAIT_MS })
          .toBe('create');

        // "Retry failed targets" on the first run: a new run over Velo alone, which creates the copy.
        await page.goto(`${base}/accounts/${agency}/distribution/${firstId}`);
        await page.getByTestId('distribution-retry').click();
        await page.waitForURL(
          (url) => /\/distribution\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${firstId}`),
        );
        const retryId = /\/distribution\/(\d+)$/.exec(page.url())![1]!;
        await finishedRun(page, retryId);
        expect(await countOf(page, 'created')).toBe(1);
        expect(await countOf(page, 'failed')).toBeNull();
        await expect.poll(() => page.getByTestId('target-row').count(), { timeout: WAIT_MS }).toBe(1);
        // The rows follow the run to its end (not left at "pending" once the counts say it finished).
        await expect
          .poll(() => targetRow(velo).getAttribute('data-status'), { timeout: WAIT_MS })
          .toBe('created');
        const retried = await client.get<{ items: { account: { id: string }; status: string }[] }>(
          agency,
          `/distributions/${retryId}/targets`,
        );
        expect(retried.items.map((t) => [t.account.id, t.status])).toEqual([[velo, 'created']]);
        const retryRun = await client.get<{ retryOf: string | null }>(agency, `/distributions/${retryId}`);
        expect(retryRun.retryOf).toBe(firstId);

        // 6. In Velo, the copy names where it came from and which version.
        const veloCopy = await until(
          () => copyIn(client, velo, agency),
          (copy) => copy !== undefined,
          "Velo's copy",
        );
        await page.goto(`${base}/accounts/${velo}/mailings`);
        const veloRow = page.locator(`[data-testid="mailing-row"][data-mailing-id="${veloCopy!.id}"]`);
        const badge = veloRow.getByTestId('origin-badge');
        await badge.waitFor();
        expect(await badge.textContent()).toMatch(new RegExp(`^from ${AGENCY}, version \\d+$`));
        expect(await badge.textContent()).toContain(`version ${veloCopy!.origin!.version}`);

        // 7. Deactivate the mailing in every copy from its distribution page.
        const bakeryCopy = (await copyIn(client, baeckerei, agency))!;
        expect(bakeryCopy.active).toBe(true);
        expect(veloCopy!.active).toBe(true);
        await page.goto(`${base}/accounts/${agency}/distribution/element/mailing/${mailingId}?tab=copies`);
        await expect.poll(() => page.getByTestId('copy-row').count(), { timeout: WAIT_MS }).toBe(2);
        expect(await page.getByTestId('all-copies').isChecked()).toBe(true);
        await page.getByTestId('copies-deactivate').click();
        await page.waitForURL(
          (url) =>
            /\/distribution\/\d+$/.test(url.pathname) &&
            !url.pathname.endsWith(`/${firstId}`) &&
            !url.pathname.endsWith(`/${retryId}`),
        );
        await finishedRun(page, /\/distribution\/(\d+)$/.exec(page.url())![1]!);
        expect(await countOf(page, 'deactivated')).toBe(2);
        expect(await countOf(page, 'failed')).toBeNull();

        // Both copies inactive, by each sub-account's own API and in Velo's list; the agency's own mailing is untouched.
        for (const accountId of [baeckerei, velo]) {
          const copy = await until(
            () => copyIn(client, accountId, agency),
            (c) => c?.active === false,
            `the copy in account ${accountId} is inactive`,
          );
          expect(copy!.active).toBe(false);
        }
        const own = await client.get<{ active: boolean }>(agency, `/mailings/${mailingId}`);
        expect(own.active).toBe(true);
        await page.goto(`${base}/accounts/${velo}/mailings`);
        await veloRow.waitFor();
        expect(await veloRow.getAttribute('data-active')).toBe('false');
        expect(await veloRow.getByTestId('active-badge').getAttribute('data-active')).toBe('false');
        await context.close();
      },
    );
  },
);
