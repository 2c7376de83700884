import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { CHROMIUM_PATH, SKIP_REASON, logIn, useDemoInBrowser } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/demo.ts';
import { rows } from '../../src/server/db/types.ts';
import { unsubscribeUrl } from '../../src/server/modules/deliverability/unsubscribe-links.ts';

// Bäckerei Sonnenschein: demo contacts.
const ACCOUNT_ID = 2;
const WAIT_MS = 30_000;

describe.skipIf(!CHROMIUM_PATH)(
  CHROMIUM_PATH ? 'unsubscribe in Chromium' : `unsubscribe in Chromium (${SKIP_REASON})`,
  () => {
    const demo = useDemoInBrowser();

    it(
      'a recipient unsubscribes through the page under the CSP; the contact shows the opt-out',
      { timeout: 180_000 },
      async () => {
        const { herald } = demo;
        const base = herald.url!;
        const [contact] = await rows<{ id: number; email: string }>(
          herald.database.db,
          sql`SELECT id, email FROM contacts WHERE account_id = ${ACCOUNT_ID} AND email IS NOT NULL
              AND email_consent = 'subscribed' AND deleted_at IS NULL ORDER BY id LIMIT 1`,
        );
        const link = unsubscribeUrl(
          herald.services.secrets,
          base,
          { accountId: ACCOUNT_ID, contactId: Number(contact!.id), channel: 'email', messageId: null },
          new Date(),
        );

        const page = await demo.browser.newPage({ locale: 'de-DE', viewport: { width: 1440, height: 900 } });
        page.setDefaultTimeout(WAIT_MS);
        const violations: string[] = [];
        page.on('console', (message) => {
          if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
        });
        const res = await page.goto(link);
        expect(res?.status()).toBe(200);
        await expect
          .poll(() => page.getByTestId('unsubscribe-question').textContent())
          .toContain('Möchten Sie');
        // Loading the page (as a link scanner would) changed nothing.
        const consent = async () =>
          (
            await rows<{ c: string }>(
              herald.database.db,
              sql`SELECT email_consent AS c FROM contacts WHERE id = ${contact!.id}`,
            )
          )[0]!.c;
        expect(await consent()).toBe('subscribed');
        await page.getByRole('button', { name: 'Abmelden' }).click();
        await page.getByText('Sie sind abgemeldet').waitFor();
        expect(await consent()).toBe('unsubscribed');
        expect(violations).toEqual([]);

        // The marketer sees it in the contact's drawer.
        await logIn(page, base, 'owner@nordlicht.example', DEMO_PASSWORD);
        await page.goto(
          `${base}/accounts/${ACCOUNT_ID}/contacts?search=${encodeURIComponent(contact!.email)}`,
        );
        await page.getByTestId('contact-row').first().click();
        const panel = page.getByTestId('deliverability-panel');
        await panel.waitFor();
        await expect
          .poll(() => panel.getByTestId('opt-outs').textContent())
          .toMatch(/Abmeldelink|Unsubscribe link/);
        expect(violations).toEqual([]);
      },
    );
  },
);
