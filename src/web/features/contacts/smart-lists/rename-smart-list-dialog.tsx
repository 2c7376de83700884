import { useTranslation } from 'react-i18next';
import type { SmartList } from '../../../../shared/contacts.ts';
import { ApiError } from '../../../app/api-client.ts';
import { RenameDialog } from '../../../components/rename-dialog.tsx';
import { useUpdateSmartList } from './use-update-smart-list.ts';

export function RenameSmartListDialog({
  accountId,
  smartList,
  onClose,
}: {
  accountId: string;
  smartList: SmartList | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const update = useUpdateSmartList(accountId);
  const nameTaken = update.error instanceof ApiError && update.error.status === 409;

  return (
    <RenameDialog
      current={smartList?.name ?? null}
      title={t('contacts.smartLists.renameTitle')}
      label={t('contacts.smartLists.name')}
      maxLength={200}
      pending={update.isPending}
      error={nameTaken ? null : update.error}
      fieldError={nameTaken ? t('contacts.smartLists.nameTaken') : null}
      onRename={(name, done) =>
        smartList && update.mutate({ smartListId: smartList.id, body: { name } }, { onSuccess: done })
      }
      onClose={() => {
        onClose();
        update.reset();
      }}
      inputTestId="smartlist-rename-name"
      submitTestId="smartlist-rename-submit"
    />
  );
}
