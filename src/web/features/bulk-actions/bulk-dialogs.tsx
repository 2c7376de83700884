import type { BulkAction } from '../../../shared/bulk-actions.ts';
import type { BulkDialogTarget } from './bulk-dialog-target.ts';
import { ConfirmControlDialog, type ConfirmedControl } from './confirm-control-dialog.tsx';
import { EditScheduleDialog } from './edit-schedule-dialog.tsx';
import { RenameBulkActionDialog } from './rename-bulk-action-dialog.tsx';
import { RestoreDialog } from './restore-dialog.tsx';

function confirmed(
  target: BulkDialogTarget | null,
): { control: ConfirmedControl; action: BulkAction } | null {
  if (!target) return null;
  switch (target.kind) {
    case 'pause':
    case 'resume':
    case 'cancel':
    case 'retry_failed':
    case 'undo':
      return { control: target.kind, action: target.action };
    case 'restore':
    case 'edit_schedule':
    case 'rename':
      return null;
  }
}

/** The dialog a row-menu entry opened (each dialog owns its mutation). */
export function BulkDialogs({
  accountId,
  target,
  onClose,
}: {
  accountId: string;
  target: BulkDialogTarget | null;
  onClose: () => void;
}) {
  const only = (kind: BulkDialogTarget['kind']) => (target?.kind === kind ? target.action : null);
  return (
    <>
      <ConfirmControlDialog accountId={accountId} target={confirmed(target)} onClose={onClose} />
      <RestoreDialog accountId={accountId} action={only('restore')} onClose={onClose} />
      <EditScheduleDialog accountId={accountId} action={only('edit_schedule')} onClose={onClose} />
      <RenameBulkActionDialog accountId={accountId} action={only('rename')} onClose={onClose} />
    </>
  );
}
