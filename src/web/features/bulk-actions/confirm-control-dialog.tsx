import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { RESTORE_WINDOW_DAYS, type BulkAction } from '../../../shared/bulk-actions.ts';
import { useFormatNumber } from '../../components/use-format-number.ts';
import { ControlError, ControlGone } from './control-error.tsx';
import { useBulkNotifications } from './bulk-notifications.tsx';
import { useActionName } from './bulk-status.tsx';
import { isPreparing } from './preparing.ts';
import { useBulkControl, type SimpleControl } from './use-bulk-control.ts';
import { isMessagingType } from '../messaging/messaging-api.ts';

/** The controls confirmed with a plain "this will happen" dialog. */
export type ConfirmedControl = Exclude<SimpleControl, 'restore'>;

/**
 * Asks before pause, resume, cancel, retry failed and undo, saying what will happen with this
 * action's own numbers. Retry and undo queue a new action, announced with a link to it.
 */
export function ConfirmControlDialog({
  accountId,
  target,
  onClose,
}: {
  accountId: string;
  target: { control: ConfirmedControl; action: BulkAction } | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const run = useBulkControl(accountId);
  const notify = useBulkNotifications();
  const nameOf = useActionName();
  const text = useControlText();

  const close = () => {
    onClose();
    run.reset();
  };
  const submit = () => {
    if (!target) return;
    run.mutate(target, {
      onSuccess: (answer) => {
        close();
        if (answer.id !== target.action.id) notify.queued(accountId, answer, 'stats');
      },
    });
  };
  const control = target?.control;
  // The action moved on while the dialog was open (it finished, someone else paused it).
  const gone = target !== null && !target.action.controls.includes(target.control) && !run.isPending;

  return (
    <Modal
      opened={target !== null}
      onClose={close}
      title={control ? t(`bulkActions.dialogs.${control}.title`) : ''}
      data-testid="bulk-dialog"
    >
      {target && (
        <Stack>
          <Text fw={600} size="sm">
            {nameOf(target.action)}
          </Text>
          {text(target.control, target.action).map((paragraph) => (
            <Text key={paragraph} data-testid="bulk-dialog-text">
              {paragraph}
            </Text>
          ))}
          {gone && !run.isError && <ControlGone />}
          {run.isError && (
            <ControlError accountId={accountId} actionId={target.action.id} error={run.error} />
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {target.control === 'cancel'
                ? t('bulkActions.dialogs.cancel.keep')
                : t('bulkActions.dialogs.keep')}
            </Button>
            <Button
              color={target.control === 'cancel' ? 'red' : undefined}
              loading={run.isPending}
              disabled={gone}
              onClick={submit}
              data-autofocus
              data-testid="bulk-confirm"
            >
              {t(`bulkActions.dialogs.${target.control}.submit`)}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}

/** What a control will do to this action, as paragraphs. */
function useControlText(): (control: ConfirmedControl, action: BulkAction) => string[] {
  const { t } = useTranslation();
  const n = useFormatNumber();
  return (control, action) => {
    const open = Math.max(0, action.total - action.processed);
    const remaining = n(open);
    const tag = action.params.tagName ?? '';
    // Messages are not chunks: what pause and cancel do to them is said in their own words.
    if (isMessagingType(action.type) && !isPreparing(action)) {
      switch (control) {
        case 'pause':
          return [t('messaging.controls.pause', { processed: n(action.processed), remaining })];
        case 'resume':
          return [t('messaging.controls.resume', { count: open, formatted: remaining })];
        case 'cancel':
          return [t('messaging.controls.cancel', { processed: n(action.processed), remaining })];
        case 'retry_failed':
        case 'undo':
          break;
      }
    }
    switch (control) {
      case 'pause':
        return [t('bulkActions.dialogs.pause.text', { processed: n(action.processed), remaining })];
      case 'resume':
        return [t('bulkActions.dialogs.resume.text', { count: open, formatted: remaining })];
      case 'cancel':
        // While preparing nothing is processed yet: "processed so far: 0" would only puzzle.
        if (isPreparing(action)) return [t('bulkActions.dialogs.cancel.preparingText')];
        return [
          t('bulkActions.dialogs.cancel.text', { processed: n(action.processed), remaining }),
          ...(action.type === 'delete_contacts'
            ? [t('bulkActions.dialogs.cancel.deleteNote', { days: RESTORE_WINDOW_DAYS })]
            : []),
        ];
      case 'retry_failed':
        return [
          t('bulkActions.dialogs.retry_failed.text', { count: action.failed, formatted: n(action.failed) }),
        ];
      case 'undo':
        return [
          action.type === 'remove_tag'
            ? t('bulkActions.dialogs.undo.removeText', {
                count: action.succeeded,
                formatted: n(action.succeeded),
                tag,
              })
            : t('bulkActions.dialogs.undo.addText', {
                count: action.succeeded,
                formatted: n(action.succeeded),
                tag,
              }),
        ];
    }
  };
}
