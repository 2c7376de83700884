import { Button, Center, Group, Loader, Modal, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { useBulkNotifications } from './bulk-notifications.tsx';
import { ControlError, ControlGone } from './control-error.tsx';
import { useBulkControl } from './use-bulk-control.ts';
import { useRestorePreview } from './use-restore-preview.ts';

/**
 * Restore of a delete action: asks the server how many contacts come back and until when restore
 * is possible, says so, and queues the restore (a new action in the table).
 */
export function RestoreDialog({
  accountId,
  action,
  onClose,
}: {
  accountId: string;
  action: BulkAction | null;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const preview = useRestorePreview(accountId, action?.id ?? null);
  const run = useBulkControl(accountId);
  const notify = useBulkNotifications();

  const close = () => {
    onClose();
    run.reset();
  };
  const submit = () => {
    if (!action) return;
    run.mutate(
      { action, control: 'restore' },
      {
        onSuccess: (queued) => {
          close();
          notify.queued(accountId, queued, 'stats');
        },
      },
    );
  };
  const count = preview.data?.count;
  const gone = action !== null && !action.controls.includes('restore') && !run.isPending;

  return (
    <Modal opened={action !== null} onClose={close} title={t('bulkActions.dialogs.restore.title')}>
      {action && (
        <Stack>
          <Text fw={600} size="sm">
            {action.name}
          </Text>
          {preview.isPending && (
            <Center p="md">
              <Loader size="sm" aria-label={t('common.loading')} />
            </Center>
          )}
          {preview.isError && <ErrorAlert error={preview.error} onRetry={() => void preview.refetch()} />}
          {preview.data && (
            <>
              <Text data-testid="bulk-restore-count" data-count={preview.data.count}>
                {preview.data.count === 0
                  ? t('bulkActions.dialogs.restore.nothing')
                  : t('bulkActions.dialogs.restore.text', {
                      count: preview.data.count,
                      formatted: preview.data.count.toLocaleString(i18n.language),
                      date: formatDateTime(preview.data.restorableUntil),
                    })}
              </Text>
              {preview.data.count > 0 && <Text size="sm">{t('bulkActions.dialogs.restore.queued')}</Text>}
            </>
          )}
          {gone && !run.isError && <ControlGone />}
          {run.isError && <ControlError accountId={accountId} actionId={action.id} error={run.error} />}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('bulkActions.dialogs.keep')}
            </Button>
            <Button loading={run.isPending} disabled={!count} onClick={submit} data-testid="bulk-confirm">
              {t('bulkActions.dialogs.restore.submit')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
