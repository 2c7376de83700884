import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { MyInvitationsList } from '../features/invitations/my-invitations-list.tsx';
import { useSession } from './auth/session-context.ts';
import { accountPath, defaultSection } from './sections.ts';

/** `/`: the first account's first section; a user without any account is told so and sees their invitations. */
export function HomeRedirect() {
  const { t } = useTranslation();
  const first = useSession().accounts[0];
  if (first) return <Navigate to={accountPath(first.id, defaultSection(first.rights))} replace />;
  return (
    <Stack data-testid="no-accounts">
      <Title order={2}>{t('home.noAccountsTitle')}</Title>
      <Text>{t('home.noAccountsText')}</Text>
      {/* Someone invited who has a login already accepts here, right after logging in. */}
      <MyInvitationsList />
    </Stack>
  );
}
