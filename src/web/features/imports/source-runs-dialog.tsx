import { Anchor, Center, Loader, Modal, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ImportSource } from '../../../shared/import-sources.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { statsPath } from '../bulk-actions/bulk-row-menu.tsx';
import { RunStateBadge, useCauseText } from './run-state-badge.tsx';
import { useImportRuns } from './use-import-runs.ts';

/** A source's runs: when, how started, the file, the state (a failure with its cause) and the import it started. */
export function SourceRunsDialog({
  accountId,
  source,
  onClose,
}: {
  accountId: string;
  source: ImportSource;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const runs = useImportRuns(accountId, source.id);
  const formatDateTime = useFormatDateTime();
  const causeText = useCauseText();

  return (
    <Modal opened onClose={onClose} title={t('imports.runs.title', { name: source.name })} size="xl">
      {runs.isPending && (
        <Center p="lg">
          <Loader aria-label={t('common.loading')} />
        </Center>
      )}
      {runs.isError && <ErrorAlert error={runs.error} onRetry={() => void runs.refetch()} />}
      {runs.data?.length === 0 && (
        <Text c="dimmed" ta="center" p="lg">
          {t('imports.runs.empty')}
        </Text>
      )}
      {runs.data && runs.data.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table striped data-testid="source-runs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('imports.runs.started')}</Table.Th>
                <Table.Th>{t('imports.runs.trigger')}</Table.Th>
                <Table.Th>{t('imports.runs.file')}</Table.Th>
                <Table.Th>{t('imports.runs.state')}</Table.Th>
                <Table.Th>{t('imports.runs.import')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {runs.data.map((run) => (
                <Table.Tr key={run.id} data-testid="source-run-row">
                  <Table.Td>{formatDateTime(run.startedAt)}</Table.Td>
                  <Table.Td>{t(`imports.runs.triggers.${run.trigger}`)}</Table.Td>
                  <Table.Td style={{ overflowWrap: 'anywhere' }}>{run.fileName ?? '—'}</Table.Td>
                  <Table.Td>
                    <RunStateBadge run={run} />
                    {run.cause && (
                      <Text size="xs" c="red.8" mt={4}>
                        {causeText(run.cause)}
                        {run.detail ? `: ${run.detail}` : ''}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {run.actionId ? (
                      <Anchor component={Link} to={statsPath(accountId, run.actionId)} size="sm">
                        {t('imports.runs.open')}
                      </Anchor>
                    ) : (
                      '—'
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Modal>
  );
}
