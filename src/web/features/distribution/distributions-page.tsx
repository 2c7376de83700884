import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCurrentAccount } from '../../app/use-current-account.ts';
import { HistoryTable } from './history-table.tsx';

/** /accounts/:accountId/distribution: every distribution and activation change this account started. */
export function DistributionsPage() {
  const { t } = useTranslation();
  const account = useCurrentAccount();
  if (!account) return null; // AccountScope shows why
  return (
    <Stack>
      <Stack gap={2}>
        <Title order={2}>{t('distribution.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('distribution.intro')}
        </Text>
      </Stack>
      <HistoryTable key={account.id} accountId={account.id} element={null} />
    </Stack>
  );
}
