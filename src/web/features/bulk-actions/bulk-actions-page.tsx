import { Badge, Button, Center, Group, Loader, Stack, Text, Title, Tooltip } from '@mantine/core';
import { useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MyAccount } from '../../../shared/auth.ts';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import { useSession } from '../../app/auth/session-context.ts';
import { useCurrentAccount } from '../../app/use-current-account.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useMembers } from '../account-settings/use-members.ts';
import { BulkDialogs } from './bulk-dialogs.tsx';
import { mayRename, type BulkDialogTarget } from './bulk-dialog-target.ts';
import { BulkFilterBar, type UserOption } from './bulk-filter-bar.tsx';
import { BulkTable } from './bulk-table.tsx';
import { useBulkActions } from './use-bulk-actions.ts';
import { useBulkEvents } from './use-bulk-events.ts';
import { hasFilters, listParamsOf, useBulkFilters } from './use-bulk-filters.ts';

/** /accounts/:accountId/bulk-actions. Another account starts afresh (live stream, dialogs). */
export function BulkActionsPage() {
  const account = useCurrentAccount();
  if (!account) return null; // AccountScope shows why
  return <BulkActionsWorkspace key={account.id} account={account} />;
}

function BulkActionsWorkspace({ account }: { account: MyAccount }) {
  const { t, i18n } = useTranslation();
  const { user } = useSession();
  const accountId = account.id;
  const [filters, changeFilters] = useBulkFilters();
  const live = useBulkEvents(accountId);
  const actions = useBulkActions(accountId, listParamsOf(filters), live.connected);
  const [dialog, setDialog] = useState<BulkDialogTarget | null>(null);
  const loaded = useMemo(() => actions.data?.pages.flatMap((page) => page.items) ?? [], [actions.data]);
  const users = useKnownUsers(account, loaded);

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2}>{t('bulkActions.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('bulkActions.intro')}
          </Text>
        </Stack>
        <Tooltip
          label={live.connected ? t('bulkActions.live.connectedHint') : t('bulkActions.live.offlineHint')}
          multiline
          maw={280}
        >
          <Badge
            variant="dot"
            color={live.connected ? 'green' : 'gray'}
            tt="none"
            data-testid="bulk-live"
            data-connected={live.connected}
          >
            {live.connected ? t('bulkActions.live.connected') : t('bulkActions.live.offline')}
          </Badge>
        </Tooltip>
      </Group>
      <BulkFilterBar
        filters={filters}
        onChange={changeFilters}
        me={{ id: user.id, name: user.name || user.email }}
        users={users}
      />
      {actions.isError && <ErrorAlert error={actions.error} onRetry={() => void actions.refetch()} />}
      {actions.isPending && (
        <Center p="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {actions.data && (
        <>
          <BulkTable
            accountId={accountId}
            actions={loaded}
            rates={live.rates}
            mayRename={(action) => mayRename(action, user.id, account.rights)}
            onChoose={setDialog}
            dimmed={actions.isPlaceholderData}
          />
          {loaded.length === 0 && (
            <Text c="dimmed" ta="center" p="lg" data-testid="bulk-empty">
              {hasFilters(filters) ? t('bulkActions.table.noMatch') : t('bulkActions.table.empty')}
            </Text>
          )}
          <Group justify="space-between">
            <Text size="sm" c="dimmed" data-testid="bulk-loaded">
              {t('bulkActions.table.shown', {
                count: loaded.length,
                formatted: loaded.length.toLocaleString(i18n.language),
              })}
            </Text>
            {actions.hasNextPage && (
              <Button
                variant="light"
                onClick={() => void actions.fetchNextPage()}
                loading={actions.isFetchingNextPage}
                disabled={actions.isPlaceholderData}
                data-testid="bulk-load-more"
              >
                {t('bulkActions.table.loadMore')}
              </Button>
            )}
          </Group>
        </>
      )}
      <BulkDialogs
        accountId={accountId}
        // The dialog follows the row: its numbers and allowed controls stay current while it is open.
        target={
          dialog && { ...dialog, action: loaded.find((a) => a.id === dialog.action.id) ?? dialog.action }
        }
        onClose={() => setDialog(null)}
      />
    </Stack>
  );
}

/**
 * The users the "created by" filter offers: the account's members where the user may list them
 * (users.manage), plus everyone who created an action seen on this page (kept across filter changes).
 */
function useKnownUsers(account: MyAccount, loaded: readonly BulkAction[]): UserOption[] {
  const members = useMembers(account.id, account.rights.includes('users.manage'));
  const seen = useRef(new Map<string, string>());
  for (const action of loaded)
    if (action.createdBy) seen.current.set(action.createdBy.id, action.createdBy.name);
  for (const member of members.data ?? []) seen.current.set(member.userId, member.name || member.email);
  return [...seen.current].map(([id, name]) => ({ id, name }));
}
