import { Button, Group, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useState, type ChangeEvent, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { PASSWORD_MIN_LENGTH } from '../../../shared/auth.ts';
import { ApiError } from '../../app/api-client.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useChangePassword } from './use-change-password.ts';

interface Fields {
  current: string;
  next: string;
  repeat: string;
}
const EMPTY: Fields = { current: '', next: '', repeat: '' };

/** Changes the user's password; the current one is asked again so an open session alone cannot do it. */
export function ChangePasswordForm() {
  const { t } = useTranslation();
  const change = useChangePassword();
  const [fields, setFields] = useState<Fields>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<keyof Fields, string>>>({});

  const set = (field: keyof Fields) => (event: ChangeEvent<HTMLInputElement>) => {
    setFields({ ...fields, [field]: event.currentTarget.value });
    if (!change.isIdle) change.reset();
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const found: typeof errors = {};
    if (!fields.current) found.current = t('validation.required');
    if (fields.next.length < PASSWORD_MIN_LENGTH)
      found.next = t('validation.passwordMin', { min: PASSWORD_MIN_LENGTH });
    else if (fields.repeat !== fields.next) found.repeat = t('settings.password.mismatch');
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    change.mutate(
      { currentPassword: fields.current, newPassword: fields.next },
      { onSuccess: () => setFields(EMPTY) },
    );
  };

  // A wrong current password belongs to its field; anything else is a failure of the request.
  const currentWrong = change.error instanceof ApiError && change.error.code === 'INVALID_CREDENTIALS';

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={480}>
        <Title order={4}>{t('settings.password.title')}</Title>
        <Text size="sm" c="dimmed" data-testid="password-effect">
          {t('settings.password.effect')}
        </Text>
        <PasswordInput
          label={t('settings.password.current')}
          autoComplete="current-password"
          value={fields.current}
          onChange={set('current')}
          error={errors.current ?? (currentWrong ? t('settings.password.currentWrong') : undefined)}
          data-testid="password-current"
        />
        <PasswordInput
          label={t('settings.password.new')}
          description={t('validation.passwordMin', { min: PASSWORD_MIN_LENGTH })}
          autoComplete="new-password"
          value={fields.next}
          onChange={set('next')}
          error={errors.next}
          data-testid="password-new"
        />
        <PasswordInput
          label={t('settings.password.repeat')}
          autoComplete="new-password"
          value={fields.repeat}
          onChange={set('repeat')}
          error={errors.repeat}
          data-testid="password-repeat"
        />
        {change.isError && !currentWrong && <ErrorAlert error={change.error} />}
        <Group>
          <Button type="submit" loading={change.isPending} data-testid="password-save">
            {t('settings.password.submit')}
          </Button>
          {change.isSuccess && (
            <Group gap={4} c="green" data-testid="password-changed">
              <IconCheck size={16} aria-hidden />
              <Text size="sm">{t('settings.password.changed')}</Text>
            </Group>
          )}
        </Group>
      </Stack>
    </form>
  );
}
