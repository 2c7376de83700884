import { Alert } from '@mantine/core';
import { IconAlertCircle } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../app/api-client.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { bulkKeys } from './bulk-api.ts';

/**
 * A refused control. A conflict means the action moved on (it finished, someone else paused it):
 * said so plainly, and the action is fetched again so the menu offers what applies now.
 */
export function ControlError({
  accountId,
  actionId,
  error,
}: {
  accountId: string;
  actionId: string;
  error: unknown;
}) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const conflict = error instanceof ApiError && error.code === 'CONFLICT';
  useEffect(() => {
    if (!conflict) return;
    void queryClient.invalidateQueries({ queryKey: bulkKeys.detail(accountId, actionId) });
    void queryClient.invalidateQueries({ queryKey: bulkKeys.lists(accountId) });
  }, [conflict, queryClient, accountId, actionId]);

  if (!conflict) return <ErrorAlert error={error} />;
  return (
    <Alert color="orange" icon={<IconAlertCircle />} data-testid="error-alert">
      {t('bulkActions.dialogs.conflict')}
    </Alert>
  );
}

/** Shown while a dialog is open for a control the action no longer offers (it moved on meanwhile). */
export function ControlGone() {
  const { t } = useTranslation();
  return (
    <Alert color="orange" icon={<IconAlertCircle />} data-testid="bulk-control-gone">
      {t('bulkActions.dialogs.conflict')}
    </Alert>
  );
}
