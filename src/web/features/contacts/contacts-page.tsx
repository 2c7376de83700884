import { Button, Center, Grid, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { IconUserPlus } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MyAccount } from '../../../shared/auth.ts';
import type { BulkAction, StartableType } from '../../../shared/bulk-actions.ts';
import type { ContactSort, FilterGroup, SmartList } from '../../../shared/contacts.ts';
import type { Channel } from '../../../shared/messaging.ts';
import { useCurrentAccount } from '../../app/use-current-account.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useCountOptions } from '../../components/use-format-number.ts';
import { useBulkNotifications } from '../bulk-actions/bulk-notifications.tsx';
import { useWatchBulkActions } from '../bulk-actions/use-watch-bulk-actions.ts';
import { SendMessageDialog } from '../messaging/send-message-dialog.tsx';
import { ManageMenu } from './catalog/manage-menu.tsx';
import { useCustomFields } from './catalog/use-custom-fields.ts';
import { useSubscriberLists } from './catalog/use-subscriber-lists.ts';
import { useTags } from './catalog/use-tags.ts';
import { ColumnPicker } from './column-picker.tsx';
import { isStandardColumn, useColumnChoice } from './columns.ts';
import { ContactsTable } from './contacts-table.tsx';
import { listParamsOf, useContactsView } from './contacts-view.ts';
import { ContactDrawer, type DrawerTarget } from './detail/contact-drawer.tsx';
import { sameFilter } from './filter/filter-draft.ts';
import { serverFilterIssues } from './filter/filter-errors.ts';
import { filterFields } from './filter/filter-fields.ts';
import { FilterPanel } from './filter/filter-panel.tsx';
import { SearchBox } from './search-box.tsx';
import { BulkMenu } from './selection/bulk-menu.tsx';
import { SelectionBanner } from './selection/selection-banner.tsx';
import { SelectionCount } from './selection/selection-count.tsx';
import { useSelectionPreview } from './selection/use-selection-preview.ts';
import { StartBulkActionDialog } from './selection/start-bulk-action-dialog.tsx';
import {
  matchingSelection,
  selectionOf,
  useContactSelection,
  type SelectionBase,
} from './selection/use-contact-selection.ts';
import { SmartListNotes } from './smart-lists/smart-list-notes.tsx';
import { SmartListPanel } from './smart-lists/smart-list-panel.tsx';
import { useSmartLists } from './smart-lists/use-smart-lists.ts';
import { useContacts } from './use-contacts.ts';

/** /accounts/:accountId/contacts. Another account starts afresh (selection, drawer). */
export function ContactsPage() {
  const account = useCurrentAccount();
  if (!account) return null; // AccountScope shows why
  return <ContactsWorkspace key={account.id} account={account} />;
}

// Text columns read naturally A→Z, dates newest first.
const FIRST_DIR: Record<ContactSort, 'asc' | 'desc'> = {
  email: 'asc',
  last_name: 'asc',
  id: 'asc',
  created_at: 'desc',
  updated_at: 'desc',
};

const NO_ITEMS: never[] = [];

function ContactsWorkspace({ account }: { account: MyAccount }) {
  const { t } = useTranslation();
  const countOptions = useCountOptions();
  const accountId = account.id;
  const canEdit = account.rights.includes('contacts.edit');
  const canDelete = account.rights.includes('contacts.delete');
  const canBulk = account.rights.includes('contacts.bulk');
  const canSend = account.rights.includes('messaging.send');
  // Ticking contacts serves bulk changes and bulk sends alike.
  const canSelect = canBulk || canSend;

  const [view, changeView] = useContactsView();
  const params = listParamsOf(view);
  const contacts = useContacts(accountId, params);
  const customFields = useCustomFields(accountId);
  const tags = useTags(accountId);
  const lists = useSubscriberLists(accountId);
  const smartLists = useSmartLists(accountId);
  const [columnChoice, setColumns] = useColumnChoice(accountId);
  const [drawer, setDrawer] = useState<DrawerTarget | null>(null);
  const [starting, setStarting] = useState<StartableType | null>(null);
  const [sending, setSending] = useState<Channel | null>(null);
  // Actions started here: followed until they end, then the table shows what they changed.
  const [started, setStarted] = useState<string[]>([]);
  const bulkNotifications = useBulkNotifications();
  useWatchBulkActions(accountId, started, (action) => bulkNotifications.ended(accountId, action));

  const fieldDefs = customFields.data ?? NO_ITEMS;
  const fields = useMemo(() => filterFields(fieldDefs), [fieldDefs]);
  const cellContext = useMemo(
    () => ({
      tags: new Map((tags.data ?? []).map((tag) => [tag.id, tag])),
      lists: new Map((lists.data ?? []).map((list) => [list.id, list])),
      fields: new Map(fieldDefs.map((field) => [field.key, field])),
    }),
    [tags.data, lists.data, fieldDefs],
  );
  const knownCustom = new Set(fieldDefs.map((f) => `custom.${f.key}`));
  const columns = columnChoice.filter((id) => isStandardColumn(id) || knownCustom.has(id));

  // What is applied: a SmartList (its filter loads with the side list) and/or a filter from the URL.
  const appliedSmartList = smartLists.data?.find((list) => list.id === view.smartListId) ?? null;
  const smartListFilter = appliedSmartList?.filter ?? null;
  const builderFilter: FilterGroup | null = view.smartListId
    ? smartListFilter && view.filter
      ? { op: 'and', conditions: [smartListFilter, view.filter] }
      : smartListFilter
    : view.filter;
  const builderSource = JSON.stringify([
    view.smartListId,
    view.smartListId ? (smartListFilter ?? 'loading') : null,
    params.filter,
  ]);

  const selection = useContactSelection(JSON.stringify([params.search, params.smartListId, params.filter]));
  const selectionBase: SelectionBase = {
    search: params.search,
    smartListId: view.smartListId,
    smartListFilter,
    filter: view.filter,
  };
  const loaded = useMemo(() => contacts.data?.pages.flatMap((page) => page.items) ?? [], [contacts.data]);
  const allLoadedSelected = loaded.length > 0 && loaded.every((c) => selection.isSelected(c.id));
  const bannerMode = selection.state.mode === 'all' ? 'all' : allLoadedSelected ? 'page' : null;
  const filterRefused = serverFilterIssues(contacts.error, new Map()).aboutFilter;
  // How many contacts the view matches, counted by the server (the same count "Select all" offers).
  const matching = matchingSelection(selectionBase, new Set());
  const matchingCount = useSelectionPreview(accountId, contacts.isError ? null : matching);
  const filtered = view.search.trim() !== '' || view.filter !== null || view.smartListId !== null;
  const currentSelection = selectionOf(selection.state, selectionBase);

  const bulkStarted = (action: BulkAction) => {
    selection.clear();
    setStarted((ids) => [...ids, action.id]);
    bulkNotifications.queued(accountId, action, 'list');
  };

  const applyFilter = (filter: FilterGroup | null) => {
    if (!filter || filter.conditions.length === 0) return changeView({ filter: null, smartListId: null });
    // Applying a SmartList's own filter unchanged keeps the SmartList.
    if (appliedSmartList && !view.filter && sameFilter(filter, appliedSmartList.filter)) return;
    changeView({ filter, smartListId: null });
  };
  const applySmartList = (smartList: SmartList) => changeView({ smartListId: smartList.id, filter: null });
  const smartListDeleted = (smartList: SmartList) => {
    // The contacts on screen stay: the deleted list's filter becomes a plain filter.
    if (smartList.id === view.smartListId) changeView({ smartListId: null, filter: smartList.filter });
  };
  const sortBy = (sort: ContactSort) =>
    changeView(
      sort === view.sort ? { dir: view.dir === 'asc' ? 'desc' : 'asc' } : { sort, dir: FIRST_DIR[sort] },
    );

  return (
    <Stack>
      <Group justify="space-between">
        <Group gap="sm" align="baseline">
          <Title order={2}>{t('nav.contacts')}</Title>
          {matchingCount.data !== undefined && (
            <Text c="dimmed" data-testid="contacts-total" data-count={matchingCount.data}>
              {filtered
                ? t('contacts.table.matching', countOptions(matchingCount.data))
                : t('contacts.table.total', countOptions(matchingCount.data))}
            </Text>
          )}
        </Group>
        <Group gap="xs">
          {canEdit && (
            <Button
              leftSection={<IconUserPlus size={16} />}
              onClick={() => setDrawer({ mode: 'new' })}
              data-testid="contact-new"
            >
              {t('contacts.newContact')}
            </Button>
          )}
          {canEdit && <ManageMenu accountId={accountId} />}
        </Group>
      </Group>
      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 3 }}>
          <SmartListPanel
            accountId={accountId}
            activeId={view.smartListId}
            canEdit={canEdit}
            onApply={applySmartList}
            onDeleted={smartListDeleted}
          />
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          <Stack gap="sm">
            {appliedSmartList && (
              <SmartListNotes accountId={accountId} smartList={appliedSmartList} canEdit={canEdit} />
            )}
            <FilterPanel
              accountId={accountId}
              applied={builderFilter}
              sourceKey={builderSource}
              appliedSmartList={appliedSmartList}
              somethingApplied={view.smartListId !== null || view.filter !== null}
              filterBroken={view.filterBroken}
              listError={contacts.error}
              fields={fields}
              tags={tags.data ?? NO_ITEMS}
              lists={lists.data ?? NO_ITEMS}
              canEdit={canEdit}
              onApply={applyFilter}
              onSmartListSaved={applySmartList}
            />
            <Group justify="space-between" gap="xs">
              <SearchBox
                value={view.search}
                onSearch={(search) => changeView({ search }, { replace: true })}
              />
              <Group gap="xs">
                {canSelect && (
                  <SelectionCount
                    accountId={accountId}
                    state={selection.state}
                    selection={currentSelection}
                    onClear={selection.clear}
                  />
                )}
                {canSelect && (
                  <BulkMenu
                    disabled={currentSelection === null}
                    canBulk={canBulk}
                    canDelete={canDelete}
                    canSend={canSend}
                    onStart={setStarting}
                    onSend={setSending}
                  />
                )}
                <ColumnPicker customFields={fieldDefs} columns={columns} onChange={setColumns} />
              </Group>
            </Group>
            {canSelect && bannerMode && (
              <SelectionBanner
                accountId={accountId}
                mode={bannerMode}
                loadedCount={loaded.length}
                matching={matchingSelection(selectionBase, new Set())}
                onSelectAllMatching={selection.selectAllMatching}
                onClear={selection.clear}
              />
            )}
            {contacts.isError && !filterRefused && (
              <ErrorAlert error={contacts.error} onRetry={() => void contacts.refetch()} />
            )}
            {contacts.isPending && (
              <Center p="xl">
                <Loader aria-label={t('common.loading')} />
              </Center>
            )}
            {contacts.data && (
              <>
                <ContactsTable
                  contacts={loaded}
                  columns={columns}
                  customFields={fieldDefs}
                  context={cellContext}
                  sort={view.sort}
                  dir={view.dir}
                  onSort={sortBy}
                  selection={canSelect ? selection : null}
                  onOpen={(contact) => setDrawer({ mode: 'edit', contactId: contact.id })}
                  dimmed={contacts.isPlaceholderData}
                />
                {loaded.length === 0 && (
                  <Text c="dimmed" ta="center" p="lg" data-testid="contacts-empty">
                    {params.search || params.filter || params.smartListId
                      ? t('contacts.table.noMatch')
                      : t('contacts.table.empty')}
                  </Text>
                )}
                <Group justify="space-between">
                  <Text size="sm" c="dimmed" data-testid="contacts-loaded">
                    {t('contacts.table.shown', countOptions(loaded.length))}
                  </Text>
                  {contacts.hasNextPage && (
                    <Button
                      variant="light"
                      onClick={() => void contacts.fetchNextPage()}
                      loading={contacts.isFetchingNextPage}
                      disabled={contacts.isPlaceholderData}
                      data-testid="contacts-load-more"
                    >
                      {t('contacts.table.loadMore')}
                    </Button>
                  )}
                </Group>
              </>
            )}
          </Stack>
        </Grid.Col>
      </Grid>
      <ContactDrawer
        accountId={accountId}
        target={drawer}
        onTarget={setDrawer}
        customFields={fieldDefs}
        tags={tags.data ?? NO_ITEMS}
        lists={lists.data ?? NO_ITEMS}
        canEdit={canEdit}
        canDelete={canDelete}
      />
      <StartBulkActionDialog
        accountId={accountId}
        type={starting}
        selection={currentSelection}
        tags={tags.data ?? NO_ITEMS}
        canCreateTag={canEdit}
        onClose={() => setStarting(null)}
        onStarted={bulkStarted}
      />
      <SendMessageDialog
        accountId={accountId}
        accountZone={account.timeZone}
        channel={sending}
        selection={currentSelection}
        onClose={() => setSending(null)}
        onStarted={bulkStarted}
      />
    </Stack>
  );
}
