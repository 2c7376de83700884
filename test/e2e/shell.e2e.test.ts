import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, SKIP_REASON, logIn, useDemoInBrowser } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/demo.ts';

describe.skipIf(!CHROMIUM_PATH)(
  CHROMIUM_PATH ? 'web shell in Chromium' : `web shell in Chromium (${SKIP_REASON})`,
  () => {
    const demo = useDemoInBrowser();

    it('logs in, switches account, switches to German and logs out', async () => {
      const base = demo.herald.url!;
      const page = await demo.browser.newPage({ locale: 'en-US' });
      await logIn(page, base, 'owner@nordlicht.example', DEMO_PASSWORD);
      expect(await page.getByTestId('nav-contacts').textContent()).toBe('Contacts');

      // Switch to a sub-account: the URL follows and the section stays.
      await page.getByTestId('nav-imports').click();
      await page.waitForURL(/\/imports$/);
      const agencyPath = new URL(page.url()).pathname;
      await page.getByTestId('account-switcher').click();
      await page.getByRole('option', { name: 'Velo Berlin', exact: true }).click();
      await page.waitForURL((url) => url.pathname !== agencyPath && url.pathname.endsWith('/imports'));
      await page.getByTestId('account-switcher').and(page.locator('[value="Velo Berlin"]')).waitFor();
      expect(await page.getByTestId('account-switcher').inputValue()).toBe('Velo Berlin');

      // German via My settings: the navigation speaks German at once.
      await page.getByTestId('avatar-menu').click();
      await page.getByTestId('menu-settings').click();
      await page.getByTestId('settings-language').click();
      await page.getByRole('option', { name: 'Deutsch', exact: true }).click();
      await page.getByTestId('settings-save').click();
      await page.getByTestId('nav-contacts').filter({ hasText: 'Kontakte' }).waitFor();
      expect(await page.getByTestId('nav-bulk-actions').textContent()).toBe('Massenaktionen');

      // And it stays German after a reload: the setting is stored on the user.
      await page.reload();
      await page.getByTestId('nav-contacts').filter({ hasText: 'Kontakte' }).waitFor();

      await page.getByTestId('avatar-menu').click();
      expect(await page.getByTestId('menu-logout').textContent()).toContain('Abmelden');
      await page.getByTestId('menu-logout').click();
      await page.waitForURL(/\/login/);
      const me = await page.request.get(`${base}/api/me`);
      expect(me.status()).toBe(401);
      await page.close();
    });

    it('shows "Notifications" in the avatar menu only with the right', async () => {
      const base = demo.herald.url!;
      const page = await demo.browser.newPage({ locale: 'en-US' });
      await logIn(page, base, 'viewer@velo.example', DEMO_PASSWORD);
      await page.getByTestId('avatar-menu').click();
      await page.getByTestId('menu-logout').waitFor();
      expect(await page.getByTestId('menu-notifications').count()).toBe(0);
      await page.close();

      const analyst = await demo.browser.newPage({ locale: 'en-US' });
      await logIn(analyst, base, 'analyst@velo.example', DEMO_PASSWORD);
      // Rights are per account: the analyst is a viewer in Bäckerei and an analyst in Velo Berlin.
      await analyst.getByTestId('account-switcher').click();
      await analyst.getByRole('option', { name: 'Velo Berlin', exact: true }).click();
      await analyst.getByTestId('account-switcher').and(analyst.locator('[value="Velo Berlin"]')).waitFor();
      await analyst.getByTestId('avatar-menu').click();
      await analyst.getByTestId('menu-notifications').waitFor();
      await analyst.close();
    });
  },
);
