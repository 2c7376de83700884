import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_PATH, SKIP_REASON, logIn, useDemoInBrowser } from './browser.ts';
import { DEMO_PASSWORD } from '../../src/server/seed/demo.ts';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.ts';
import { startSmsStub, type SmsStub } from '../helpers/sms-provider-stub.ts';

describe.skipIf(!CHROMIUM_PATH)(
  CHROMIUM_PATH ? 'sender settings in Chromium' : `sender settings in Chromium (${SKIP_REASON})`,
  () => {
    const demo = useDemoInBrowser();
    let sink: SmtpSink;
    let stub: SmsStub;
    beforeAll(async () => {
      [sink, stub] = await Promise.all([startSmtpSink(), startSmsStub()]);
    });
    afterAll(async () => {
      await Promise.all([sink?.close(), stub?.close()]);
    });

    it('sets up SMTP, a sender profile and an SMS provider, and sends a test email and SMS', async () => {
      const base = demo.herald.url!;
      const page = await demo.browser.newPage({ locale: 'de-DE' });
      await logIn(page, base, 'owner@nordlicht.example', DEMO_PASSWORD);
      await page.goto(`${base}/accounts/3/settings?tab=sending`);
      await page.getByTestId('sending-panel').waitFor();

      await page.getByTestId('senders-smtp-own').click();
      await page.getByTestId('senders-smtp-host').fill('127.0.0.1');
      await page.getByTestId('senders-smtp-port').fill(String(sink.port));
      await page.getByTestId('senders-smtp-user').fill('mailer');
      await page.getByTestId('senders-smtp-password').fill('smtp-secret-e2e');
      await page.getByTestId('senders-smtp-save').click();
      await page.getByTestId('senders-hooks').waitFor();
      // The password never comes back into the page.
      expect(await page.getByTestId('senders-smtp-password').inputValue()).toBe('');

      await page.getByTestId('sender-profile-add').click();
      await page.getByTestId('sender-profile-name').fill('Newsletter');
      await page.getByTestId('sender-profile-from-name').fill('Velo Berlin');
      await page.getByTestId('sender-profile-from-address').fill('kein-gueltiger-absender');
      await page.getByTestId('sender-profile-save').click();
      await page.locator('[data-testid="sender-profile-from-address"][aria-invalid="true"]').waitFor();
      await page.getByTestId('sender-profile-from-address').fill('news@velo.example');
      // The demo's Velo already has a default profile (its substitute for the agency's sender): the
      // new one takes over, and the test email goes out from it.
      await page.getByTestId('sender-profile-default').check();
      await page.getByTestId('sender-profile-save').click();
      await page.getByTestId('sender-profile-row').filter({ hasText: 'news@velo.example' }).waitFor();

      await page.getByTestId('senders-test-email-to').fill('probe@kunde.example');
      await page.getByTestId('senders-test-email').click();
      await page.locator('[data-testid="senders-test-email-result"][data-ok="true"]').waitFor();
      const [mail] = await sink.waitFor(1);
      expect(mail).toMatchObject({ from: 'news@velo.example', to: ['probe@kunde.example'], user: 'mailer' });

      await page.getByTestId('senders-sms-provider').click();
      await page.getByRole('option', { name: 'Twilio' }).click();
      await page.getByTestId('senders-sms-from').fill('+4915100000000');
      await page.getByTestId('senders-sms-account').fill(stub.twilio.accountSid);
      await page.getByTestId('senders-sms-secret').fill(stub.twilio.authToken);
      await page.getByTestId('senders-sms-base-url').fill(stub.url);
      await page.getByTestId('senders-sms-save').click();
      await page.getByTestId('senders-sms-configured').waitFor();
      await page.getByTestId('senders-hook-sms-status').waitFor();
      expect(await page.content()).not.toContain(stub.twilio.authToken);

      await page.getByTestId('senders-test-sms-to').fill('0151 23456789');
      await page.getByTestId('senders-test-sms').click();
      await page.locator('[data-testid="senders-test-sms-result"][data-ok="true"]').waitFor();
      expect(stub.accepted().map((r) => r.to)).toEqual(['4915123456789']);
      await page.close();
    }, 120_000);
  },
);
