import { describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, SKIP_REASON, logIn, useDemoInBrowser } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/demo.ts';

describe.skipIf(!CHROMIUM_PATH)(
  CHROMIUM_PATH ? 'invitations in Chromium' : `invitations in Chromium (${SKIP_REASON})`,
  () => {
    const demo = useDemoInBrowser();

    it('invites a new user, who sets name and password through the link; an existing user accepts in the menu', async () => {
      const base = demo.herald.url!;
      const owner = await demo.browser.newPage({ locale: 'en-US' });
      await logIn(owner, base, 'owner@nordlicht.example', DEMO_PASSWORD);
      // Account 3 is Velo Berlin in the demo.
      await owner.goto(`${base}/accounts/3/settings`);
      await owner.getByTestId('invite-member').click();
      await owner.getByTestId('invite-email').fill('e2e.newcomer@example.com');
      await owner.getByTestId('invite-submit').click();
      // The demo has no SMTP server: the dialog hands out the link, once.
      const link = (await owner
        .getByTestId('invite-link')
        .locator('.mantine-Text-root')
        .nth(1)
        .textContent())!;
      expect(link).toMatch(/\/invitation#token=inv_/);
      // The dialog lists the pending invitations (the Users tab below it does too).
      expect(
        await owner
          .getByRole('dialog')
          .getByTestId('invitation-row')
          .filter({ hasText: 'e2e.newcomer@example.com' })
          .count(),
      ).toBe(1);

      // Invite an existing user of another account too: the answer looks the same.
      await owner.getByTestId('invite-email').fill('marketer@baeckerei.example');
      await owner.getByTestId('invite-submit').click();
      await owner
        .getByRole('dialog')
        .getByTestId('invitation-row')
        .filter({ hasText: 'marketer@baeckerei.example' })
        .waitFor();
      await owner.close();
      await acceptAsNewUser(link);
      await acceptInMenu();
    }, 120_000);

    async function acceptAsNewUser(link: string) {
      const base = demo.herald.url!;
      const context = await demo.browser.newContext({ locale: 'en-US' });
      const newcomer = await context.newPage();
      await newcomer.goto(link.replace(/^https?:\/\/[^/]+/, base));
      await newcomer.getByTestId('invitation-what').filter({ hasText: 'Velo Berlin' }).waitFor();
      await newcomer.getByTestId('invitation-name').fill('Nina Newcomer');
      await newcomer.getByTestId('invitation-password').fill('nina-password-1');
      await newcomer.getByTestId('invitation-submit').click();
      await newcomer.getByTestId('invitation-done').waitFor();
      await logIn(newcomer, base, 'e2e.newcomer@example.com', 'nina-password-1');
      expect(await newcomer.getByTestId('account-switcher').inputValue()).toBe('Velo Berlin');
      await context.close();
    }

    async function acceptInMenu() {
      const base = demo.herald.url!;
      const mia = await demo.browser.newPage({ locale: 'en-US' });
      await logIn(mia, base, 'marketer@baeckerei.example', DEMO_PASSWORD);
      await mia.getByTestId('avatar-menu').click();
      expect(await mia.getByTestId('menu-invitations-count').textContent()).toBe('1');
      await mia.getByTestId('menu-invitations').click();
      await mia.getByTestId('my-invitation').filter({ hasText: 'Velo Berlin' }).waitFor();
      await mia.getByTestId('invitation-accept').click();
      await mia.getByTestId('invitation-accepted').waitFor();
      await mia.getByTestId('account-switcher').click();
      await mia.getByRole('option', { name: 'Velo Berlin', exact: true }).waitFor();
      await mia.close();
    }
  },
);
