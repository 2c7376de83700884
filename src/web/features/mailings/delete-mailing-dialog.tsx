import { useTranslation } from 'react-i18next';
import type { Mailing } from '../../../shared/mailings.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { substituteUsageOf, useSubstituteInUseText } from '../distribution/substitute-usage.ts';
import { useDeleteMailing } from './use-delete-mailing.ts';

/** Asks before deleting a mailing; says which accounts' mailings it stands in for, then offers to delete anyway. */
export function DeleteMailingDialog({
  accountId,
  mailing,
  onClose,
}: {
  accountId: string;
  mailing: Pick<Mailing, 'id' | 'name'> | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const remove = useDeleteMailing(accountId);
  const inUseText = useSubstituteInUseText();
  const close = () => {
    remove.reset();
    onClose();
  };
  const substituteText = inUseText(mailing?.name ?? '', remove.error);
  const anyway = substituteUsageOf(remove.error) !== null;
  return (
    <ConfirmDialog
      opened={mailing !== null}
      title={t('mailings.delete.title')}
      text={substituteText ?? t('mailings.delete.text', { name: mailing?.name ?? '' })}
      error={anyway ? null : remove.error}
      pending={remove.isPending}
      confirmLabel={anyway ? t('distribution.inUse.deleteAnyway') : t('mailings.delete.confirm')}
      onConfirm={() => mailing && remove.mutate({ id: mailing.id, confirm: anyway }, { onSuccess: close })}
      onClose={close}
      confirmTestId="delete-mailing-confirm"
      dialogTestId="delete-mailing-dialog"
    />
  );
}
