import { useTranslation } from 'react-i18next';
import type { DistributableKind, ElementCopy } from '../../../shared/distribution.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { useRollback } from './use-copies.ts';

/** Asks before rolling one target's copy back to before the last distribution. */
export function RollbackDialog({
  accountId,
  kind,
  elementId,
  copy,
  onClose,
}: {
  accountId: string;
  kind: DistributableKind;
  elementId: string;
  copy: ElementCopy | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const rollback = useRollback(accountId, kind, elementId);
  const close = () => {
    rollback.reset();
    onClose();
  };
  return (
    <ConfirmDialog
      opened={copy !== null}
      title={t('distribution.copies.rollbackTitle')}
      text={t('distribution.copies.rollbackText', { account: copy?.account.name ?? '' })}
      error={rollback.error}
      pending={rollback.isPending}
      confirmLabel={t('distribution.copies.rollback')}
      onConfirm={() => copy && rollback.mutate(copy.account.id, { onSuccess: close })}
      onClose={close}
      confirmTestId="rollback-confirm"
      dialogTestId="rollback-dialog"
    />
  );
}
