import { Anchor, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { STATUS_COLORS, type BulkAction } from '../../../shared/bulk-actions.ts';
import { accountPath } from '../../app/sections.ts';
import { useCountOptions, useFormatNumber } from '../../components/use-format-number.ts';
import { statsPath } from './bulk-row-menu.tsx';
import { useActionName, useCountsText } from './bulk-status.tsx';
import { isPreparing } from './preparing.ts';

/**
 * Notifications about bulk actions, each with a link to follow the action: the Bulk Actions page
 * (`list`) or the action's stats (`stats`). Rendered by <Notifications /> inside the router.
 */
export function useBulkNotifications() {
  const { t } = useTranslation();
  const counts = useCountsText();
  const n = useFormatNumber();
  const countOptions = useCountOptions();
  const nameOf = useActionName();

  const link = (accountId: string, action: BulkAction, to: 'list' | 'stats', id: string) => (
    <Anchor
      component={Link}
      to={to === 'list' ? accountPath(accountId, 'bulk-actions') : statsPath(accountId, action.id)}
      size="sm"
      onClick={() => notifications.hide(id)}
      data-testid="bulk-notification-link"
    >
      {to === 'list' ? t('bulkActions.notify.view') : t('bulkActions.notify.viewStats')}
    </Anchor>
  );

  return {
    /**
     * A new action was created (started from Contacts, or a restore, retry or undo). One that is
     * still preparing says how many items it gathers (the count confirmed), never its counters,
     * which are all 0 until the freeze ends.
     */
    queued(accountId: string, action: BulkAction, to: 'list' | 'stats') {
      const id = `bulk-${action.id}-queued`;
      const preparing = isPreparing(action);
      notifications.show({
        id,
        color: preparing ? STATUS_COLORS.preparing : 'indigo',
        title: preparing ? t('bulkActions.notify.preparingTitle') : t('bulkActions.notify.queuedTitle'),
        message: (
          <Stack gap={4}>
            <Text size="sm" data-testid="bulk-notification-text">
              {preparing
                ? t('bulkActions.notify.preparingText', {
                    name: nameOf(action),
                    ...countOptions(action.total),
                  })
                : t('bulkActions.notify.queuedText', { name: nameOf(action) })}
            </Text>
            {link(accountId, action, to, id)}
          </Stack>
        ),
        autoClose: 10_000,
        'data-testid': 'bulk-notification',
      });
    },
    /** An action followed from the Contacts page has ended. */
    ended(accountId: string, action: BulkAction) {
      if (action.status !== 'completed' && action.status !== 'cancelled' && action.status !== 'failed')
        return;
      // The "queued" notice of the same action, if still shown, gives way to this one.
      notifications.hide(`bulk-${action.id}-queued`);
      const id = `bulk-${action.id}-ended`;
      const shown =
        action.status === 'completed' && action.failed > 0 ? 'completed_with_errors' : action.status;
      notifications.show({
        id,
        color: shown === 'cancelled' ? 'gray' : STATUS_COLORS[shown],
        title: t(`bulkActions.notify.endedTitle.${shown}`),
        message: (
          <Stack gap={4}>
            <Text size="sm" title={counts(action)}>
              {t('bulkActions.notify.endedText', {
                name: action.name,
                succeeded: n(action.succeeded),
                failed: n(action.failed),
                skipped: n(action.skipped),
              })}
            </Text>
            {link(accountId, action, 'stats', id)}
          </Stack>
        ),
        autoClose: 10_000,
        'data-testid': 'bulk-notification',
      });
    },
  };
}
