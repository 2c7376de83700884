import { Button, Card, Group, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { useAcceptMyInvitation, useDeclineMyInvitation, useMyInvitations } from './use-my-invitations.ts';

/** The logged-in user's pending invitations, each to accept or decline. */
export function MyInvitationsList() {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const invitations = useMyInvitations();
  const accept = useAcceptMyInvitation();
  const decline = useDeclineMyInvitation();

  if (invitations.isPending) return <Loader size="sm" aria-label={t('common.loading')} />;
  if (invitations.isError)
    return <ErrorAlert error={invitations.error} onRetry={() => void invitations.refetch()} />;
  return (
    <Stack data-testid="my-invitations">
      {accept.isError && <ErrorAlert error={accept.error} />}
      {decline.isError && <ErrorAlert error={decline.error} />}
      {accept.isSuccess && (
        <Text size="sm" data-testid="invitation-accepted">
          {t('invitations.accepted')}{' '}
          <Link to={`/accounts/${encodeURIComponent(accept.data.accountId)}`}>{t('invitations.open')}</Link>
        </Text>
      )}
      {invitations.data.length === 0 && (
        <Text c="dimmed" data-testid="my-invitations-empty">
          {t('invitations.none')}
        </Text>
      )}
      {invitations.data.map((invitation) => (
        <Card key={invitation.id} withBorder data-testid="my-invitation">
          <Group justify="space-between" wrap="nowrap">
            <Stack gap={2}>
              <Text fw={600}>{invitation.accountName}</Text>
              <Text size="sm">
                {invitation.invitedBy
                  ? t('invitations.byWhom', {
                      name: invitation.invitedBy,
                      role: t(`roles.${invitation.role}`),
                    })
                  : t('invitations.asRole', { role: t(`roles.${invitation.role}`) })}
              </Text>
              <Text size="xs" c="dimmed">
                {t('invitations.expires', { date: formatDateTime(invitation.expiresAt) })}
              </Text>
            </Stack>
            <Group gap="xs" wrap="nowrap">
              <Button
                variant="default"
                onClick={() => decline.mutate(invitation.id)}
                loading={decline.isPending && decline.variables === invitation.id}
                data-testid="invitation-decline"
              >
                {t('invitations.decline')}
              </Button>
              <Button
                onClick={() => accept.mutate(invitation.id)}
                loading={accept.isPending && accept.variables === invitation.id}
                data-testid="invitation-accept"
              >
                {t('invitations.accept')}
              </Button>
            </Group>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
