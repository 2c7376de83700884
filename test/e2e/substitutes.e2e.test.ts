import { describe, expect, it } from 'vitest';
import type { Substitute } from '../../src/shared/distribution.ts';
import { CHROMIUM_PATH, SKIP_REASON, logIn, useDemoInBrowser } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/demo.ts';

// The seed's substitutes (src/server/seed/demo.ts, seedDistributionStory): Velo Berlin stands in
// for the agency's list "Newsletter DE" with its own "Newsletter DE"; it also has "Promotions".
const OWNER = 'owner@nordlicht.example';
const WAIT_MS = 20_000;

describe.skipIf(!CHROMIUM_PATH)(
  CHROMIUM_PATH
    ? 'bulk edit of substitutes in Chromium'
    : `bulk edit of substitutes in Chromium (${SKIP_REASON})`,
  () => {
    const demo = useDemoInBrowser();

    it(
      're-points Velo Berlin’s list substitute in edit mode, saves it, exports the filtered rows, and keeps a row whose save fails marked',
      { timeout: 180_000 },
      async () => {
        const base = demo.herald.url!;
        const context = await demo.browser.newContext({
          locale: 'en-US',
          viewport: { width: 1440, height: 1000 },
        });
        const page = await context.newPage();
        page.setDefaultTimeout(WAIT_MS);
        await logIn(page, base, OWNER, DEMO_PASSWORD);
        const { accounts } = (await (await page.request.get(`${base}/api/me`)).json()) as {
          accounts: { id: string; name: string }[];
        };
        const idOf = (name: string) => accounts.find((a) => a.name === name)!.id;
        const agency = idOf('Nordlicht Agency');
        const velo = idOf('Velo Berlin');
        const listed = async () =>
          (
            (await (
              await page.request.get(
                `${base}/api/accounts/${agency}/substitutes?targetAccountId=${velo}&kind=subscriber_list`,
              )
            ).json()) as { items: Substitute[] }
          ).items;
        const [before] = await listed();
        expect(before!.substitute.name).toBe('Newsletter DE');

        await page.goto(`${base}/accounts/${agency}/substitutes?target=${velo}&kind=subscriber_list`);
        const row = page.locator(`[data-testid="substitute-row"][data-substitute-id="${before!.id}"]`);
        await row.waitFor();
        // The export link carries the table's filters.
        const href = await page.getByTestId('substitutes-export').getAttribute('href');
        expect(href).toContain(`targetAccountId=${velo}`);
        expect(href).toContain('kind=subscriber_list');

        await page.getByTestId('substitutes-edit').click();
        const select = page.getByRole('combobox', {
          name: `Substitute for ${before!.source.name} in Velo Berlin`,
        });
        expect(await select.inputValue()).toBe('Newsletter DE');
        await select.click();
        await page.getByRole('option', { name: 'Promotions', exact: true }).click();
        expect(await row.getAttribute('data-changed')).toBe('true');
        expect(await page.getByTestId('substitutes-save').textContent()).toContain('(1)');

        await page.getByTestId('substitutes-save').click();
        // All saved: edit mode ends and the table shows the new substitute.
        await page.getByTestId('substitutes-edit').waitFor();
        await expect.poll(() => row.textContent(), { timeout: WAIT_MS }).toContain('Promotions');
        const [after] = await listed();
        expect(after).toMatchObject({ id: before!.id, substitute: { name: 'Promotions', missing: false } });
        // The export of the filtered table holds that one row.
        const csv = await (await page.request.get(`${base}${href!}`)).text();
        const lines = csv
          .replace(/^\ufeff/, '')
          .trim()
          .split('\r\n');
        expect(lines).toHaveLength(2);
        expect(lines[1]).toContain('Promotions');

        // A row whose save fails stays marked with its error: the chosen list is deleted before saving.
        const { csrfToken } = (await (await page.request.get(`${base}/api/me`)).json()) as {
          csrfToken: string;
        };
        const headers = { 'x-csrf-token': csrfToken };
        const made = await page.request.post(`${base}/api/accounts/${velo}/lists`, {
          data: { name: 'Kurzlebig' },
          headers,
        });
        expect(made.status(), await made.text()).toBe(201);
        const temporary = ((await made.json()) as { id: string }).id;
        await page.getByTestId('substitutes-edit').click();
        await select.click();
        await page.getByRole('option', { name: 'Kurzlebig', exact: true }).click();
        const gone = await page.request.delete(`${base}/api/accounts/${velo}/lists/${temporary}`, {
          headers,
        });
        expect(gone.status(), await gone.text()).toBe(204);
        await page.getByTestId('substitutes-save').click();
        await row.getByTestId('substitute-edit-error').waitFor();
        await page.getByTestId('substitutes-save-failed').waitFor();
        expect(await row.getAttribute('data-changed')).toBe('true');
        expect(await select.inputValue()).toBe('Kurzlebig');
        expect((await listed())[0]).toMatchObject({ substitute: { name: 'Promotions' } });
        // Discard leaves edit mode; the saved substitute is shown again.
        await page.getByTestId('substitutes-discard').click();
        await page.getByTestId('substitutes-edit').waitFor();
        expect(await row.getAttribute('data-changed')).toBeNull();
        expect(await row.textContent()).toContain('Promotions');
        await context.close();
      },
    );
  },
);
