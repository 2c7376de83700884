import { ActionIcon, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { IconPencil, IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SenderProfile } from '../../../shared/senders.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { SenderProfileDialog } from './sender-profile-dialog.tsx';
import { useSubstituteInUseText } from '../distribution/substitute-usage.ts';
import { useDeleteSenderProfile } from './use-sender-profiles.ts';

/** The account's sender profiles: from name and address, reply-to, one default. */
export function SenderProfilesSection({
  accountId,
  profiles,
}: {
  accountId: string;
  profiles: SenderProfile[];
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<SenderProfile | 'new' | null>(null);
  const [deleting, setDeleting] = useState<SenderProfile | null>(null);
  const remove = useDeleteSenderProfile(accountId);
  // A profile standing in for an agency's profile in distributions: said, then deletable anyway.
  const substituteText = useSubstituteInUseText()(deleting?.name ?? '', remove.error);

  return (
    <Stack maw={720}>
      <Group justify="space-between">
        <Title order={4}>{t('senders.profiles.title')}</Title>
        <Button
          variant="light"
          leftSection={<IconPlus size={16} />}
          onClick={() => setEditing('new')}
          data-testid="sender-profile-add"
        >
          {t('senders.profiles.add')}
        </Button>
      </Group>
      {profiles.length === 0 && <Text c="dimmed">{t('senders.profiles.empty')}</Text>}
      {profiles.length > 0 && (
        <Table data-testid="sender-profiles">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('senders.profiles.name')}</Table.Th>
              <Table.Th>{t('senders.profiles.from')}</Table.Th>
              <Table.Th>{t('senders.profiles.replyTo')}</Table.Th>
              <Table.Th aria-label={t('common.actions')} />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {profiles.map((p) => (
              <Table.Tr key={p.id} data-testid="sender-profile-row">
                <Table.Td>
                  <Group gap="xs">
                    {p.name}
                    {p.isDefault && <Badge size="sm">{t('senders.profiles.default')}</Badge>}
                  </Group>
                </Table.Td>
                <Table.Td>{p.fromName ? `${p.fromName} <${p.fromAddress}>` : p.fromAddress}</Table.Td>
                <Table.Td>{p.replyTo ?? '—'}</Table.Td>
                <Table.Td>
                  <Group gap={4} justify="flex-end" wrap="nowrap">
                    <ActionIcon
                      variant="subtle"
                      aria-label={t('senders.profiles.edit')}
                      onClick={() => setEditing(p)}
                    >
                      <IconPencil size={16} />
                    </ActionIcon>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('senders.profiles.delete')}
                      onClick={() => setDeleting(p)}
                    >
                      <IconTrash size={16} />
                    </ActionIcon>
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {editing && (
        <SenderProfileDialog
          key={editing === 'new' ? 'new' : editing.id}
          accountId={accountId}
          profile={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
        />
      )}
      <ConfirmDialog
        opened={deleting !== null}
        title={t('senders.profiles.deleteTitle')}
        text={substituteText ?? t('senders.profiles.deleteText', { name: deleting?.name ?? '' })}
        error={substituteText ? null : remove.error}
        pending={remove.isPending}
        confirmLabel={substituteText ? t('distribution.inUse.deleteAnyway') : t('senders.profiles.delete')}
        confirmTestId="sender-profile-delete-confirm"
        onConfirm={() => {
          if (deleting)
            remove.mutate(
              { id: deleting.id, confirm: substituteText !== null },
              { onSuccess: () => setDeleting(null) },
            );
        }}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
      />
    </Stack>
  );
}
