import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH, SKIP_REASON, logIn, useDemoInBrowser } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/demo.ts';

// Issue 11: a German marketer imports an Excel-style export (semicolons, Windows-1252) through the
// wizard. Bäckerei Sonnenschein: the German demo account; its custom field `city` reads "Stadt".
const ACCOUNT_ID = '2';
const WAIT_MS = 30_000;
const RUN_MS = 90_000;

/**
 * What Excel on a German Windows writes: `;`, CRLF, Windows-1252. The umlauts and ß are the same
 * byte in latin1 and Windows-1252; the euro sign is 0x80, which only Windows-1252 reads as €
 * (latin1 would give a C1 control character). Row 3 has no valid email; row 4 repeats row 1's
 * address in other case.
 */
function excelExport(): Buffer {
  const text = (s: string) => Buffer.from(s, 'latin1');
  return Buffer.concat([
    text('E-Mail;Vorname;Nachname;Stadt\r\n'),
    text('juergen.mueller@example.de;Jürgen;Müller;München '),
    Buffer.from([0x80]),
    text('\r\n'),
    text('gruesse@example.de;Grete;Weiß;Düsseldorf\r\n'),
    text('keine-adresse;Hans;Groß;Köln\r\n'),
    text('JUERGEN.MUELLER@example.de;Jürgen;Doppelt;Bonn\r\n'),
  ]);
}

/** The API with the page's own session (cookie and CSRF token). */
async function api(page: Page, base: string) {
  const { csrfToken } = await (await page.request.get(`${base}/api/me`)).json();
  const path = (rest: string) => `${base}/api/accounts/${ACCOUNT_ID}${rest}`;
  return {
    get: async (rest: string) => {
      const answer = await page.request.get(path(rest));
      expect(answer.status(), await answer.text()).toBe(200);
      return answer.json();
    },
    post: async (rest: string, data: unknown) => {
      const answer = await page.request.post(path(rest), {
        data,
        headers: { 'x-csrf-token': csrfToken as string },
      });
      expect(answer.status(), await answer.text()).toBeLessThan(300);
      return answer.json();
    },
  };
}

async function openAs(
  demo: ReturnType<typeof useDemoInBrowser>,
  email: string,
  locale: string,
): Promise<{ page: Page; close(): Promise<void> }> {
  const context = await demo.browser.newContext({
    locale,
    viewport: { width: 1440, height: 900 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  await logIn(page, demo.herald.url!, email, DEMO_PASSWORD);
  return { page, close: () => context.close() };
}

const count = (page: Page, scope: string, name: string) =>
  page.getByTestId(scope).getByTestId(`import-count-${name}`).getAttribute('data-count');

describe.skipIf(!CHROMIUM_PATH)(
  CHROMIUM_PATH ? 'contact import in Chromium' : `contact import in Chromium (${SKIP_REASON})`,
  () => {
    const demo = useDemoInBrowser();

    it(
      'imports a semicolon-separated Windows-1252 file through the wizard, with dry run and error log',
      { timeout: 240_000 },
      async () => {
        const base = demo.herald.url!;
        const { page, close } = await openAs(demo, 'marketer@baeckerei.example', 'de-DE');
        const client = await api(page, base);

        // The marketer may import but not manage settings: only the upload tab.
        await page.getByTestId('nav-imports').click();
        await page.waitForURL(/\/imports$/);
        await page.getByTestId('import-wizard').waitFor();
        expect(await page.getByTestId('tab-upload').textContent()).toBe('Hochladen');
        expect(await page.getByTestId('tab-sources').count()).toBe(0);
        expect(await page.getByTestId('tab-pgp').count()).toBe(0);

        // 1. The file: uploaded at once, then read with what was detected.
        await page
          .getByTestId('import-wizard')
          .locator('input[type="file"]')
          .setInputFiles({ name: 'kontakte.csv', mimeType: 'text/csv', buffer: excelExport() });
        await page.getByTestId('import-detected').waitFor();
        expect(await page.getByTestId('import-encoding').inputValue()).toBe('Windows-1252');
        expect(await page.getByTestId('import-delimiter').inputValue()).toBe('Semikolon (;)');
        expect(await page.getByTestId('import-detected').textContent()).toContain(
          'Erkannt: Windows-1252, Semikolon (;)',
        );
        expect(await page.getByTestId('import-preview-header').allTextContents()).toEqual([
          'E-Mail',
          'Vorname',
          'Nachname',
          'Stadt',
        ]);
        const firstRow = page.getByTestId('import-preview-row').first();
        expect(await firstRow.locator('td').allTextContents()).toEqual([
          '1',
          'juergen.mueller@example.de',
          'Jürgen',
          'Müller',
          'München €',
        ]);

        // 2. The mapping: the German headers are suggested right; the invalid email shows in red.
        await page.getByTestId('import-next').click();
        const target = (header: string) =>
          page
            .locator(`[data-testid="import-mapping-row"][data-header="${header}"]`)
            .getByTestId('import-mapping-target');
        expect(await target('E-Mail').getAttribute('data-value')).toBe('email');
        expect(await target('Vorname').getAttribute('data-value')).toBe('first_name');
        expect(await target('Nachname').getAttribute('data-value')).toBe('last_name');
        // The custom field by its German label.
        expect(await target('Stadt').getAttribute('data-value')).toBe('custom:city');
        await page
          .locator('[data-testid="import-preview-row"][data-row="3"] [data-testid="import-preview-invalid"]')
          .waitFor();

        // 3. The mode: the defaults (create and update, match by email, consent untouched).
        await page.getByTestId('import-next').click();
        await page.getByTestId('import-mode').waitFor();
        expect(await page.getByTestId('import-apply-consent').isDisabled()).toBe(true);

        // 4. The dry run: counts, nothing written.
        await page.getByTestId('import-next').click();
        await page.getByTestId('import-start-dry-run').click();
        await page.locator('[data-testid="import-dry-run"][data-finished]').waitFor({ timeout: RUN_MS });
        await expect.poll(() => count(page, 'import-dry-run', 'created')).toBe('2');
        expect(await count(page, 'import-dry-run', 'rowsRead')).toBe('4');
        expect(await count(page, 'import-dry-run', 'invalid')).toBe('1');
        expect(await count(page, 'import-dry-run', 'duplicates')).toBe('1');
        expect((await client.get('/contacts?search=juergen.mueller')).items).toHaveLength(0);

        // 5. The import: started with an Idempotency-Key, followed live, then its counts and files.
        await page.getByTestId('import-next').click();
        const [started] = await Promise.all([
          page.waitForResponse(
            (r) => r.request().method() === 'POST' && new URL(r.url()).pathname.endsWith('/imports'),
          ),
          page.getByTestId('import-start').click(),
        ]);
        expect(started.status()).toBeLessThan(300);
        expect(started.request().headers()['idempotency-key']).toMatch(/^[0-9a-f]{32}$/);
        const actionId = String((await started.json()).id);
        await page.locator('[data-testid="import-run"][data-finished]').waitFor({ timeout: RUN_MS });
        await expect.poll(() => count(page, 'import-run', 'created')).toBe('2');
        expect(await count(page, 'import-run', 'invalid')).toBe('1');
        await page.getByTestId('import-download-failed-rows').waitFor();

        // The error log names the invalid row by its number.
        const [download] = await Promise.all([
          page.waitForEvent('download', { timeout: WAIT_MS }),
          page.getByTestId('import-download-errors').click(),
        ]);
        const log = await readFile(await download.path(), 'utf8');
        const invalidLine = log.split(/\r?\n/).find((line) => line.includes('keine-adresse'));
        expect(invalidLine, log).toBeDefined();
        const cells = invalidLine!.split(/[;,]/).map((cell) => cell.replace(/"/g, '').trim());
        expect(
          cells.some((cell) => cell === '3' || cell === 'row=3'),
          invalidLine,
        ).toBe(true);

        // 6. On the Bulk Actions page: the import, finished.
        await page.getByTestId('import-open-bulk-actions').click();
        await page.waitForURL(/\/bulk-actions$/);
        const row = page.locator(`[data-testid="bulk-row"][data-action-id="${actionId}"]`);
        await row.waitFor();
        await expect
          .poll(() => row.getAttribute('data-status'), { timeout: RUN_MS })
          .toMatch(/^completed(_with_errors)?$/);

        // The umlauts and the euro sign arrived as written.
        const found = (await client.get('/contacts?search=juergen.mueller')).items as {
          id: string;
          firstName: string;
          lastName: string;
        }[];
        expect(found).toHaveLength(1);
        expect(`${found[0]!.firstName} ${found[0]!.lastName}`).toBe('Jürgen Müller');
        const contact = await client.get(`/contacts/${found[0]!.id}`);
        expect(contact.customFields.city).toBe('München €');
        await close();
      },
    );

    it('undoes an import after asking (owner, English)', { timeout: 180_000 }, async () => {
      const base = demo.herald.url!;
      const { page, close } = await openAs(demo, 'owner@nordlicht.example', 'en-US');
      const client = await api(page, base);
      await page.goto(`${base}/accounts/${ACCOUNT_ID}/imports`);
      await page
        .getByTestId('import-wizard')
        .locator('input[type="file"]')
        .setInputFiles({
          name: 'undo.csv',
          mimeType: 'text/csv',
          buffer: Buffer.from('email,first name\nundo-1@example.com,Una\nundo-2@example.com,Udo\n', 'utf8'),
        });
      await page.getByTestId('import-detected').waitFor();
      expect(await page.getByTestId('import-encoding').inputValue()).toBe('UTF-8');
      expect(await page.getByTestId('import-delimiter').inputValue()).toBe('Comma (,)');
      for (let step = 0; step < 4; step++) await page.getByTestId('import-next').click(); // to the import
      await page.getByTestId('import-start').click();
      await page.locator('[data-testid="import-run"][data-finished]').waitFor({ timeout: RUN_MS });
      await expect.poll(() => count(page, 'import-run', 'created')).toBe('2');
      expect(await page.getByTestId('import-no-errors').count()).toBe(1);
      expect((await client.get('/contacts?search=undo-')).items).toHaveLength(2);

      await page.getByTestId('import-undo').click();
      const dialog = page.getByTestId('import-undo-dialog');
      await dialog
        .getByText('The 2 contacts this import created will be deleted', { exact: false })
        .waitFor();
      await page.getByTestId('import-undo-confirm').click();
      await page.getByTestId('import-undo-queued').waitFor();
      await expect
        .poll(async () => (await client.get('/contacts?search=undo-')).items.length, { timeout: RUN_MS })
        .toBe(0);
      await close();
    });

    it(
      'keeps a PGP key and a remote source with its connection test (owner, English)',
      { timeout: 180_000 },
      async () => {
        const base = demo.herald.url!;
        const { page, close } = await openAs(demo, 'owner@nordlicht.example', 'en-US');
        const client = await api(page, base);
        const mapping = await client.post('/imports/mappings', {
          name: 'CRM export',
          settings: { columns: [{ header: 'email', target: { kind: 'email' } }] },
        });

        // The key: generated here, its fingerprint and public key shown to hand on.
        await page.goto(`${base}/accounts/${ACCOUNT_ID}/imports?tab=pgp`);
        await page.getByTestId('pgp-none').waitFor();
        await page.getByTestId('pgp-name').fill('Herald Import');
        await page.getByTestId('pgp-email').fill('import@example.com');
        await page.getByTestId('pgp-passphrase').fill('short');
        await page.getByTestId('pgp-generate').click();
        await page.getByText('At least 8 characters', { exact: true }).waitFor();
        await page.getByTestId('pgp-passphrase').fill('a long enough passphrase');
        await page.getByTestId('pgp-generate').click();
        await page.getByTestId('pgp-fingerprint').waitFor({ timeout: RUN_MS });
        const key = await client.get('/imports/pgp-key');
        expect((await page.getByTestId('pgp-fingerprint').textContent())!.replace(/\s/g, '')).toBe(
          key.fingerprint.toUpperCase(),
        );
        expect(await page.getByTestId('pgp-public-key').textContent()).toContain(
          '-----BEGIN PGP PUBLIC KEY BLOCK-----',
        );

        // A source on a port nobody listens on: saved, then the test stops at "connect".
        await page.getByTestId('tab-sources').click();
        await page.getByTestId('sources-empty').waitFor();
        await page.getByTestId('source-new').click();
        await page.getByTestId('source-name').fill('Nightly export');
        expect(await page.getByTestId('source-port').inputValue()).toBe('22');
        await page.getByTestId('source-protocol').click();
        await page.getByRole('option', { name: 'FTPS (implicit)', exact: true }).click();
        expect(await page.getByTestId('source-port').inputValue()).toBe('990');
        await page.getByTestId('source-protocol').click();
        await page.getByRole('option', { name: 'SFTP', exact: true }).click();
        await page.getByTestId('source-host').fill('127.0.0.1');
        await page.getByTestId('source-port').fill('9');
        await page.getByTestId('source-username').fill('herald');
        await page.getByTestId('source-password').fill('secret');
        await page.getByTestId('source-pattern').fill('export_{date:YYYYMMDD}*.csv');
        await page.getByTestId('source-mapping').click();
        await page.getByRole('option', { name: 'CRM export', exact: true }).click();
        await page.getByTestId('source-save').click();
        const row = page.getByTestId('source-row');
        await row.waitFor();
        expect(await row.textContent()).toContain('127.0.0.1:9');
        const [source] = (await client.get('/imports/sources')).items;
        expect(source).toMatchObject({
          name: 'Nightly export',
          port: 9,
          mappingId: mapping.id,
          hasPassword: true,
        });
        expect(source).not.toHaveProperty('password');

        await row.getByTestId('source-test').click();
        const result = page.getByTestId('connection-test-result');
        await result.waitFor({ timeout: RUN_MS });
        expect(await result.getAttribute('data-ok')).toBe('false');
        const failedStep = page.locator('[data-testid="connection-test-step"][data-ok="false"]');
        expect(await failedStep.getAttribute('data-step')).toBe('connect');
        await page.keyboard.press('Escape');

        // Editing keeps the stored password when its field stays empty.
        await row.getByTestId('source-menu').click();
        await page.getByRole('menuitem', { name: 'Edit' }).click();
        expect(await page.getByTestId('source-password').inputValue()).toBe('');
        await page.getByTestId('source-name').fill('Nightly CRM export');
        await page.getByTestId('source-save').click();
        await row.getByText('Nightly CRM export').waitFor();
        expect((await client.get('/imports/sources')).items[0]).toMatchObject({ hasPassword: true });
        await close();
      },
    );
  },
);
