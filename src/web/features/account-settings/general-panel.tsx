import { Button, Group, Stack, Text } from '@mantine/core';
import { IconCheck } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { MyAccount } from '../../../shared/auth.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { TimeZoneSelect } from '../../components/time-zone-select.tsx';
import { useUpdateAccount } from './use-update-account.ts';

/** The account's general settings: its time zone, in which its calendar days are read. */
export function GeneralPanel({ account }: { account: MyAccount }) {
  const { t } = useTranslation();
  const update = useUpdateAccount(account.id);
  const [timeZone, setTimeZone] = useState(account.timeZone);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    update.mutate({ timeZone });
  };

  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={480}>
        <TimeZoneSelect
          label={t('accountSettings.general.timeZone')}
          description={t('accountSettings.general.timeZoneHint')}
          value={timeZone}
          onChange={(zone) => {
            if (zone) setTimeZone(zone);
            if (!update.isIdle) update.reset();
          }}
          data-testid="account-time-zone"
        />
        {update.isError && <ErrorAlert error={update.error} />}
        <Group>
          <Button type="submit" loading={update.isPending} data-testid="account-settings-save">
            {t('common.save')}
          </Button>
          {update.isSuccess && (
            <Group gap={4} c="green" data-testid="account-settings-saved">
              <IconCheck size={16} aria-hidden />
              <Text size="sm">{t('accountSettings.general.saved')}</Text>
            </Group>
          )}
        </Group>
      </Stack>
    </form>
  );
}
