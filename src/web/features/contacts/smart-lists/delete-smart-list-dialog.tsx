import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SmartList } from '../../../../shared/contacts.ts';
import { ErrorAlert } from '../../../components/error-alert.tsx';
import { useDeleteSmartList } from './use-delete-smart-list.ts';

/** Asks before deleting a SmartList; its contacts stay, only the saved filter goes. */
export function DeleteSmartListDialog({
  accountId,
  smartList,
  onClose,
  onDeleted,
}: {
  accountId: string;
  smartList: SmartList | null;
  onClose: () => void;
  onDeleted: (smartList: SmartList) => void;
}) {
  const { t } = useTranslation();
  const remove = useDeleteSmartList(accountId);

  const close = () => {
    onClose();
    remove.reset();
  };

  return (
    <Modal opened={smartList !== null} onClose={close} title={t('contacts.smartLists.deleteTitle')}>
      <Stack>
        <Text>{t('contacts.smartLists.deleteText', { name: smartList?.name ?? '' })}</Text>
        {remove.isError && <ErrorAlert error={remove.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() =>
              smartList &&
              remove.mutate(smartList.id, {
                onSuccess: () => {
                  close();
                  onDeleted(smartList);
                },
              })
            }
            data-testid="smartlist-delete-confirm"
          >
            {t('common.delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
