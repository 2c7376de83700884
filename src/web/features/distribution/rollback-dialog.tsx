import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { DistributableKind, ElementCopy } from '../../../shared/distribution.ts';
import { ApiError } from '../../app/api-client.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { useRollback } from './use-copies.ts';

/** Why the server refused a rollback, when it said so (409 with a reason); null for other errors. */
function refusal(error: unknown): 'copy_in_use' | 'name_conflict' | 'in_use' | 'substitute' | null {
  if (!(error instanceof ApiError)) return null;
  if (error.code === 'SUBSTITUTE_IN_USE') return 'substitute';
  if (error.code === 'IN_USE') return 'in_use';
  const reason = (error.details as { reason?: unknown } | undefined)?.reason;
  if (error.code === 'CONFLICT' && (reason === 'copy_in_use' || reason === 'name_conflict')) return reason;
  return null;
}

/**
 * Asks before rolling one target's copy back to before the last distribution. A refusal is said in
 * words; when the copy to be removed stands in as a substitute, a second click rolls back anyway.
 */
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
  const refused = refusal(rollback.error);
  return (
    <ConfirmDialog
      opened={copy !== null}
      title={t('distribution.copies.rollbackTitle')}
      text={t(
        copy?.canRollback === false ? 'distribution.copies.removeText' : 'distribution.copies.rollbackText',
        {
          account: copy?.account.name ?? '',
        },
      )}
      notice={
        refused && (
          <Alert
            color={refused === 'substitute' ? 'yellow' : 'red'}
            data-testid="rollback-refused"
            data-reason={refused}
          >
            {t(`distribution.copies.refused.${refused}`)}
          </Alert>
        )
      }
      error={refused ? null : rollback.error}
      pending={rollback.isPending}
      confirmLabel={
        refused === 'substitute' ? t('distribution.copies.rollbackAnyway') : t('distribution.copies.rollback')
      }
      onConfirm={() =>
        copy &&
        rollback.mutate(
          { targetAccountId: copy.account.id, confirm: refused === 'substitute' },
          { onSuccess: close },
        )
      }
      onClose={close}
      confirmTestId="rollback-confirm"
      dialogTestId="rollback-dialog"
    />
  );
}
