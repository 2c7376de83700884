import { Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentAccount } from '../../app/use-current-account.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { DeleteNotificationsDialog } from './delete-notifications-dialog.tsx';
import { NotificationDrawer } from './notification-drawer.tsx';
import { NotificationFilterBar } from './notification-filter-bar.tsx';
import { NotificationToolbar } from './notification-toolbar.tsx';
import { NotificationsTable } from './notifications-table.tsx';
import {
  hasFilters,
  listParamsOf,
  useNotificationFilters,
  useOpenNotification,
  type NotificationFilters,
} from './use-notification-filters.ts';
import { useNotifications } from './use-notifications.ts';
import { useUnreadCounts } from './use-unread-counts.ts';

const NONE: ReadonlySet<string> = new Set();

/** /accounts/:accountId/notifications. Another account starts afresh (selection, dialogs). */
export function NotificationsPage() {
  const account = useCurrentAccount();
  if (!account) return null; // AccountScope shows why
  return <NotificationsWorkspace key={account.id} accountId={account.id} />;
}

function NotificationsWorkspace({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation();
  const [filters, changeFilters] = useNotificationFilters();
  const params = useMemo(() => listParamsOf(filters), [filters]);
  const list = useNotifications(accountId, params);
  const unread = useUnreadCounts().data?.accounts[accountId];
  const [openId, setOpenId] = useOpenNotification();
  const [deleting, setDeleting] = useState<string[] | null>(null);
  const loaded = useMemo(() => list.data?.pages.flatMap((page) => page.items) ?? [], [list.data]);

  // Ticked ids; only those among the loaded rows count (a row may leave the list while ticked).
  const [ticked, setTicked] = useState<ReadonlySet<string>>(NONE);
  const selectedIds = loaded.filter((n) => ticked.has(n.id)).map((n) => n.id);
  const select = (ids: Iterable<string>) => setTicked(new Set(ids));
  const toggle = (id: string) =>
    select(ticked.has(id) ? selectedIds.filter((x) => x !== id) : [...selectedIds, id]);
  const toggleAll = () => select(selectedIds.length === loaded.length ? [] : loaded.map((n) => n.id));
  // Another filter shows other rows: it starts with none ticked.
  const filter = (change: Partial<NotificationFilters>) => {
    select([]);
    changeFilters(change);
  };

  const afterDelete = () => {
    if (openId && deleting?.includes(openId)) setOpenId(null);
    select([]);
  };

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2}>{t('notifications.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('notifications.intro')}
          </Text>
        </Stack>
        {unread !== undefined && (
          <Text size="sm" fw={600} data-testid="notification-unread-count" data-count={unread}>
            {t('notifications.unreadCount', {
              count: unread,
              formatted: unread.toLocaleString(i18n.language),
            })}
          </Text>
        )}
      </Group>
      <NotificationFilterBar filters={filters} onChange={filter} />
      <NotificationToolbar
        accountId={accountId}
        selectedIds={selectedIds}
        unread={unread}
        onDone={() => select([])}
        onDelete={() => setDeleting(selectedIds)}
      />
      {list.isError && <ErrorAlert error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && (
        <Center p="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {list.data && (
        <>
          <NotificationsTable
            notifications={loaded}
            selected={ticked}
            onToggle={toggle}
            onToggleAll={toggleAll}
            onOpen={(notification) => setOpenId(notification.id)}
            dimmed={list.isPlaceholderData}
          />
          {loaded.length === 0 && (
            <Text c="dimmed" ta="center" p="lg" data-testid="notification-empty">
              {hasFilters(filters) ? t('notifications.table.noMatch') : t('notifications.table.empty')}
            </Text>
          )}
          <Group justify="space-between">
            <Text size="sm" c="dimmed" data-testid="notification-loaded">
              {t('notifications.table.shown', {
                count: loaded.length,
                formatted: loaded.length.toLocaleString(i18n.language),
              })}
            </Text>
            {list.hasNextPage && (
              <Button
                variant="light"
                onClick={() => void list.fetchNextPage()}
                loading={list.isFetchingNextPage}
                disabled={list.isPlaceholderData}
                data-testid="notification-load-more"
              >
                {t('notifications.table.loadMore')}
              </Button>
            )}
          </Group>
        </>
      )}
      <NotificationDrawer
        accountId={accountId}
        notificationId={openId}
        loaded={loaded.find((n) => n.id === openId)}
        onClose={() => setOpenId(null)}
        onDelete={(notification) => setDeleting([notification.id])}
      />
      <DeleteNotificationsDialog
        accountId={accountId}
        ids={deleting}
        onClose={() => setDeleting(null)}
        onDeleted={afterDelete}
      />
    </Stack>
  );
}
