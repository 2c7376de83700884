import {
  Anchor,
  Button,
  Center,
  Group,
  Loader,
  MultiSelect,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconPlus, IconSearch } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MyAccount } from '../../../shared/auth.ts';
import { MAILING_STATUSES, type Mailing } from '../../../shared/mailings.ts';
import { useCurrentAccount } from '../../app/use-current-account.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { useFormatNumber } from '../../components/use-format-number.ts';
import { elementDistributionPath } from '../distribution/distribution-api.ts';
import { useMayDistribute } from '../distribution/distribute-button.tsx';
import { ActiveBadge, OriginBadge } from '../distribution/element-badges.tsx';
import { DeleteMailingDialog } from './delete-mailing-dialog.tsx';
import { MailingControlDialog, type ControlTarget } from './mailing-control-dialog.tsx';
import { MailingRowMenu } from './mailing-row-menu.tsx';
import { MailingStatusBadge } from './mailing-status-badge.tsx';
import { mayManageMailings, rowTarget } from './mailing-status.ts';
import { useMailingFilters } from './use-mailing-filters.ts';
import { useMailings } from './use-mailings.ts';

/** /accounts/:accountId/mailings: the account's mailings with status and key figures. */
export function MailingListPage() {
  const account = useCurrentAccount();
  if (!account) return null; // AccountScope shows why
  return <MailingList key={account.id} account={account} />;
}

function MailingList({ account }: { account: MyAccount }) {
  const { t } = useTranslation();
  const [filters, changeFilters] = useMailingFilters();
  const [search, setSearch] = useState(filters.search);
  const [debounced] = useDebouncedValue(search, 300);
  useEffect(() => {
    if (debounced !== filters.search) changeFilters({ search: debounced });
  }, [debounced, filters.search, changeFilters]);
  const mailings = useMailings(account.id, filters);
  const loaded = useMemo(() => mailings.data?.pages.flatMap((p) => p.items) ?? [], [mailings.data]);
  const [control, setControl] = useState<ControlTarget | null>(null);
  const [deleting, setDeleting] = useState<Mailing | null>(null);
  const mayDistribute = useMayDistribute(account);
  const filtered = filters.status.length > 0 || filters.search !== '';

  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2}>{t('mailings.title')}</Title>
          <Text c="dimmed" size="sm">
            {t('mailings.intro')}
          </Text>
        </Stack>
        {mayManageMailings(account.rights) && (
          <Button component={Link} to="new" leftSection={<IconPlus size={16} />} data-testid="mailing-new">
            {t('mailings.new')}
          </Button>
        )}
      </Group>
      <Group align="flex-end">
        <MultiSelect
          label={t('mailings.filter.status')}
          placeholder={filters.status.length === 0 ? t('mailings.filter.allStatuses') : undefined}
          data={MAILING_STATUSES.map((s) => ({ value: s, label: t(`mailings.status.${s}`) }))}
          value={filters.status}
          onChange={(values) => changeFilters({ status: values })}
          clearable
          w={320}
          data-testid="mailing-status-filter"
        />
        <TextInput
          label={t('mailings.filter.search')}
          placeholder={t('mailings.filter.searchPlaceholder')}
          leftSection={<IconSearch size={16} />}
          value={search}
          maxLength={200}
          onChange={(e) => setSearch(e.currentTarget.value)}
          w={260}
          data-testid="mailing-search"
        />
      </Group>
      {mailings.isError && <ErrorAlert error={mailings.error} onRetry={() => void mailings.refetch()} />}
      {mailings.isPending && (
        <Center p="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {mailings.data && (
        <>
          <Table.ScrollContainer minWidth={900}>
            <Table
              highlightOnHover
              data-testid="mailings-table"
              opacity={mailings.isPlaceholderData ? 0.6 : 1}
            >
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('mailings.list.name')}</Table.Th>
                  <Table.Th>{t('mailings.list.status')}</Table.Th>
                  <Table.Th>{t('mailings.list.when')}</Table.Th>
                  <Table.Th ta="right">{t('mailings.list.recipients')}</Table.Th>
                  <Table.Th ta="right">{t('mailings.figures.sent')}</Table.Th>
                  <Table.Th ta="right">{t('mailings.figures.delivered')}</Table.Th>
                  <Table.Th ta="right">{t('mailings.figures.bounced')}</Table.Th>
                  <Table.Th ta="right">{t('mailings.figures.opens')}</Table.Th>
                  <Table.Th ta="right">{t('mailings.figures.clicks')}</Table.Th>
                  <Table.Th aria-label={t('common.actions')} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {loaded.map((mailing) => (
                  <MailingRow
                    key={mailing.id}
                    mailing={mailing}
                    account={account}
                    onControl={(c) => setControl({ control: c, mailing })}
                    mayDistribute={mayDistribute}
                    onDelete={() => setDeleting(mailing)}
                  />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {loaded.length === 0 && (
            <Text c="dimmed" ta="center" p="lg" data-testid="mailings-empty">
              {filtered ? t('mailings.list.noMatch') : t('mailings.list.empty')}
            </Text>
          )}
          {mailings.hasNextPage && (
            <Group justify="center">
              <Button
                variant="light"
                onClick={() => void mailings.fetchNextPage()}
                loading={mailings.isFetchingNextPage}
                data-testid="mailings-load-more"
              >
                {t('mailings.list.loadMore')}
              </Button>
            </Group>
          )}
        </>
      )}
      <MailingControlDialog accountId={account.id} target={control} onClose={() => setControl(null)} />
      <DeleteMailingDialog accountId={account.id} mailing={deleting} onClose={() => setDeleting(null)} />
    </Stack>
  );
}

function MailingRow({
  mailing,
  account,
  onControl,
  mayDistribute,
  onDelete,
}: {
  mailing: Mailing;
  account: MyAccount;
  onControl: ControlHandler;
  mayDistribute: boolean;
  onDelete: () => void;
}) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const n = useFormatNumber();
  const figure = (value: number | undefined) => (value === undefined ? '–' : n(value));
  const figures = mailing.figures ?? undefined;
  // Started: when the send began; else the slot; a draft has neither.
  const when = mailing.startedAt
    ? t('mailings.list.started', { date: formatDateTime(mailing.startedAt) })
    : mailing.scheduledFor
      ? t('mailings.list.scheduled', { date: formatDateTime(mailing.scheduledFor) })
      : '–';
  return (
    <Table.Tr
      data-testid="mailing-row"
      data-mailing-id={mailing.id}
      data-status={mailing.status}
      data-active={mailing.active}
    >
      <Table.Td>
        <Anchor component={Link} to={rowTarget(mailing)} data-testid="mailing-link">
          {mailing.name}
        </Anchor>
        {mailing.resendOf !== null && (
          <Text size="xs" c="dimmed">
            {t('mailings.list.resend')}
          </Text>
        )}
        <OriginBadge origin={mailing.origin} />
      </Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          <MailingStatusBadge mailing={mailing} />
          {!mailing.active && <ActiveBadge active={false} />}
        </Stack>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{when}</Text>
      </Table.Td>
      <Table.Td ta="right" data-testid="mailing-recipients">
        {mailing.recipientsAtSend === null ? '–' : n(mailing.recipientsAtSend)}
      </Table.Td>
      <Table.Td ta="right">{figure(figures?.sent)}</Table.Td>
      <Table.Td ta="right">{figure(figures?.delivered)}</Table.Td>
      <Table.Td ta="right">{figure(figures?.bounced)}</Table.Td>
      <Table.Td ta="right">{figure(figures?.uniqueOpens)}</Table.Td>
      <Table.Td ta="right">{figure(figures?.uniqueClicks)}</Table.Td>
      <Table.Td>
        <MailingRowMenu
          mailing={mailing}
          rights={account.rights}
          onControl={onControl}
          distributePath={mayDistribute ? elementDistributionPath(account.id, 'mailing', mailing.id) : null}
          onDelete={onDelete}
        />
      </Table.Td>
    </Table.Tr>
  );
}

type ControlHandler = (control: ControlTarget['control']) => void;
