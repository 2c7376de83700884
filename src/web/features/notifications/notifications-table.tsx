import { Checkbox, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import type { KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Notification } from '../../../shared/notifications.ts';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { SeverityIcon } from './severity-icon.tsx';
import { useRenderNotification } from './use-render-notification.ts';

interface NotificationsTableProps {
  notifications: readonly Notification[];
  selected: ReadonlySet<string>;
  onToggle: (notificationId: string) => void;
  onToggleAll: () => void;
  onOpen: (notification: Notification) => void;
  dimmed: boolean;
}

/** The notifications: checkbox, severity, title (bold while unread), account and time; a click opens one. */
export function NotificationsTable({
  notifications,
  selected,
  onToggle,
  onToggleAll,
  onOpen,
  dimmed,
}: NotificationsTableProps) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const render = useRenderNotification();
  const ticked = notifications.filter((n) => selected.has(n.id)).length;

  const openOnKey = (event: KeyboardEvent, notification: Notification) => {
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen(notification);
    }
  };

  return (
    <Table.ScrollContainer minWidth={720}>
      <Table
        highlightOnHover
        verticalSpacing="sm"
        data-testid="notification-table"
        style={{ opacity: dimmed ? 0.6 : 1, transition: 'opacity 120ms' }}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={40}>
              <Checkbox
                aria-label={t('notifications.selection.selectAll')}
                checked={notifications.length > 0 && ticked === notifications.length}
                indeterminate={ticked > 0 && ticked < notifications.length}
                disabled={notifications.length === 0}
                onChange={onToggleAll}
                data-testid="notification-select-all"
              />
            </Table.Th>
            <Table.Th w={48}>
              <VisuallyHidden>{t('notifications.columns.severity')}</VisuallyHidden>
            </Table.Th>
            <Table.Th>{t('notifications.columns.title')}</Table.Th>
            <Table.Th>{t('notifications.columns.account')}</Table.Th>
            <Table.Th>{t('notifications.columns.time')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {notifications.map((notification) => {
            const texts = render(notification);
            const weight = notification.read ? 400 : 700;
            return (
              <Table.Tr
                key={notification.id}
                data-testid="notification-row"
                data-notification-id={notification.id}
                data-unread={!notification.read}
                data-type={notification.type}
                tabIndex={0}
                style={{ cursor: 'pointer' }}
                onClick={() => onOpen(notification)}
                onKeyDown={(event) => openOnKey(event, notification)}
              >
                <Table.Td
                  onClick={(event) => event.stopPropagation()}
                  onKeyDown={(event) => event.stopPropagation()}
                >
                  <Checkbox
                    aria-label={t('notifications.selection.selectRow', { title: texts.title })}
                    checked={selected.has(notification.id)}
                    onChange={() => onToggle(notification.id)}
                    data-testid="notification-select"
                  />
                </Table.Td>
                <Table.Td>
                  <SeverityIcon severity={notification.severity} />
                </Table.Td>
                <Table.Td maw={520}>
                  <Stack gap={2}>
                    <Text size="sm" fw={weight} lineClamp={2} data-testid="notification-title">
                      {!notification.read && <VisuallyHidden>{t('notifications.unread')} </VisuallyHidden>}
                      {texts.title}
                    </Text>
                    {texts.occurrences && (
                      <Text size="xs" c="dimmed" data-testid="notification-occurrences">
                        {texts.occurrences}
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={weight}>
                    {notification.accountName}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>
                  <Text size="sm" fw={weight}>
                    {formatDateTime(notification.lastAt)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
