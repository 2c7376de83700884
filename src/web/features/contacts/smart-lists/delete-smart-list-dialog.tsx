import { useTranslation } from 'react-i18next';
import type { SmartList } from '../../../../shared/contacts.ts';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
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
    <ConfirmDialog
      opened={smartList !== null}
      onClose={close}
      title={t('contacts.smartLists.deleteTitle')}
      text={t('contacts.smartLists.deleteText', { name: smartList?.name ?? '' })}
      error={remove.error}
      pending={remove.isPending}
      confirmLabel={t('common.delete')}
      onConfirm={() =>
        smartList &&
        remove.mutate(smartList.id, {
          onSuccess: () => {
            close();
            onDeleted(smartList);
          },
        })
      }
      confirmTestId="smartlist-delete-confirm"
    />
  );
}
