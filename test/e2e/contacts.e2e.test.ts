import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH, SKIP_REASON, logIn, useDemoInBrowser } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/demo.ts';
import type { FilterGroup } from '../../src/shared/contacts.ts';

// Bäckerei Sonnenschein: the demo account with ~240 contacts on a handful of email domains.
const ACCOUNT_ID = '2';
const DOMAIN = 'example.com';
const WAIT_MS = 10_000;

/** The number of contacts a filter matches, asked of the API with the page's own session. */
async function countOf(page: Page, base: string, filter: FilterGroup): Promise<number> {
  const me = await page.request.get(`${base}/api/me`);
  expect(me.status()).toBe(200);
  const { csrfToken } = await me.json();
  const answer = await page.request.post(`${base}/api/accounts/${ACCOUNT_ID}/smart-lists/preview`, {
    data: { filter },
    headers: { 'x-csrf-token': csrfToken },
  });
  expect(answer.status()).toBe(200);
  return (await answer.json()).count;
}

describe.skipIf(!CHROMIUM_PATH)(
  CHROMIUM_PATH ? 'contacts page in Chromium' : `contacts page in Chromium (${SKIP_REASON})`,
  () => {
    const demo = useDemoInBrowser();

    it('filters, saves a SmartList, and selects everything it matches', { timeout: 90_000 }, async () => {
      const base = demo.herald.url!;
      const page = await demo.browser.newPage({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
      page.setDefaultTimeout(WAIT_MS);
      await logIn(page, base, 'owner@nordlicht.example', DEMO_PASSWORD);
      await page.goto(`${base}/accounts/${ACCOUNT_ID}/contacts`);
      await page.getByTestId('contact-row').first().waitFor();

      // An incomplete condition is flagged before anything is sent.
      await page.getByTestId('filter-add-condition').first().click();
      await page.getByTestId('filter-apply').click();
      await page.getByTestId('filter-invalid').waitFor();
      expect(new URL(page.url()).searchParams.get('filter')).toBeNull();

      // Email domain equals example.com, applied: the filter goes into the URL.
      const condition = page.getByTestId('filter-condition').first();
      await condition.getByTestId('filter-kind').click();
      await page.getByRole('option', { name: 'Email domain', exact: true }).click();
      await condition.getByTestId('filter-value').fill(DOMAIN);
      await page.getByTestId('filter-apply').click();
      await page.waitForURL((url) => url.searchParams.has('filter'));
      const applied = JSON.parse(new URL(page.url()).searchParams.get('filter')!) as FilterGroup;
      expect(applied).toEqual({
        op: 'and',
        conditions: [{ type: 'email_domain', op: 'equals', value: DOMAIN }],
      });

      const expected = await countOf(page, base, applied);
      expect(expected).toBeGreaterThan(0);
      // The table shows only that domain (waiting until the previous rows have been replaced).
      await expect
        .poll(
          async () => {
            const emails = await page.getByTestId('contact-row').allTextContents();
            return emails.length > 0 && emails.every((row) => row.includes(`@${DOMAIN}`));
          },
          { timeout: WAIT_MS },
        )
        .toBe(true);

      // Saved as a SmartList: it appears in the side list with its live count, and is applied.
      const name = `Domain ${DOMAIN}`;
      await page.getByTestId('smartlist-save').click();
      await page.getByTestId('smartlist-name').fill(name);
      await page.getByTestId('smartlist-save-submit').click();
      await page.waitForURL((url) => url.searchParams.has('smartListId') && !url.searchParams.has('filter'));
      const item = page.getByTestId('smartlist-item').filter({ hasText: name });
      await item
        .getByTestId('smartlist-item-count')
        .filter({ hasText: expected.toLocaleString('en-US') })
        .waitFor();

      // A reload shows the same view: the SmartList, its filter loaded into the builder.
      await page.reload();
      await page.getByTestId('contact-row').first().waitFor();
      await page
        .getByTestId('filter-condition')
        .first()
        .getByTestId('filter-value')
        .and(page.locator(`[value="${DOMAIN}"]`))
        .waitFor();
      expect(await item.getAttribute('data-active')).toBe('true');

      // The page, then everything matching: the count is the API's count for the filter.
      await page.getByTestId('select-all-page').check();
      const loaded = await page.getByTestId('contact-row').count();
      await page
        .getByTestId('selection-count')
        .filter({ hasText: String(loaded) })
        .waitFor();
      await page.getByTestId('select-all-matching').click();
      await page
        .getByTestId('selection-count')
        .filter({ hasText: expected.toLocaleString('en-US') })
        .waitFor();
      expect(await page.getByTestId('selection-count').textContent()).toContain(
        `${expected.toLocaleString('en-US')} contacts selected`,
      );
      expect(await page.getByTestId('bulk-menu').isEnabled()).toBe(true);

      // Unticking one row takes it out of "all matching".
      await page.getByTestId('contact-select').first().uncheck();
      const fewer = (expected - 1).toLocaleString('en-US');
      await page.getByTestId('selection-count').filter({ hasText: fewer }).waitFor();

      await page.getByTestId('selection-clear').click();
      expect(await page.getByTestId('selection-count').count()).toBe(0);
      expect(await page.getByTestId('bulk-menu').isDisabled()).toBe(true);
      await page.close();
    });
  },
);
