import {
  Button,
  Group,
  NumberInput,
  PasswordInput,
  Select,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SmsProvider } from '../../../shared/messaging.ts';
import type { MessagingSettings, SmsSettingsBody } from '../../../shared/senders.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { invalidFields } from '../../components/invalid-fields.ts';
import { useUpdateMessagingSettings } from './use-messaging-settings.ts';

type Choice = SmsProvider | 'none';

/** The SMS provider, its credentials (write-only), the sender and the SMS rate. */
export function SmsProviderSection({
  accountId,
  settings,
}: {
  accountId: string;
  settings: MessagingSettings;
}) {
  const { t } = useTranslation();
  const update = useUpdateMessagingSettings(accountId);
  const sms = settings.sms;
  const [provider, setProvider] = useState<Choice>(sms?.provider ?? 'none');
  const [baseUrl, setBaseUrl] = useState(sms?.baseUrl ?? '');
  const [from, setFrom] = useState(sms?.from ?? '');
  // The stored id is masked: typing it again is needed only to change it.
  const [accountKey, setAccountKey] = useState('');
  const [secret, setSecret] = useState('');
  const [signatureSecret, setSignatureSecret] = useState('');
  const [rate, setRate] = useState<number | string>(settings.smsRate ?? '');
  const bad = invalidFields(update.error);
  const sameProvider = sms?.provider === provider;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    let body: SmsSettingsBody | null = null;
    if (provider !== 'none') {
      const common = { baseUrl: baseUrl.trim() || null, from: from.trim() };
      body =
        provider === 'twilio'
          ? {
              provider,
              ...common,
              credentials: { accountSid: accountKey.trim(), ...(secret ? { authToken: secret } : {}) },
            }
          : {
              provider,
              ...common,
              credentials: {
                apiKey: accountKey.trim(),
                ...(secret ? { apiSecret: secret } : {}),
                ...(signatureSecret ? { signatureSecret } : {}),
              },
            };
    }
    update.mutate(
      { sms: body, smsRate: rate === '' ? null : Number(rate) },
      {
        onSuccess: () => {
          setSecret('');
          setSignatureSecret('');
        },
      },
    );
  };
  const fieldError = (...fields: string[]) =>
    fields.some((f) => bad.includes(f)) ? t('senders.invalid') : undefined;

  return (
    <form onSubmit={submit} noValidate data-testid="senders-sms-form">
      <Stack maw={560}>
        <Title order={4}>{t('senders.sms.title')}</Title>
        <Select
          label={t('senders.sms.provider')}
          data={[
            { value: 'none', label: t('senders.sms.none') },
            { value: 'twilio', label: 'Twilio' },
            { value: 'vonage', label: 'Vonage' },
          ]}
          value={provider}
          onChange={(v) => {
            setProvider(v ?? 'none');
            update.reset();
          }}
          allowDeselect={false}
          data-testid="senders-sms-provider"
        />
        {sms && sameProvider && (
          <Text size="sm" c="dimmed" data-testid="senders-sms-configured">
            {t('senders.sms.configured', { id: sms.accountId })}
          </Text>
        )}
        {provider !== 'none' && (
          <>
            <TextInput
              label={t('senders.sms.from')}
              description={t('senders.sms.fromHint')}
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
              error={fieldError('body.sms.from')}
              required
              data-testid="senders-sms-from"
            />
            <TextInput
              label={provider === 'twilio' ? t('senders.sms.accountSid') : t('senders.sms.apiKey')}
              description={sms && sameProvider ? t('senders.sms.retypeId') : undefined}
              value={accountKey}
              onChange={(e) => setAccountKey(e.currentTarget.value)}
              error={fieldError('body.sms.credentials.accountSid', 'body.sms.credentials.apiKey')}
              autoComplete="off"
              required
              data-testid="senders-sms-account"
            />
            <PasswordInput
              label={provider === 'twilio' ? t('senders.sms.authToken') : t('senders.sms.apiSecret')}
              description={sms && sameProvider ? t('senders.secretStored') : undefined}
              placeholder={sms && sameProvider ? '••••••••' : undefined}
              value={secret}
              onChange={(e) => setSecret(e.currentTarget.value)}
              error={fieldError('body.sms.credentials.authToken', 'body.sms.credentials.apiSecret')}
              autoComplete="new-password"
              data-testid="senders-sms-secret"
            />
            {provider === 'vonage' && (
              <PasswordInput
                label={t('senders.sms.signatureSecret')}
                description={
                  sms?.hasSignatureSecret && sameProvider
                    ? t('senders.secretStored')
                    : t('senders.sms.signatureSecretHint')
                }
                value={signatureSecret}
                onChange={(e) => setSignatureSecret(e.currentTarget.value)}
                autoComplete="new-password"
              />
            )}
            <TextInput
              label={t('senders.sms.baseUrl')}
              description={t('senders.sms.baseUrlHint')}
              placeholder={provider === 'twilio' ? 'https://api.twilio.com' : 'https://rest.nexmo.com'}
              value={baseUrl}
              onChange={(e) => setBaseUrl(e.currentTarget.value)}
              error={fieldError('body.sms.baseUrl')}
              data-testid="senders-sms-base-url"
            />
          </>
        )}
        <NumberInput
          label={t('senders.sms.rate')}
          description={t('senders.rateHint', { rate: settings.effectiveSmsRate ?? t('senders.unlimited') })}
          value={rate}
          onChange={setRate}
          min={0.01}
          decimalScale={2}
          maw={240}
          error={fieldError('body.smsRate')}
          data-testid="senders-sms-rate"
        />
        {update.isError && <ErrorAlert error={update.error} />}
        <Group>
          <Button type="submit" loading={update.isPending} data-testid="senders-sms-save">
            {t('common.save')}
          </Button>
          {update.isSuccess && (
            <Group gap={4} c="green">
              <IconCheck size={16} aria-hidden />
              <Text size="sm">{t('senders.saved')}</Text>
            </Group>
          )}
        </Group>
      </Stack>
    </form>
  );
}
