import { ActionIcon, Button, Center, Group, Loader, Menu, Stack, Table, Text, Tooltip } from '@mantine/core';
import {
  IconAlertCircle,
  IconCheck,
  IconDots,
  IconHistory,
  IconPencil,
  IconPlayerPlay,
  IconPlugConnected,
  IconPlus,
  IconTrash,
} from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ImportSource } from '../../../shared/import-sources.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useErrorMessage } from '../../components/use-error-message.ts';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { ConnectionTestDialog } from './connection-test-dialog.tsx';
import { DeleteSourceDialog } from './delete-source-dialog.tsx';
import { RunStateBadge } from './run-state-badge.tsx';
import { SourceFormDialog } from './source-form-dialog.tsx';
import { SourceRunsDialog } from './source-runs-dialog.tsx';
import { useImportSources } from './use-import-sources.ts';
import { useRunImportSource } from './use-run-import-source.ts';
import { useScheduleText } from './use-schedule-text.ts';

type Dialog =
  { kind: 'form'; source: ImportSource | null } | { kind: 'test' | 'runs' | 'delete'; source: ImportSource };

/**
 * The Sources tab: the account's remote import sources, their last and next runs, and what to do
 * with each. `runsOf` (from a notification's link) opens that source's runs once it is loaded.
 */
export function SourcesPanel({ accountId, runsOf = null }: { accountId: string; runsOf?: string | null }) {
  const { t } = useTranslation();
  const sources = useImportSources(accountId);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [linkHandled, setLinkHandled] = useState<string | null>(null);
  const close = () => setDialog(null);

  // Adjusting state while rendering (React's pattern for state derived from props and data).
  if (runsOf !== null && linkHandled !== runsOf && sources.data) {
    setLinkHandled(runsOf);
    const linked = sources.data.find((source) => source.id === runsOf);
    if (linked) setDialog({ kind: 'runs', source: linked });
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed" maw={720}>
          {t('imports.sources.intro')}
        </Text>
        <Button
          leftSection={<IconPlus size={16} />}
          onClick={() => setDialog({ kind: 'form', source: null })}
          data-testid="source-new"
        >
          {t('imports.sources.new')}
        </Button>
      </Group>
      {sources.isPending && (
        <Center p="xl">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {sources.isError && <ErrorAlert error={sources.error} onRetry={() => void sources.refetch()} />}
      {sources.data?.length === 0 && (
        <Text c="dimmed" ta="center" p="xl" data-testid="sources-empty">
          {t('imports.sources.empty')}
        </Text>
      )}
      {sources.data && sources.data.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover data-testid="sources-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imports.sources.name')}</Table.Th>
                <Table.Th>{t('imports.sources.protocol')}</Table.Th>
                <Table.Th>{t('imports.sources.host')}</Table.Th>
                <Table.Th>{t('imports.sources.schedule')}</Table.Th>
                <Table.Th>{t('imports.sources.lastRun')}</Table.Th>
                <Table.Th>{t('imports.sources.nextRun')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {sources.data.map((source) => (
                <SourceRow
                  key={source.id}
                  accountId={accountId}
                  source={source}
                  onChoose={(kind) => setDialog(kind === 'form' ? { kind, source } : { kind, source })}
                />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <SourceFormDialog
        accountId={accountId}
        opened={dialog?.kind === 'form'}
        source={dialog?.kind === 'form' ? dialog.source : null}
        onClose={close}
        key={dialog?.kind === 'form' ? (dialog.source?.id ?? 'new') : 'closed'}
      />
      {dialog?.kind === 'test' && (
        <ConnectionTestDialog accountId={accountId} source={dialog.source} onClose={close} />
      )}
      {dialog?.kind === 'runs' && (
        <SourceRunsDialog accountId={accountId} source={dialog.source} onClose={close} />
      )}
      {dialog?.kind === 'delete' && (
        <DeleteSourceDialog accountId={accountId} source={dialog.source} onClose={close} />
      )}
    </Stack>
  );
}

function SourceRow({
  accountId,
  source,
  onChoose,
}: {
  accountId: string;
  source: ImportSource;
  onChoose: (kind: Dialog['kind']) => void;
}) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const scheduleText = useScheduleText();
  const run = useRunImportSource(accountId);
  const errorMessage = useErrorMessage();

  return (
    <Table.Tr data-testid="source-row" data-source-id={source.id}>
      <Table.Td fw={500}>
        {source.name}
        {!source.enabled && (
          <Text size="xs" c="dimmed">
            {t('imports.sources.disabled')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>{t(`imports.sources.protocols.${source.protocol}`)}</Table.Td>
      <Table.Td>
        {source.host}:{source.port}
      </Table.Td>
      <Table.Td>{scheduleText(source.schedule)}</Table.Td>
      <Table.Td>
        {source.lastRun ? (
          <Group gap={6}>
            <RunStateBadge run={source.lastRun} />
            <Text size="xs" c="dimmed">
              {formatDateTime(source.lastRun.startedAt)}
            </Text>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            {t('imports.sources.never')}
          </Text>
        )}
      </Table.Td>
      <Table.Td>{source.nextRunAt ? formatDateTime(source.nextRunAt) : '—'}</Table.Td>
      <Table.Td>
        <Group gap={4} wrap="nowrap" justify="flex-end">
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlugConnected size={14} />}
            onClick={() => onChoose('test')}
            data-testid="source-test"
          >
            {t('imports.sources.test')}
          </Button>
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPlayerPlay size={14} />}
            loading={run.isPending}
            onClick={() => run.mutate(source.id)}
            data-testid="source-run"
          >
            {t('imports.sources.runNow')}
          </Button>
          {run.isSuccess && (
            <Tooltip label={t('imports.sources.runQueued')}>
              <IconCheck size={16} color="var(--mantine-color-green-7)" data-testid="source-run-queued" />
            </Tooltip>
          )}
          {run.isError && (
            <Tooltip label={errorMessage(run.error)} multiline maw={280}>
              <IconAlertCircle size={16} color="var(--mantine-color-red-7)" data-testid="source-run-error" />
            </Tooltip>
          )}
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="subtle" aria-label={t('common.actions')} data-testid="source-menu">
                <IconDots size={16} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => onChoose('form')}>
                {t('imports.sources.edit')}
              </Menu.Item>
              <Menu.Item leftSection={<IconHistory size={14} />} onClick={() => onChoose('runs')}>
                {t('imports.sources.runs')}
              </Menu.Item>
              <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => onChoose('delete')}>
                {t('common.delete')}
              </Menu.Item>
            </Menu.Dropdown>
          </Menu>
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
