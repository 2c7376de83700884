import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH, SKIP_REASON, logIn, useDemoInBrowser } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/demo.ts';

// Bäckerei Sonnenschein: ~240 demo contacts with the tags VIP, Newsletter and more.
const ACCOUNT_ID = '2';
const WAIT_MS = 10_000;
// Bulk work runs in the background: bounded, but with room for a slow machine.
const RUN_MS = 30_000;
// The error log is written in the UI's language; the raw reason code stays in the last column.
const CSV_HEADER = 'Contact ID,Email or phone,Outcome,Reason,Details,Reason code';

/** Calls the API with the page's own session (cookie and CSRF token). */
async function api(page: Page, base: string) {
  const me = await page.request.get(`${base}/api/me`);
  expect(me.status()).toBe(200);
  const { csrfToken } = await me.json();
  const headers = { 'x-csrf-token': csrfToken as string };
  const path = (rest: string) => `${base}/api/accounts/${ACCOUNT_ID}${rest}`;
  return {
    get: (rest: string) => page.request.get(path(rest)),
    post: (rest: string, data: unknown) => page.request.post(path(rest), { data, headers }),
  };
}

/** Starts an action from the Contacts page's dialog and returns the id the API gave it. */
async function submitBulkDialog(page: Page): Promise<string> {
  const [created] = await Promise.all([
    page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/bulk-actions'),
    ),
    page.getByTestId('bulk-dialog-submit').click(),
  ]);
  expect(created.status()).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

function rowOf(page: Page, actionId: string) {
  return page.locator(`[data-testid="bulk-row"][data-action-id="${actionId}"]`);
}

/** Waits (bounded) until the action's row shows the status. */
async function waitForStatus(page: Page, actionId: string, status: string): Promise<void> {
  await expect
    .poll(() => rowOf(page, actionId).getAttribute('data-status', { timeout: WAIT_MS }), { timeout: RUN_MS })
    .toBe(status);
}

describe.skipIf(!CHROMIUM_PATH)(
  CHROMIUM_PATH ? 'bulk actions in Chromium' : `bulk actions in Chromium (${SKIP_REASON})`,
  () => {
    const demo = useDemoInBrowser();

    it(
      'tags all matching contacts, follows the action to completed, filters, and downloads its error log',
      { timeout: 120_000 },
      async () => {
        const base = demo.herald.url!;
        const context = await demo.browser.newContext({
          locale: 'en-US',
          viewport: { width: 1400, height: 900 },
          acceptDownloads: true,
        });
        const page = await context.newPage();
        page.setDefaultTimeout(WAIT_MS);
        await logIn(page, base, 'owner@nordlicht.example', DEMO_PASSWORD);
        const client = await api(page, base);

        // Another kind of action first, so that the type filter has something to leave out.
        const tags = (await (await client.get('/tags')).json()).items as { id: string; name: string }[];
        const newsletter = tags.find((tag) => tag.name === 'Newsletter')!;
        const some = (await (await client.get('/contacts?limit=3')).json()).items as { id: string }[];
        const other = await client.post('/bulk-actions', {
          type: 'remove_tag',
          tagId: newsletter.id,
          selection: { contactIds: some.map((contact) => contact.id) },
        });
        expect(other.status()).toBe(201);

        // Contacts: everything matching, then "Add tag" VIP.
        await page.goto(`${base}/accounts/${ACCOUNT_ID}/contacts`);
        await page.getByTestId('contact-row').first().waitFor();
        await page.getByTestId('select-all-page').check();
        await page.getByTestId('select-all-matching').click();
        await page.getByTestId('bulk-menu').click();
        await page.getByTestId('bulk-add-tag').click();
        await page.getByTestId('bulk-dialog-tag').click();
        await page.getByRole('option', { name: 'VIP', exact: true }).click();
        // The count comes from the server's preview once the tag is chosen.
        const counted = page.locator('[data-testid="bulk-dialog-count"][data-count]');
        await counted.waitFor();
        const total = Number(await counted.getAttribute('data-count'));
        expect(total).toBeGreaterThan(100);
        const actionId = await submitBulkDialog(page);
        // The selection is cleared, and a notification says the action is queued (or done already).
        expect(await page.getByTestId('selection-count').count()).toBe(0);
        await page.getByTestId('bulk-notification').first().waitFor();
        await page.getByTestId('nav-bulk-actions').click();
        await page.waitForURL(/\/bulk-actions$/);

        await page.getByTestId('bulk-table').waitFor();
        await waitForStatus(page, actionId, 'completed');
        expect(await rowOf(page, actionId).getAttribute('data-type')).toBe('add_tag');
        expect(
          await page.locator('[data-testid="bulk-row"][data-type="remove_tag"]').count(),
        ).toBeGreaterThan(0);

        // Filter by type: the URL holds it, and only "Add tag" rows remain.
        await page.getByTestId('bulk-filter-type').click();
        await page.getByRole('option', { name: 'Add tag', exact: true }).click();
        await page.waitForURL((url) => url.searchParams.getAll('type').join() === 'add_tag');
        await page.keyboard.press('Escape');
        await expect
          .poll(
            async () => {
              const types = await page
                .getByTestId('bulk-row')
                .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-type')));
              return types.length > 0 && types.every((type) => type === 'add_tag');
            },
            { timeout: WAIT_MS },
          )
          .toBe(true);
        expect(await rowOf(page, actionId).count()).toBe(1);

        // View stats: the figures add up, and the error log downloads as CSV.
        await rowOf(page, actionId).getByTestId('bulk-row-menu').click();
        await page.getByTestId('bulk-view-stats').click();
        await page.getByTestId('bulk-stats').waitFor();
        await page
          .getByTestId('bulk-figure-total')
          .filter({ hasText: total.toLocaleString('en-US') })
          .waitFor();
        const [download] = await Promise.all([
          page.waitForEvent('download', { timeout: WAIT_MS }),
          page.getByTestId('download-errors').click(),
        ]);
        const csv = await readFile(await download.path(), 'utf8');
        const lines = csv.trim().split('\n');
        expect(lines[0]).toBe(CSV_HEADER);
        // Contacts that had VIP already were skipped, each with its reason.
        const stats = await (await client.get(`/bulk-actions/${actionId}/stats`)).json();
        expect(lines.length - 1).toBe(stats.failed + stats.skipped);
        if (stats.skipped > 0) {
          expect(
            lines.slice(1).every((line) => line.endsWith(',Skipped,Already had the tag,,already_tagged')),
          ).toBe(true);
          // The reasons table shows the label the server sends in the UI's language.
          await page
            .locator('[data-testid="bulk-reason"][data-reason="already_tagged"]', {
              hasText: 'Already had the tag',
            })
            .waitFor();
        }
        await context.close();
      },
    );

    it(
      'deletes selected contacts after a typed confirmation and restores them',
      { timeout: 120_000 },
      async () => {
        const base = demo.herald.url!;
        const page = await demo.browser.newPage({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
        page.setDefaultTimeout(WAIT_MS);
        await logIn(page, base, 'owner@nordlicht.example', DEMO_PASSWORD);
        const client = await api(page, base);

        // Five contacts, ticked one by one.
        await page.goto(`${base}/accounts/${ACCOUNT_ID}/contacts`);
        await page.getByTestId('contact-row').first().waitFor();
        const rows = page.getByTestId('contact-row');
        const ids: string[] = [];
        for (let i = 0; i < 5; i++) {
          ids.push((await rows.nth(i).getAttribute('data-contact-id'))!);
          await rows.nth(i).getByTestId('contact-select').check();
        }
        for (const id of ids) expect((await client.get(`/contacts/${id}`)).status()).toBe(200);

        // Delete: the dialog counts them and wants the word typed before it lets go.
        await page.getByTestId('bulk-menu').click();
        await page.getByTestId('bulk-delete').click();
        await page.locator('[data-testid="bulk-dialog-count"][data-count="5"]').waitFor();
        expect(await page.getByTestId('bulk-dialog-submit').isDisabled()).toBe(true);
        await page.getByTestId('bulk-dialog-confirm-input').fill('delete them');
        expect(await page.getByTestId('bulk-dialog-submit').isDisabled()).toBe(true);
        await page.getByTestId('bulk-dialog-confirm-input').fill('DELETE');
        const deleteId = await submitBulkDialog(page);

        // The Contacts page follows the action: once it ends, the deleted rows leave the table.
        await expect
          .poll(() => page.locator(`[data-testid="contact-row"][data-contact-id="${ids[0]}"]`).count(), {
            timeout: RUN_MS,
          })
          .toBe(0);

        await page.goto(`${base}/accounts/${ACCOUNT_ID}/bulk-actions`);
        await page.getByTestId('bulk-table').waitFor();
        await waitForStatus(page, deleteId, 'completed');
        expect(await rowOf(page, deleteId).getAttribute('data-type')).toBe('delete_contacts');
        for (const id of ids) expect((await client.get(`/contacts/${id}`)).status()).toBe(404);

        // Restore from the row menu: the dialog says how many come back, and a restore action runs.
        await rowOf(page, deleteId).getByTestId('bulk-row-menu').click();
        await page.getByTestId('bulk-control-restore').click();
        await page.locator('[data-testid="bulk-restore-count"][data-count="5"]').waitFor();
        expect(await page.getByTestId('bulk-restore-count').textContent()).toContain(
          '5 contacts will be restored',
        );
        const [restored] = await Promise.all([
          page.waitForResponse(
            (r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/restore'),
          ),
          page.getByTestId('bulk-confirm').click(),
        ]);
        expect(restored.status()).toBe(201);
        const restoreId = ((await restored.json()) as { id: string }).id;
        await rowOf(page, restoreId).waitFor();
        expect(await rowOf(page, restoreId).getAttribute('data-type')).toBe('restore_contacts');
        await waitForStatus(page, restoreId, 'completed');
        for (const id of ids) expect((await client.get(`/contacts/${id}`)).status()).toBe(200);
        await page.close();
      },
    );
  },
);
