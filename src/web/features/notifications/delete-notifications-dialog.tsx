import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useDeleteNotifications } from './use-delete-notifications.ts';

/** Asks before deleting notifications; they go for this user only, other recipients keep theirs. */
export function DeleteNotificationsDialog({
  accountId,
  ids,
  onClose,
  onDeleted,
}: {
  accountId: string;
  /** The notifications to delete; null while the dialog is closed. */
  ids: readonly string[] | null;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const { t, i18n } = useTranslation();
  const remove = useDeleteNotifications(accountId);
  const count = ids?.length ?? 0;

  const close = () => {
    onClose();
    remove.reset();
  };
  const submit = () => {
    if (!ids || ids.length === 0) return;
    remove.mutate(
      { selection: { ids: [...ids] } },
      {
        onSuccess: () => {
          close();
          onDeleted();
        },
      },
    );
  };

  return (
    <Modal
      opened={ids !== null}
      onClose={close}
      title={t('notifications.delete.title', { count })}
      data-testid="notification-delete-dialog"
    >
      <Stack>
        <Text>
          {t('notifications.delete.text', { count, formatted: count.toLocaleString(i18n.language) })}
        </Text>
        {remove.isError && <ErrorAlert error={remove.error} />}
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common.cancel')}
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={submit}
            data-autofocus
            data-testid="notification-delete-confirm"
          >
            {t('common.delete')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
