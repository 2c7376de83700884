import { useTranslation } from 'react-i18next';
import type { SmartList } from '../../../../shared/contacts.ts';
import { ConfirmDialog } from '../../../components/confirm-dialog.tsx';
import { useSubstituteInUseText } from '../../distribution/substitute-usage.ts';
import { useDeleteSmartList } from './use-delete-smart-list.ts';

/**
 * Asks before deleting a SmartList; its contacts stay, only the saved filter goes. One that stands
 * in for an agency's SmartList says so, then deletes anyway.
 */
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
  const substituteText = useSubstituteInUseText()(smartList?.name ?? '', remove.error);

  const close = () => {
    onClose();
    remove.reset();
  };

  return (
    <ConfirmDialog
      opened={smartList !== null}
      onClose={close}
      title={t('contacts.smartLists.deleteTitle')}
      text={substituteText ?? t('contacts.smartLists.deleteText', { name: smartList?.name ?? '' })}
      error={substituteText ? null : remove.error}
      pending={remove.isPending}
      confirmLabel={substituteText ? t('distribution.inUse.deleteAnyway') : t('common.delete')}
      onConfirm={() =>
        smartList &&
        remove.mutate(
          { id: smartList.id, confirm: substituteText !== null },
          {
            onSuccess: () => {
              close();
              onDeleted(smartList);
            },
          },
        )
      }
      confirmTestId="smartlist-delete-confirm"
    />
  );
}
