import { ActionIcon, Badge, Group, Select, Table, Text, Tooltip } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Member } from '../../../shared/accounts.ts';
import type { Role } from '../../../shared/rights.ts';
import { useErrorMessage } from '../../components/use-error-message.ts';
import { roleOptions } from './role-options.ts';
import { useUpdateMemberRole } from './use-update-member-role.ts';

interface MemberRowProps {
  accountId: string;
  member: Member;
  isMe: boolean;
  onRemove: (member: Member) => void;
}

/** One user of the account; the role changes as soon as another is picked. */
export function MemberRow({ accountId, member, isMe, onRemove }: MemberRowProps) {
  const { t } = useTranslation();
  const errorMessage = useErrorMessage();
  const updateRole = useUpdateMemberRole(accountId);

  return (
    <Table.Tr data-testid="member-row">
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Text size="sm">{member.name}</Text>
          {isMe && (
            <Badge size="xs" variant="light">
              {t('accountSettings.users.you')}
            </Badge>
          )}
        </Group>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{member.email}</Text>
      </Table.Td>
      <Table.Td>
        <Select<Role>
          aria-label={t('accountSettings.users.roleOf', { name: member.name })}
          data={roleOptions(t)}
          // While saving, show the role being saved rather than jumping back.
          value={updateRole.isPending ? updateRole.variables.role : member.role}
          onChange={(role) =>
            role && role !== member.role && updateRole.mutate({ userId: member.userId, role })
          }
          allowDeselect={false}
          disabled={updateRole.isPending}
          error={updateRole.isError ? errorMessage(updateRole.error) : undefined}
          size="xs"
          w={180}
          data-testid="member-role"
        />
      </Table.Td>
      <Table.Td ta="right">
        <Tooltip label={t('accountSettings.users.remove')}>
          <ActionIcon
            variant="subtle"
            color="red"
            onClick={() => onRemove(member)}
            aria-label={t('accountSettings.users.removeNamed', { name: member.name })}
            data-testid="member-remove"
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Tooltip>
      </Table.Td>
    </Table.Tr>
  );
}
