import { Button, Group, Loader, Stack, Table, Text } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Member } from '../../../shared/accounts.ts';
import type { MyAccount } from '../../../shared/auth.ts';
import { useSession } from '../../app/auth/session-context.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { InvitationsList } from './invitations-list.tsx';
import { InviteMemberDialog } from './invite-member-dialog.tsx';
import { MemberRow } from './member-row.tsx';
import { RemoveMemberDialog } from './remove-member-dialog.tsx';
import { useMembers } from './use-members.ts';

/** The Users tab: who can work in this account, and as what. */
export function MembersPanel({ account }: { account: MyAccount }) {
  const { t } = useTranslation();
  const { user } = useSession();
  const members = useMembers(account.id);
  const [inviting, setInviting] = useState(false);
  const [removing, setRemoving] = useState<Member | null>(null);

  return (
    <Stack>
      <Group justify="flex-end">
        <Button
          leftSection={<IconUserPlus size={16} />}
          onClick={() => setInviting(true)}
          data-testid="invite-member"
        >
          {t('accountSettings.users.invite')}
        </Button>
      </Group>
      {members.isPending && <Loader size="sm" />}
      {members.isError && <ErrorAlert error={members.error} onRetry={() => void members.refetch()} />}
      {members.data?.length === 0 && <Text c="dimmed">{t('accountSettings.users.empty')}</Text>}
      {members.data && members.data.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="sm" data-testid="member-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('accountSettings.users.name')}</Table.Th>
                <Table.Th>{t('accountSettings.users.email')}</Table.Th>
                <Table.Th>{t('accountSettings.users.role')}</Table.Th>
                <Table.Th aria-label={t('common.actions')} />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.data.map((member) => (
                <MemberRow
                  key={member.userId}
                  accountId={account.id}
                  member={member}
                  isMe={member.userId === user.id}
                  onRemove={setRemoving}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <InvitationsList accountId={account.id} />
      <InviteMemberDialog accountId={account.id} opened={inviting} onClose={() => setInviting(false)} />
      <RemoveMemberDialog
        accountId={account.id}
        accountName={account.name}
        member={removing}
        onClose={() => setRemoving(null)}
      />
    </Stack>
  );
}
