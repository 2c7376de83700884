import { ActionIcon, Badge, Group, Loader, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { useInvitations } from './use-invitations.ts';
import { useRevokeInvitation } from './use-revoke-invitation.ts';

/** Pending invitations of the account, each with its expiry, whether the email went out, and revoke. */
export function InvitationsList({ accountId }: { accountId: string }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const invitations = useInvitations(accountId);
  const revoke = useRevokeInvitation(accountId);

  if (invitations.isPending) return <Loader size="sm" />;
  if (invitations.isError)
    return <ErrorAlert error={invitations.error} onRetry={() => void invitations.refetch()} />;
  return (
    <Stack gap="xs" data-testid="invitations">
      <Text fw={600} size="sm">
        {t('accountSettings.invitations.title')}
      </Text>
      {invitations.data.length === 0 ? (
        <Text c="dimmed" size="sm" data-testid="invitations-empty">
          {t('accountSettings.invitations.empty')}
        </Text>
      ) : (
        <Table verticalSpacing="xs" data-testid="invitation-table">
          <Table.Tbody>
            {invitations.data.map((invitation) => (
              <Table.Tr key={invitation.id} data-testid="invitation-row">
                <Table.Td>
                  <Text size="sm">{invitation.email}</Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm">{t(`roles.${invitation.role}`)}</Text>
                </Table.Td>
                <Table.Td>
                  <Group gap="xs" wrap="nowrap">
                    <Text size="xs" c="dimmed">
                      {t('accountSettings.invitations.expires', {
                        date: formatDateTime(invitation.expiresAt),
                      })}
                    </Text>
                    {invitation.emailStatus === 'failed' && (
                      <Badge size="xs" color="red" variant="light">
                        {t('accountSettings.invitations.emailFailed')}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td ta="right">
                  <Tooltip label={t('accountSettings.invitations.revoke')}>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      onClick={() => revoke.mutate(invitation.id)}
                      loading={revoke.isPending && revoke.variables === invitation.id}
                      aria-label={t('accountSettings.invitations.revokeNamed', { email: invitation.email })}
                      data-testid="invitation-revoke"
                    >
                      <IconX size={16} />
                    </ActionIcon>
                  </Tooltip>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {revoke.isError && <ErrorAlert error={revoke.error} />}
    </Stack>
  );
}
