import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH, SKIP_REASON, logIn, useDemoInBrowser } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/demo.ts';

// Bäckerei Sonnenschein (demo account 2).
const ACCOUNT_ID = '2';
const WAIT_MS = 10_000;

/** A request with the page's own session and CSRF token. */
async function api(page: Page, base: string, method: 'POST', path: string, data: unknown) {
  const { csrfToken } = await (await page.request.get(`${base}/api/me`)).json();
  const answer = await page.request.fetch(`${base}/api/accounts/${ACCOUNT_ID}${path}`, {
    method,
    data,
    headers: { 'x-csrf-token': csrfToken },
  });
  expect(answer.status(), await answer.text()).toBe(201);
  return answer.json();
}

describe.skipIf(!CHROMIUM_PATH)(
  CHROMIUM_PATH ? 'deleting what a SmartList uses, in Chromium' : `deleting in use (${SKIP_REASON})`,
  () => {
    const demo = useDemoInBrowser();

    it(
      'the tag dialog shows what uses a tag and asks; the SmartList then shows its note',
      { timeout: 90_000 },
      async () => {
        const base = demo.herald.url!;
        const page = await demo.browser.newPage({ locale: 'en-US', viewport: { width: 1440, height: 900 } });
        page.setDefaultTimeout(WAIT_MS);
        await logIn(page, base, 'owner@nordlicht.example', DEMO_PASSWORD);
        const tag = await api(page, base, 'POST', '/tags', { name: 'Doomed tag' });
        const smartList = await api(page, base, 'POST', '/smart-lists', {
          name: 'Uses the doomed tag',
          filter: { op: 'and', conditions: [{ type: 'tag', op: 'has', tagId: tag.id }] },
        });

        await page.goto(`${base}/accounts/${ACCOUNT_ID}/contacts`);
        await page.getByTestId('manage-menu').click();
        await page.getByTestId('manage-tags').click();
        const row = page.getByTestId('manage-tag-row').filter({ hasText: 'Doomed tag' });
        await row.getByTestId('manage-tag-row-delete').click();
        await row.getByTestId('manage-tag-row-delete-confirm').click();
        // The first answer names the SmartList and asks again.
        const inUse = row.getByTestId('catalog-in-use');
        await inUse.waitFor();
        expect(await inUse.textContent()).toContain('Uses the doomed tag');
        await row.getByTestId('manage-tag-row-delete-confirm').click();
        await row.waitFor({ state: 'detached' });
        await page.keyboard.press('Escape');

        await page.goto(`${base}/accounts/${ACCOUNT_ID}/contacts?smartListId=${smartList.id}`);
        const notes = page.getByTestId('smartlist-notes');
        await notes.waitFor();
        expect(await notes.textContent()).toContain('Removed 1 condition: the tag "Doomed tag" was deleted');
        await page.getByTestId('smartlist-notes-dismiss').click();
        await notes.waitFor({ state: 'detached' });
        await page.close();
      },
    );
  },
);
