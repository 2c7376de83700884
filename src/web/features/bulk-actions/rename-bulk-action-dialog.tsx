import { useTranslation } from 'react-i18next';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import { RenameDialog } from '../../components/rename-dialog.tsx';
import { useRenameBulkAction } from './use-rename-bulk-action.ts';

const NAME_MAX = 300;

export function RenameBulkActionDialog({
  accountId,
  action,
  onClose,
}: {
  accountId: string;
  action: BulkAction | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const rename = useRenameBulkAction(accountId);

  return (
    <RenameDialog
      current={action?.name ?? null}
      title={t('bulkActions.dialogs.rename.title')}
      label={t('bulkActions.dialogs.rename.field')}
      maxLength={NAME_MAX}
      pending={rename.isPending}
      error={rename.error}
      onRename={(name, done) => action && rename.mutate({ actionId: action.id, name }, { onSuccess: done })}
      onClose={() => {
        onClose();
        rename.reset();
      }}
      inputTestId="bulk-rename-input"
      submitTestId="bulk-confirm"
    />
  );
}
