import { Button, Center, Drawer, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconArrowRight, IconMail, IconTrash } from '@tabler/icons-react';
import { useEffect, useEffectEvent, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Notification } from '../../../shared/notifications.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { hasSubjectPage } from './subject-pages.ts';
import { useOptionalSession } from '../../app/auth/session-context.ts';
import { SeverityIcon } from './severity-icon.tsx';
import { useMarkNotifications } from './use-mark-notifications.ts';
import { useNotification } from './use-notification.ts';
import { useRenderNotification } from './use-render-notification.ts';

interface NotificationDrawerProps {
  accountId: string;
  notificationId: string | null;
  /** The row from the list, when loaded: shown at once, and kept current by the list. */
  loaded: Notification | undefined;
  onClose: () => void;
  onDelete: (notification: Notification) => void;
}

/**
 * One notification in full: title, body, what to do, and a link to what it is about. Opening an
 * unread one marks it read.
 */
export function NotificationDrawer({
  accountId,
  notificationId,
  loaded,
  onClose,
  onDelete,
}: NotificationDrawerProps) {
  const { t } = useTranslation();
  const fetched = useNotification(accountId, notificationId, !loaded);
  const notification = loaded ?? fetched.data;
  const mark = useMarkNotifications(accountId);
  const markedOnOpen = useRef(new Set<string>());

  const id = notification?.id;
  const unread = notification ? !notification.read : false;
  const markRead = useEffectEvent((readId: string) =>
    mark.mutate({ selection: { ids: [readId] }, read: true }),
  );
  useEffect(() => {
    // Once per opening: "Mark as unread" in the drawer must not be undone at once.
    if (!id || !unread || markedOnOpen.current.has(id)) return;
    markedOnOpen.current.add(id);
    markRead(id);
  }, [id, unread]);
  useEffect(() => {
    if (notificationId === null) markedOnOpen.current.clear();
  }, [notificationId]);

  return (
    <Drawer
      opened={notificationId !== null}
      onClose={onClose}
      position="right"
      size="lg"
      title={t('notifications.detail.title')}
      data-testid="notification-drawer"
    >
      {notification ? (
        <NotificationDetail
          notification={notification}
          onMarkUnread={() => mark.mutate({ selection: { ids: [notification.id] }, read: false })}
          markingUnread={mark.isPending && !mark.variables.read}
          onDelete={() => onDelete(notification)}
          onFollowLink={onClose}
        />
      ) : fetched.isError ? (
        <ErrorAlert error={fetched.error} onRetry={() => void fetched.refetch()} />
      ) : (
        <Center p="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {mark.isError && <ErrorAlert error={mark.error} mt="md" />}
    </Drawer>
  );
}

function NotificationDetail({
  notification,
  onMarkUnread,
  markingUnread,
  onDelete,
  onFollowLink,
}: {
  notification: Notification;
  onMarkUnread: () => void;
  markingUnread: boolean;
  onDelete: () => void;
  onFollowLink: () => void;
}) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const texts = useRenderNotification()(notification);
  const rights = useOptionalSession()?.accounts.find((a) => a.id === notification.accountId)?.rights ?? [];

  return (
    <Stack data-testid="notification-detail" data-notification-id={notification.id}>
      <Group gap="sm" wrap="nowrap" align="flex-start">
        <SeverityIcon severity={notification.severity} size={32} />
        <Stack gap={2}>
          <Title order={3} size="h4" data-testid="notification-detail-title">
            {texts.title}
          </Title>
          <Text size="sm" c="dimmed">
            {notification.accountName} · {formatDateTime(notification.lastAt)}
          </Text>
          {texts.occurrences && (
            <Text size="sm" c="dimmed">
              {texts.occurrences}
            </Text>
          )}
        </Stack>
      </Group>
      {texts.body && (
        <Text style={{ whiteSpace: 'pre-line' }} data-testid="notification-detail-body">
          {texts.body}
        </Text>
      )}
      {texts.guidance && (
        <Stack gap={4}>
          <Title order={4} size="h5">
            {t('notifications.detail.whatToDo')}
          </Title>
          <Text style={{ whiteSpace: 'pre-line' }} data-testid="notification-detail-guidance">
            {texts.guidance}
          </Text>
        </Stack>
      )}
      <Group justify="space-between" mt="md">
        {hasSubjectPage(notification.subject, rights) ? (
          <Button
            component={Link}
            to={notification.path}
            onClick={onFollowLink}
            rightSection={<IconArrowRight size={16} />}
            data-testid="notification-detail-link"
          >
            {t(`notifications.detail.open.${notification.subject.kind}`)}
          </Button>
        ) : (
          <Text size="sm" c="dimmed" maw={320} data-testid="notification-detail-no-page">
            {t(`notifications.detail.noPage.${notification.subject.kind}`)}
          </Text>
        )}
        <Group gap="xs">
          <Button
            variant="default"
            leftSection={<IconMail size={16} />}
            disabled={!notification.read}
            loading={markingUnread}
            onClick={onMarkUnread}
            data-testid="notification-detail-mark-unread"
          >
            {t('notifications.actions.markUnread')}
          </Button>
          <Button
            variant="light"
            color="red"
            leftSection={<IconTrash size={16} />}
            onClick={onDelete}
            data-testid="notification-detail-delete"
          >
            {t('common.delete')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
