import { useTranslation } from 'react-i18next';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
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
    <ConfirmDialog
      opened={ids !== null}
      onClose={close}
      title={t('notifications.delete.title', { count })}
      text={t('notifications.delete.text', { count, formatted: count.toLocaleString(i18n.language) })}
      error={remove.error}
      pending={remove.isPending}
      confirmLabel={t('common.delete')}
      onConfirm={submit}
      confirmTestId="notification-delete-confirm"
      dialogTestId="notification-delete-dialog"
      focusConfirm
    />
  );
}
