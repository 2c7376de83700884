import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { MyInvitationsList } from './my-invitations-list.tsx';

/** /me/invitations: invitations to the user's email, from any account; accepting joins it. */
export function MyInvitationsPage() {
  const { t } = useTranslation();
  return (
    <Stack maw={720}>
      <Stack gap={2}>
        <Title order={2}>{t('invitations.title')}</Title>
        <Text c="dimmed" size="sm">
          {t('invitations.intro')}
        </Text>
      </Stack>
      <MyInvitationsList />
    </Stack>
  );
}
