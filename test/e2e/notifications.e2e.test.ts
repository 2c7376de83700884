import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH, SKIP_REASON, logIn, useDemoInBrowser } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/demo.ts';
import type { NotificationEvent, UnreadCounts } from '../../src/shared/notifications.ts';

// Bäckerei Sonnenschein: the owner and the admin of the agency hold notifications.view there.
const ACCOUNT_ID = '2';
const WAIT_MS = 10_000;
// Emails go out through background jobs (dispatch every 2 s): bounded, with room for a slow machine.
const MAIL_MS = 30_000;

function failed(n: number): NotificationEvent {
  return {
    type: 'bulk_action.failed',
    params: { action: { id: String(n), name: `Add tag x #${n}` }, processed: 3, total: 10, error: 'boom' },
    subject: { kind: 'bulk_action', id: String(n) },
  };
}

function rowOf(page: Page, notificationId: number) {
  return page.locator(`[data-testid="notification-row"][data-notification-id="${notificationId}"]`);
}

/** The user's unread counts, asked of the API with the page's session. */
async function unreadCounts(page: Page, base: string): Promise<UnreadCounts> {
  const answer = await page.request.get(`${base}/api/me/notifications/unread-counts`);
  expect(answer.status()).toBe(200);
  return (await answer.json()) as UnreadCounts;
}

/** The number on the avatar's badge; 0 when it shows none. */
async function badge(page: Page): Promise<number> {
  const found = page.getByTestId('unread-badge');
  if ((await found.count()) === 0) return 0;
  return Number(await found.getAttribute('data-count'));
}

describe.skipIf(!CHROMIUM_PATH)(
  CHROMIUM_PATH ? 'notifications in Chromium' : `notifications in Chromium (${SKIP_REASON})`,
  () => {
    const demo = useDemoInBrowser();
    // The producers' entry point of the running Herald: a notification made here goes the whole way
    // (fan-out, LISTEN/NOTIFY, the user's stream, emails).
    const notify = (event: NotificationEvent) =>
      demo.herald.services.notifier.notify(demo.herald.database.db, Number(ACCOUNT_ID), event);

    it(
      'shows the unread count live, marks two read, deletes one, and shows a new one as it arrives',
      { timeout: 120_000 },
      async () => {
        const base = demo.herald.url!;
        const page = await demo.browser.newPage({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
        page.setDefaultTimeout(WAIT_MS);
        await logIn(page, base, 'owner@nordlicht.example', DEMO_PASSWORD);
        // The demo has notifications of its own: count on from what the user has unread now.
        const before = await unreadCounts(page, base);
        const inAccount = before.accounts[ACCOUNT_ID]!;
        await expect.poll(() => badge(page), { timeout: WAIT_MS }).toBe(before.total);

        const ids: number[] = [];
        for (const n of [1, 2, 3]) ids.push((await notify(failed(n))).notificationId);

        // The badge counts across accounts; the switcher shows the count per account.
        await expect.poll(() => badge(page), { timeout: WAIT_MS }).toBe(before.total + 3);
        await page.getByTestId('account-switcher').click();
        await page
          .locator(`[data-testid="account-unread"][data-account-id="${ACCOUNT_ID}"]`)
          .filter({ hasText: String(inAccount + 3) })
          .waitFor();
        await page.getByRole('option', { name: 'Bäckerei Sonnenschein', exact: true }).click();
        await page
          .getByTestId('account-switcher')
          .and(page.locator('[value="Bäckerei Sonnenschein"]'))
          .waitFor();

        // The avatar menu leads to the account's notifications, unread ones first in bold.
        await page.getByTestId('avatar-menu').click();
        await page.getByTestId('menu-notifications').click();
        await page.waitForURL((url) => url.pathname === `/accounts/${ACCOUNT_ID}/notifications`);
        await page.getByTestId('notification-table').waitFor();
        for (const id of ids) await rowOf(page, id).waitFor();
        expect(await page.getByTestId('notification-row').count()).toBe(inAccount + 3);

        // Only the failed bulk actions: the filter goes to the URL, the three remain.
        await page.getByTestId('notification-filter-type').click();
        await page.getByRole('option', { name: 'Bulk action failed', exact: true }).click();
        await page.waitForURL((url) => url.searchParams.getAll('type').join() === 'bulk_action.failed');
        await page.keyboard.press('Escape');
        await expect.poll(() => page.getByTestId('notification-row').count(), { timeout: WAIT_MS }).toBe(3);
        for (const id of ids) expect(await rowOf(page, id).getAttribute('data-unread')).toBe('true');
        expect(await rowOf(page, ids[0]!).getByTestId('notification-title').textContent()).toContain(
          'Bulk action failed: Add tag x #1',
        );
        expect(
          await rowOf(page, ids[0]!).getByTestId('notification-severity').getAttribute('data-severity'),
        ).toBe('error');

        // Select two, mark them read: the badge drops to one.
        await rowOf(page, ids[0]!).getByTestId('notification-select').check();
        await rowOf(page, ids[1]!).getByTestId('notification-select').check();
        await page.getByTestId('notification-selected-count').filter({ hasText: '2 selected' }).waitFor();
        await page.getByTestId('notification-mark-read').click();
        await expect.poll(() => badge(page), { timeout: WAIT_MS }).toBe(before.total + 1);
        await expect
          .poll(() => rowOf(page, ids[1]!).getAttribute('data-unread'), { timeout: WAIT_MS })
          .toBe('false');
        expect(await rowOf(page, ids[0]!).getAttribute('data-unread')).toBe('false');
        expect(await rowOf(page, ids[2]!).getAttribute('data-unread')).toBe('true');

        // Delete one (after a confirmation): its row goes, the others stay.
        await rowOf(page, ids[0]!).getByTestId('notification-select').check();
        await page.getByTestId('notification-delete').click();
        await page.getByTestId('notification-delete-confirm').click();
        await expect.poll(() => rowOf(page, ids[0]!).count(), { timeout: WAIT_MS }).toBe(0);
        expect(await page.getByTestId('notification-row').count()).toBe(2);
        expect(await badge(page)).toBe(before.total + 1);

        // A notification made while the page is open appears at once, and the badge goes up.
        const live = (await notify(failed(4))).notificationId;
        await rowOf(page, live).waitFor();
        expect(await rowOf(page, live).getAttribute('data-unread')).toBe('true');
        await expect.poll(() => badge(page), { timeout: WAIT_MS }).toBe(before.total + 2);

        // Opening it shows what to do and where to go, and counts it as read.
        await rowOf(page, live).click();
        const detail = page.getByTestId('notification-detail');
        await detail.waitFor();
        expect(await detail.getByTestId('notification-detail-title').textContent()).toBe(
          'Bulk action failed: Add tag x #4',
        );
        expect(await detail.getByTestId('notification-detail-guidance').textContent()).toContain(
          'Contacts already processed keep their changes.',
        );
        expect(await detail.getByTestId('notification-detail-link').getAttribute('href')).toBe(
          `/accounts/${ACCOUNT_ID}/bulk-actions/4`,
        );
        await expect.poll(() => badge(page), { timeout: WAIT_MS }).toBe(before.total + 1);
        await page.close();
      },
    );

    it(
      'emails only the chosen types in the user’s language and shows them in the outbox',
      { timeout: 120_000 },
      async () => {
        const base = demo.herald.url!;
        const page = await demo.browser.newPage({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
        page.setDefaultTimeout(WAIT_MS);
        // Anton Admin works in German.
        await logIn(page, base, 'admin@nordlicht.example', DEMO_PASSWORD);

        // My settings: system messages by email, but for "finished with errors" only errors (so none).
        await page.getByTestId('avatar-menu').click();
        await page.getByTestId('menu-settings').click();
        await page.getByTestId('settings-email-system-messages').check();
        await page
          .locator('[data-testid="settings-email-mode"][data-type="bulk_action.finished_with_errors"]')
          .getByText('Nur Fehler', { exact: true })
          .click();
        await page.getByTestId('settings-save').click();
        await page.getByTestId('settings-saved').waitFor();
        const settings = await page.request.get(`${base}/api/me/notification-settings`);
        expect(await settings.json()).toEqual({
          enabled: true,
          modes: { 'bulk_action.finished_with_errors': 'errors' },
        });

        await notify({
          type: 'bulk_action.finished_with_errors',
          params: { action: { id: '7', name: 'Tag VIP' }, total: 10, succeeded: 8, failed: 1, skipped: 1 },
          subject: { kind: 'bulk_action', id: '7' },
        });
        await notify(failed(8));

        // Without an SMTP server the email stays in the outbox: one, for the error, in German.
        await page.getByTestId('avatar-menu').click();
        await page.getByTestId('menu-outbox').click();
        await page.waitForURL(/\/me\/outbox$/);
        const row = page.locator('[data-testid="outbox-row"]');
        await expect
          .poll(() => page.locator('[data-testid="outbox-status"][data-status="outboxed"]').count(), {
            timeout: MAIL_MS,
          })
          .toBe(1);
        expect(await row.count()).toBe(1);
        expect(await row.first().textContent()).toContain(
          '[Herald] Massenaktion fehlgeschlagen: Add tag x #8',
        );

        // The email itself: its HTML in a frame that may run nothing.
        await row.first().click();
        const frame = page.getByTestId('outbox-html');
        await frame.waitFor();
        expect(await frame.getAttribute('sandbox')).toBe('');
        expect(await frame.getAttribute('srcdoc')).toContain('Was ist zu tun?');
        await page.close();
      },
    );
  },
);
