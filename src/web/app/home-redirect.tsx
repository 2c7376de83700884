import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { useSession } from './auth/session-context.ts';
import { accountPath, defaultSection } from './sections.ts';

/** `/`: the first account's first section; a user without any account is told so. */
export function HomeRedirect() {
  const { t } = useTranslation();
  const first = useSession().accounts[0];
  if (first) return <Navigate to={accountPath(first.id, defaultSection(first.rights))} replace />;
  return (
    <Stack data-testid="no-accounts">
      <Title order={2}>{t('home.noAccountsTitle')}</Title>
      <Text>{t('home.noAccountsText')}</Text>
    </Stack>
  );
}
