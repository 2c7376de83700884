import { Anchor, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { displayStatus, type BulkAction } from '../../../shared/bulk-actions.ts';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import type { BulkDialogTarget } from './bulk-dialog-target.ts';
import { BulkRowMenu, statsPath } from './bulk-row-menu.tsx';
import { BulkActionProgress, BulkResultCounts, BulkStatusBadge, useActionName } from './bulk-status.tsx';

// Names longer than this may be cut (two lines at most); the tooltip shows them whole.
const NAME_SHOWN = 60;

interface BulkTableProps {
  accountId: string;
  actions: readonly BulkAction[];
  rates: ReadonlyMap<string, number>;
  mayRename: (action: BulkAction) => boolean;
  onChoose: (target: BulkDialogTarget) => void;
  dimmed: boolean;
}

/** The bulk actions: name, type, creator, time, status with progress, and each row's menu. */
export function BulkTable({ accountId, actions, rates, mayRename, onChoose, dimmed }: BulkTableProps) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const location = useLocation();
  const nameOf = useActionName();

  return (
    <Table.ScrollContainer minWidth={820}>
      <Table
        verticalSpacing="sm"
        highlightOnHover
        data-testid="bulk-table"
        style={{ opacity: dimmed ? 0.6 : 1, transition: 'opacity 120ms' }}
      >
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('bulkActions.columns.name')}</Table.Th>
            <Table.Th>{t('bulkActions.columns.type')}</Table.Th>
            <Table.Th>{t('bulkActions.columns.createdBy')}</Table.Th>
            <Table.Th>{t('bulkActions.columns.createdAt')}</Table.Th>
            <Table.Th>{t('bulkActions.columns.status')}</Table.Th>
            <Table.Th>{t('bulkActions.columns.results')}</Table.Th>
            <Table.Th w={48}>
              <VisuallyHidden>{t('common.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {actions.map((action) => (
            <Table.Tr
              key={action.id}
              data-testid="bulk-row"
              data-action-id={action.id}
              data-status={displayStatus(action)}
              data-type={action.type}
            >
              <Table.Td maw={380}>
                <Tooltip
                  label={nameOf(action)}
                  disabled={nameOf(action).length <= NAME_SHOWN}
                  multiline
                  maw={420}
                  openDelay={300}
                >
                  <Anchor
                    component={Link}
                    to={statsPath(accountId, action.id)}
                    state={{ listSearch: location.search }}
                    size="sm"
                    fw={500}
                    lineClamp={2}
                    data-testid="bulk-row-name"
                  >
                    {nameOf(action)}
                  </Anchor>
                </Tooltip>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text size="sm">{t(`bulkActions.types.${action.type}`)}</Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{action.createdBy?.name || t('bulkActions.table.system')}</Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Text size="sm">{formatDateTime(action.createdAt)}</Text>
              </Table.Td>
              <Table.Td>
                <Stack gap={6} align="flex-start">
                  <BulkStatusBadge action={action} />
                  <BulkActionProgress action={action} rate={rates.get(action.id) ?? null} />
                  {action.status === 'queued' && action.scheduledFor && (
                    <Text size="xs" c="dimmed">
                      {t('bulkActions.table.scheduledFor', { date: formatDateTime(action.scheduledFor) })}
                    </Text>
                  )}
                </Stack>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <BulkResultCounts action={action} />
              </Table.Td>
              <Table.Td>
                <BulkRowMenu
                  accountId={accountId}
                  action={action}
                  canRename={mayRename(action)}
                  withViewStats
                  onChoose={onChoose}
                />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
