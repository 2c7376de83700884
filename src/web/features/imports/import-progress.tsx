import { Alert, Anchor, Button, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconArrowBackUp, IconDownload, IconExternalLink } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { ImportSummary } from '../../../shared/imports.ts';
import { accountPath } from '../../app/sections.ts';
import { ConfirmDialog } from '../../components/confirm-dialog.tsx';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { useFormatNumber } from '../../components/use-format-number.ts';
import { errorsCsvPath, isUnfinished } from '../bulk-actions/bulk-api.ts';
import { statsPath } from '../bulk-actions/bulk-row-menu.tsx';
import { BulkActionProgress, BulkStatusBadge } from '../bulk-actions/bulk-status.tsx';
import { useBulkAction } from '../bulk-actions/use-bulk-action.ts';
import { useBulkControl } from '../bulk-actions/use-bulk-control.ts';
import { useBulkEvents } from '../bulk-actions/use-bulk-events.ts';
import { failedRowsCsvPath } from './imports-api.ts';
import { useImportSummary } from './use-import-summary.ts';
import { useUndoPreview } from './use-undo-preview.ts';

const COUNTS = [
  'rowsRead',
  'created',
  'updated',
  'unchanged',
  'invalid',
  'duplicates',
  'skipped',
  'failed',
] as const satisfies readonly (keyof ImportSummary)[];
type Count = (typeof COUNTS)[number];

const COLORS: Partial<Record<Count, string>> = {
  created: 'green.8',
  updated: 'blue.8',
  invalid: 'red.8',
  failed: 'red.8',
  duplicates: 'orange.8',
};

/**
 * An import (or dry run) as it runs: its state and progress, followed live, the counts of rows, and
 * once it ended the error log, the failed rows in the file's columns, and Undo import.
 */
export function ImportProgress({
  accountId,
  actionId,
  dryRun,
}: {
  accountId: string;
  actionId: string;
  dryRun: boolean;
}) {
  const { t, i18n } = useTranslation();
  const n = useFormatNumber();
  const live = useBulkEvents(accountId);
  const action = useBulkAction(accountId, actionId, { poll: !live.connected });
  const running = action.data ? isUnfinished(action.data.status) : true;
  const summary = useImportSummary(accountId, actionId, running);
  const finished = action.data !== undefined && !running;
  const problems = summary.data ? summary.data.failed + summary.data.invalid + summary.data.duplicates : 0;

  return (
    <Stack data-testid={dryRun ? 'import-dry-run' : 'import-run'} data-finished={finished || undefined}>
      {action.isError && <ErrorAlert error={action.error} onRetry={() => void action.refetch()} />}
      {action.data && (
        <>
          <Group justify="space-between">
            <Group gap="sm">
              <Text fw={500}>{dryRun ? t('imports.run.dryRunTitle') : t('imports.run.importTitle')}</Text>
              <BulkStatusBadge action={action.data} />
            </Group>
            <Anchor
              component={Link}
              to={dryRun ? statsPath(accountId, actionId) : accountPath(accountId, 'bulk-actions')}
              size="sm"
              data-testid="import-open-bulk-actions"
            >
              <Group gap={4} component="span">
                <IconExternalLink size={14} />
                {dryRun ? t('imports.run.openStats') : t('imports.run.openBulkActions')}
              </Group>
            </Anchor>
          </Group>
          <BulkActionProgress action={action.data} rate={live.rates.get(actionId) ?? null} />
          {action.data.status === 'failed' && (
            <Alert color="red" data-testid="import-failed">
              {t('imports.run.failed')}
            </Alert>
          )}
        </>
      )}
      {summary.isError && <ErrorAlert error={summary.error} onRetry={() => void summary.refetch()} />}
      {summary.data && (
        <SimpleGrid cols={{ base: 2, sm: 4 }} data-testid="import-counts">
          {COUNTS.map((count) => (
            <Paper key={count} withBorder p="sm">
              <Text size="xs" c="dimmed">
                {t(`imports.counts.${dryRun && count === 'created' ? 'wouldCreate' : count}`)}
              </Text>
              <Text
                fw={700}
                size="lg"
                c={summary.data[count] > 0 ? COLORS[count] : undefined}
                data-testid={`import-count-${count}`}
                data-count={summary.data[count]}
              >
                {n(summary.data[count])}
              </Text>
            </Paper>
          ))}
        </SimpleGrid>
      )}
      {finished && (
        <Group>
          {problems > 0 || (action.data && action.data.failed + action.data.skipped > 0) ? (
            <Button
              component="a"
              href={errorsCsvPath(accountId, actionId, i18n.language)}
              download={`import-${actionId}-errors.csv`}
              variant="light"
              leftSection={<IconDownload size={16} />}
              data-testid="import-download-errors"
            >
              {t('imports.run.errorLog')}
            </Button>
          ) : (
            <Text size="sm" c="dimmed" data-testid="import-no-errors">
              {t('imports.run.noErrors')}
            </Text>
          )}
          {!dryRun && summary.data && summary.data.failed + summary.data.invalid > 0 && (
            <Button
              component="a"
              href={failedRowsCsvPath(accountId, actionId)}
              download={`import-${actionId}-failed-rows.csv`}
              variant="light"
              leftSection={<IconDownload size={16} />}
              data-testid="import-download-failed-rows"
            >
              {t('imports.run.failedRows')}
            </Button>
          )}
          {!dryRun && summary.data && summary.data.created > 0 && (
            <UndoImport accountId={accountId} actionId={actionId} created={summary.data.created} />
          )}
        </Group>
      )}
    </Stack>
  );
}

/** "Undo import": queues a delete of the contacts this import created (restorable like any delete). */
function UndoImport({
  accountId,
  actionId,
  created,
}: {
  accountId: string;
  actionId: string;
  created: number;
}) {
  const { t } = useTranslation();
  const n = useFormatNumber();
  const action = useBulkAction(accountId, actionId);
  const undo = useBulkControl(accountId);
  const [opened, setOpened] = useState(false);
  const preview = useUndoPreview(accountId, actionId, opened);
  // The server offers the control only while it applies (and to whoever may delete contacts).
  if (!action.data?.controls.includes('undo')) return null;

  if (undo.data)
    return (
      <Alert color="blue" data-testid="import-undo-queued">
        {t('imports.run.undoQueued')}{' '}
        <Anchor component={Link} to={statsPath(accountId, undo.data.id)}>
          {t('imports.run.openUndo')}
        </Anchor>
      </Alert>
    );

  const close = () => {
    setOpened(false);
    undo.reset();
  };
  return (
    <>
      <Button
        variant="light"
        color="red"
        leftSection={<IconArrowBackUp size={16} />}
        onClick={() => setOpened(true)}
        data-testid="import-undo"
      >
        {t('imports.run.undo')}
      </Button>
      <ConfirmDialog
        opened={opened}
        title={t('imports.run.undoTitle')}
        text={
          <>
            {t('imports.run.undoText', {
              count: preview.data?.willDelete ?? created,
              formatted: n(preview.data?.willDelete ?? created),
            })}
            {preview.data && preview.data.notTouched.alreadyDeleted > 0 && (
              <Text
                component="span"
                display="block"
                size="sm"
                mt="xs"
                data-testid="import-undo-already-deleted"
              >
                {t('imports.run.undoAlreadyDeleted', {
                  count: preview.data.notTouched.alreadyDeleted,
                  formatted: n(preview.data.notTouched.alreadyDeleted),
                })}
              </Text>
            )}
          </>
        }
        error={undo.error}
        pending={undo.isPending}
        confirmLabel={t('imports.run.undoConfirm')}
        onConfirm={() =>
          action.data &&
          undo.mutate({ action: action.data, control: 'undo' }, { onSuccess: () => setOpened(false) })
        }
        onClose={close}
        confirmTestId="import-undo-confirm"
        dialogTestId="import-undo-dialog"
      />
      {undo.isError && !opened && <ErrorAlert error={undo.error} />}
    </>
  );
}
