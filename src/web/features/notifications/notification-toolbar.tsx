import { Button, Group, Stack, Text } from '@mantine/core';
import { IconChecks, IconMail, IconMailOpened, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useMarkNotifications } from './use-mark-notifications.ts';

interface NotificationToolbarProps {
  accountId: string;
  /** The ticked notifications among those loaded. */
  selectedIds: readonly string[];
  /** The account's unread count, when known: "Mark all as read" has nothing to do at 0. */
  unread: number | undefined;
  onDone: () => void;
  onDelete: () => void;
}

/** What to do with the ticked notifications, and "Mark all as read" for the whole account. */
export function NotificationToolbar({
  accountId,
  selectedIds,
  unread,
  onDone,
  onDelete,
}: NotificationToolbarProps) {
  const { t, i18n } = useTranslation();
  const mark = useMarkNotifications(accountId);
  const none = selectedIds.length === 0;
  const markSelected = (read: boolean) =>
    mark.mutate({ selection: { ids: [...selectedIds] }, read }, { onSuccess: onDone });

  return (
    <Stack gap="xs">
      <Group justify="space-between" wrap="wrap">
        <Group gap="xs" wrap="wrap">
          <Text size="sm" c="dimmed" miw={110} data-testid="notification-selected-count">
            {t('notifications.selection.count', {
              count: selectedIds.length,
              formatted: selectedIds.length.toLocaleString(i18n.language),
            })}
          </Text>
          <Button
            variant="light"
            size="xs"
            leftSection={<IconMailOpened size={16} />}
            disabled={none}
            loading={mark.isPending && mark.variables.read && 'ids' in mark.variables.selection}
            onClick={() => markSelected(true)}
            data-testid="notification-mark-read"
          >
            {t('notifications.actions.markRead')}
          </Button>
          <Button
            variant="light"
            size="xs"
            leftSection={<IconMail size={16} />}
            disabled={none}
            loading={mark.isPending && !mark.variables.read}
            onClick={() => markSelected(false)}
            data-testid="notification-mark-unread"
          >
            {t('notifications.actions.markUnread')}
          </Button>
          <Button
            variant="light"
            color="red"
            size="xs"
            leftSection={<IconTrash size={16} />}
            disabled={none}
            onClick={onDelete}
            data-testid="notification-delete"
          >
            {t('notifications.actions.delete')}
          </Button>
        </Group>
        <Button
          variant="subtle"
          size="xs"
          leftSection={<IconChecks size={16} />}
          disabled={unread === 0}
          loading={mark.isPending && 'all' in mark.variables.selection}
          onClick={() => mark.mutate({ selection: { all: true }, read: true }, { onSuccess: onDone })}
          data-testid="notification-mark-all-read"
        >
          {t('notifications.actions.markAllRead')}
        </Button>
      </Group>
      {mark.isError && <ErrorAlert error={mark.error} />}
    </Stack>
  );
}
