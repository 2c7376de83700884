// The statistics page of a mailing in the browser: a real bulk email of the demo account to a real
// SMTP server on loopback; the mailing rows, opens and clicks are written with SQL (their modules
// are built apart). The figures, the opens caveat, the chart, clicks per link, the family, the
// recipient filter (a tracking state) with its CSV export, and a failed re-send with its banner and
// the Re-send button. Needs the Mailings section's route /accounts/:id/mailings/:id/statistics.
import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import type { Browser } from 'playwright-core';
import { CHROMIUM_PATH, SKIP_REASON, launchBrowser, logIn, startDemoHerald } from './browser.ts';
import { startBulkSmtp } from '../helpers/bulk-smtp.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/demo.ts';
import { rows } from '../../src/server/db/types.ts';

// Bäckerei Sonnenschein: demo contacts; Mia Marketer works there, in German.
const ACCOUNT_ID = 2;
const MARKETER = 'marketer@baeckerei.example';
const RUN_MS = 90_000;

describe.skipIf(!CHROMIUM_PATH)(
  `mailing statistics in the browser${CHROMIUM_PATH ? '' : ` (${SKIP_REASON})`}`,
  () => {
    it(
      'shows the figures, chart, links, family and recipients of a sent mailing, and the failure of its re-send',
      async () => {
        const smtp = await startBulkSmtp();
        const demo = await startDemoHerald({ SMTP_URL: smtp.url });
        let browser: Browser | undefined;
        try {
          const herald = demo.herald;
          const db = herald.database.db;
          const base = herald.url!;
          browser = await launchBrowser();
          const page = await browser.newPage();
          await logIn(page, base, MARKETER, DEMO_PASSWORD);

          // A real send to four subscribed demo contacts.
          const contacts = await rows<{ id: number }>(
            db,
            sql`SELECT id FROM contacts WHERE account_id = ${ACCOUNT_ID} AND deleted_at IS NULL
                AND email_consent = 'subscribed' AND email LIKE '%@%.%' ORDER BY id LIMIT 4`,
          );
          expect(contacts).toHaveLength(4);
          const { csrfToken } = (await (await page.request.get(`${base}/api/me`)).json()) as {
            csrfToken: string;
          };
          const started = await page.request.post(`${base}/api/accounts/${ACCOUNT_ID}/messaging/sends`, {
            data: {
              channel: 'email',
              selection: { contactIds: contacts.map((c) => String(c.id)) },
              content: {
                subject: 'Herbstgrüße',
                html: '<p>Hallo <a href="https://shop.example/">Shop</a></p>',
              },
            },
            headers: { 'x-csrf-token': csrfToken },
          });
          expect(started.status(), await started.text()).toBe(201);
          const actionId = Number(((await started.json()) as { id: string }).id);
          await expect
            .poll(
              async () =>
                (
                  await rows<{ status: string }>(
                    db,
                    sql`SELECT status FROM bulk_actions WHERE id = ${actionId}`,
                  )
                )[0]?.status,
              { timeout: RUN_MS },
            )
            .toBe('completed');

          const [original] = await rows<{ id: number }>(
            db,
            sql`INSERT INTO mailings (account_id, name, root_id, status, action_id, recipients_at_send)
              VALUES (${ACCOUNT_ID}, 'Herbst-Mailing', 0, 'sent', ${actionId}, 4) RETURNING id`,
          );
          const mailingId = Number(original!.id);
          await db.execute(sql`UPDATE mailings SET root_id = id WHERE id = ${mailingId}`);
          const [resend] = await rows<{ id: number }>(
            db,
            sql`INSERT INTO mailings (account_id, name, root_id, resend_of, status, failure_reason, recipients_at_send)
              VALUES (${ACCOUNT_ID}, 'Herbst-Mailing (Nachversand)', ${mailingId}, ${mailingId}, 'failed',
                      'no_recipients', 0) RETURNING id`,
          );
          // Two opened, one clicked, one unsubscribed through its link.
          const messages = await rows<{ id: number; contactId: number }>(
            db,
            sql`SELECT id, contact_id AS "contactId" FROM messages WHERE action_id = ${actionId} ORDER BY id`,
          );
          for (const [i, m] of messages.slice(0, 2).entries()) {
            await db.execute(sql`INSERT INTO tracking_events (account_id, action_id, message_id, contact_id, kind, url, hits)
              VALUES (${ACCOUNT_ID}, ${actionId}, ${m.id}, ${m.contactId}, 'open', '', ${i + 1})`);
          }
          await db.execute(sql`INSERT INTO tracking_events (account_id, action_id, message_id, contact_id, kind, url, hits)
            VALUES (${ACCOUNT_ID}, ${actionId}, ${messages[0]!.id}, ${messages[0]!.contactId}, 'click',
                    'https://shop.example/', 2)`);
          await db.execute(sql`INSERT INTO opt_outs (account_id, contact_id, channel, source, message_id)
            VALUES (${ACCOUNT_ID}, ${messages[3]!.contactId}, 'email', 'unsubscribe_link', ${messages[3]!.id})`);

          await page.goto(`${base}/accounts/${ACCOUNT_ID}/mailings/${mailingId}/statistics`);
          await page.getByTestId('mailing-stats-name').waitFor();
          expect(await page.getByTestId('mailing-stats-name').textContent()).toBe('Herbst-Mailing');
          const count = (name: string) => page.getByTestId(`stat-${name}`).getAttribute('data-count');
          expect(await count('recipientsAtSend')).toBe('4');
          expect(await count('sent')).toBe('4');
          expect(await count('opens')).toBe('2');
          expect(await count('clicks')).toBe('1');
          expect(await count('unsubscribed')).toBe('1');
          expect(await page.getByTestId('opens-caveat').isVisible()).toBe(true);
          await page.getByTestId('timeline-chart').waitFor();
          expect(await page.getByTestId('mailing-link').getAttribute('data-total')).toBe('2');
          expect(await page.getByTestId('mailing-family').getAttribute('data-reached')).toBe('4');
          expect(await page.getByTestId('mailing-family-member').count()).toBe(2);
          expect(await page.getByTestId('mailing-resend').isVisible()).toBe(true);

          // The recipient table: all four, then the opened ones; the export follows the filter.
          await expect.poll(() => page.getByTestId('mailing-recipient-row').count()).toBe(4);
          await page.getByTestId('recipient-filter').click();
          await page.getByRole('option', { name: 'Geöffnet' }).click();
          await expect.poll(() => page.getByTestId('mailing-recipient-row').count()).toBe(2);
          const href = await page.getByTestId('recipient-export').getAttribute('href');
          expect(href).toBe(`/api/accounts/${ACCOUNT_ID}/mailings/${mailingId}/recipients.csv?state=opened`);
          const csv = await page.request.get(`${base}${href}`);
          expect(csv.status()).toBe(200);
          expect((await csv.text()).trim().split('\r\n')).toHaveLength(3);

          // The failed re-send: its banner with the reason, Re-send, and a link back to the original.
          await page
            .getByTestId('mailing-family')
            .getByRole('link', { name: 'Herbst-Mailing (Nachversand)' })
            .click();
          await page.getByTestId('mailing-failure').waitFor();
          expect(await page.getByTestId('mailing-failure').getAttribute('data-reason')).toBe('no_recipients');
          expect(await page.getByTestId('mailing-stats-status').getAttribute('data-status')).toBe('failed');
          await page.getByTestId('mailing-resend').click();
          await page.waitForURL(`${base}/accounts/${ACCOUNT_ID}/mailings/${resend!.id}/resend`);
        } finally {
          await browser?.close();
          await demo.dispose();
          await smtp.close();
        }
      },
      RUN_MS * 2,
    );
  },
);
