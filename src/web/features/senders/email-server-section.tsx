import {
  Button,
  Checkbox,
  Group,
  NumberInput,
  PasswordInput,
  Stack,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MessagingSettings } from '../../../shared/senders.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { invalidFields } from '../../components/invalid-fields.ts';
import { useUpdateMessagingSettings } from './use-messaging-settings.ts';

/** The account's own SMTP server (or the platform's / the outbox) and its email rate. */
export function EmailServerSection({
  accountId,
  settings,
}: {
  accountId: string;
  settings: MessagingSettings;
}) {
  const { t } = useTranslation();
  const update = useUpdateMessagingSettings(accountId);
  const smtp = settings.smtp.configured ? settings.smtp : null;
  const [own, setOwn] = useState(Boolean(smtp));
  const [host, setHost] = useState(smtp?.host ?? '');
  const [port, setPort] = useState<number | string>(smtp?.port ?? 587);
  const [secure, setSecure] = useState(smtp?.secure ?? false);
  const [user, setUser] = useState(smtp?.user ?? '');
  const [password, setPassword] = useState('');
  const [rate, setRate] = useState<number | string>(settings.emailRate ?? '');
  const bad = invalidFields(update.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate(
      {
        smtp: own
          ? {
              host: host.trim(),
              port: Number(port),
              secure,
              user: user.trim(),
              ...(password ? { password } : {}),
            }
          : null,
        emailRate: rate === '' ? null : Number(rate),
      },
      { onSuccess: () => setPassword('') },
    );
  };
  const fallback = settings.smtp.configured ? null : settings.smtp.fallback;

  return (
    <form onSubmit={submit} noValidate data-testid="senders-smtp-form">
      <Stack maw={560}>
        <Title order={4}>{t('senders.smtp.title')}</Title>
        <Switch
          label={t('senders.smtp.own')}
          checked={own}
          onChange={(e) => {
            setOwn(e.currentTarget.checked);
            update.reset();
          }}
          data-testid="senders-smtp-own"
        />
        {!own && (
          <Text size="sm" c="dimmed" data-testid="senders-smtp-fallback">
            {(fallback ?? 'outbox') === 'platform' ? t('senders.smtp.platform') : t('senders.smtp.outbox')}
          </Text>
        )}
        {own && (
          <>
            <Group grow align="flex-start">
              <TextInput
                label={t('senders.smtp.host')}
                value={host}
                onChange={(e) => setHost(e.currentTarget.value)}
                error={bad.includes('body.smtp.host') ? t('senders.invalid') : undefined}
                required
                data-testid="senders-smtp-host"
              />
              <NumberInput
                label={t('senders.smtp.port')}
                value={port}
                onChange={setPort}
                min={1}
                max={65535}
                allowDecimal={false}
                error={bad.includes('body.smtp.port') ? t('senders.invalid') : undefined}
                maw={120}
                data-testid="senders-smtp-port"
              />
            </Group>
            <Checkbox
              label={t('senders.smtp.secure')}
              checked={secure}
              onChange={(e) => setSecure(e.currentTarget.checked)}
            />
            <TextInput
              label={t('senders.smtp.user')}
              value={user}
              onChange={(e) => setUser(e.currentTarget.value)}
              autoComplete="off"
              data-testid="senders-smtp-user"
            />
            <PasswordInput
              label={t('senders.smtp.password')}
              description={smtp?.hasPassword ? t('senders.secretStored') : undefined}
              placeholder={smtp?.hasPassword ? '••••••••' : undefined}
              value={password}
              onChange={(e) => setPassword(e.currentTarget.value)}
              autoComplete="new-password"
              data-testid="senders-smtp-password"
            />
          </>
        )}
        <NumberInput
          label={t('senders.smtp.rate')}
          description={t('senders.rateHint', {
            rate: settings.effectiveEmailRate ?? t('senders.unlimited'),
          })}
          value={rate}
          onChange={setRate}
          min={0.01}
          decimalScale={2}
          maw={240}
          error={bad.includes('body.emailRate') ? t('senders.invalid') : undefined}
          data-testid="senders-email-rate"
        />
        {update.isError && <ErrorAlert error={update.error} />}
        <Group>
          <Button type="submit" loading={update.isPending} data-testid="senders-smtp-save">
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
