import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, SKIP_REASON, logIn, useDemoInBrowser } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/demo.ts';

// Bäckerei Sonnenschein: ~240 demo contacts with the tag Newsletter among others.
const ACCOUNT_ID = '2';
const WAIT_MS = 10_000;
// Bulk work runs in the background: bounded, but with room for a slow machine.
const RUN_MS = 30_000;

describe.skipIf(!CHROMIUM_PATH)(
  CHROMIUM_PATH ? 'bulk actions live in Chromium' : `bulk actions live in Chromium (${SKIP_REASON})`,
  () => {
    const demo = useDemoInBrowser();

    // While the stream is open the table does not poll, so a row that appears and reaches
    // "completed" here got there through the live events alone.
    it('shows an action started elsewhere and follows it to completed over the live stream', async () => {
      const base = demo.herald.url!;
      const page = await demo.browser.newPage({ locale: 'en-US', viewport: { width: 1400, height: 900 } });
      page.setDefaultTimeout(WAIT_MS);
      await logIn(page, base, 'owner@nordlicht.example', DEMO_PASSWORD);
      await page.goto(`${base}/accounts/${ACCOUNT_ID}/bulk-actions`);
      const live = page.getByTestId('bulk-live');
      await page.locator('[data-testid="bulk-live"][data-connected="true"]').waitFor();

      const me = await page.request.get(`${base}/api/me`);
      const { csrfToken } = (await me.json()) as { csrfToken: string };
      const path = `${base}/api/accounts/${ACCOUNT_ID}`;
      const tags = (await (await page.request.get(`${path}/tags`)).json()).items as {
        id: string;
        name: string;
      }[];
      const some = (await (await page.request.get(`${path}/contacts?limit=3`)).json()).items as {
        id: string;
      }[];
      const created = await page.request.post(`${path}/bulk-actions`, {
        data: {
          type: 'remove_tag',
          tagId: tags.find((tag) => tag.name === 'Newsletter')!.id,
          selection: { contactIds: some.map((contact) => contact.id) },
        },
        headers: { 'x-csrf-token': csrfToken },
      });
      expect(created.status()).toBe(201);
      const actionId = ((await created.json()) as { id: string }).id;

      const row = page.locator(`[data-testid="bulk-row"][data-action-id="${actionId}"]`);
      await expect
        .poll(() => row.getAttribute('data-status', { timeout: RUN_MS }), { timeout: RUN_MS })
        .toBe('completed');
      // Still live: the table was never left to its polling fallback.
      expect(await live.getAttribute('data-connected')).toBe('true');
      await page.close();
    });
  },
);
