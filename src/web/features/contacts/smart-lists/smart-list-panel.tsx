import { Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SmartList } from '../../../../shared/contacts.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { DeleteSmartListDialog } from './delete-smart-list-dialog.tsx';
import { RenameSmartListDialog } from './rename-smart-list-dialog.tsx';
import { SmartListItem } from './smart-list-item.tsx';
import { useSmartLists } from './use-smart-lists.ts';

/** The side list of the account's SmartLists, each with its live count. */
export function SmartListPanel({
  accountId,
  activeId,
  canEdit,
  onApply,
  onDeleted,
}: {
  accountId: string;
  activeId: string | null;
  canEdit: boolean;
  onApply: (smartList: SmartList) => void;
  onDeleted: (smartList: SmartList) => void;
}) {
  const { t } = useTranslation();
  const smartLists = useSmartLists(accountId);
  const [renaming, setRenaming] = useState<SmartList | null>(null);
  const [deleting, setDeleting] = useState<SmartList | null>(null);

  return (
    <Paper withBorder p="sm" data-testid="smartlist-panel">
      <Stack gap={4}>
        <Title order={5} mb={4}>
          {t('contacts.smartLists.title')}
        </Title>
        {smartLists.isPending && <Loader size="sm" />}
        {smartLists.isError && (
          <ErrorAlert error={smartLists.error} onRetry={() => void smartLists.refetch()} />
        )}
        {smartLists.data?.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('contacts.smartLists.empty')}
          </Text>
        )}
        {smartLists.data?.map((smartList) => (
          <SmartListItem
            key={smartList.id}
            accountId={accountId}
            smartList={smartList}
            active={smartList.id === activeId}
            canEdit={canEdit}
            onApply={onApply}
            onRename={setRenaming}
            onDelete={setDeleting}
          />
        ))}
      </Stack>
      <RenameSmartListDialog accountId={accountId} smartList={renaming} onClose={() => setRenaming(null)} />
      <DeleteSmartListDialog
        accountId={accountId}
        smartList={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={onDeleted}
      />
    </Paper>
  );
}
