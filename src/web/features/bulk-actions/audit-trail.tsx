import { Anchor, Text, Timeline } from '@mantine/core';
import { IconCircleDot } from '@tabler/icons-react';
import type { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { auditEntrySchema } from '../../../shared/bulk-actions.ts';
import { useFormatDateTime } from '../../components/use-format-date-time.ts';
import { useFormatNumber } from '../../components/use-format-number.ts';
import { statsPath } from './bulk-row-menu.tsx';
import { isFailureReason } from '../../../shared/references.ts';

type AuditEntry = z.infer<typeof auditEntrySchema>;

function text(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
}

/** The id of the action an entry queued (a restore, retry or undo), if any. */
function queuedActionId(entry: AuditEntry): string | null {
  const id = entry.details.restoreActionId ?? entry.details.retryActionId ?? entry.details.undoActionId;
  return text(id) || null;
}

/** Who did what to an action, and when: oldest first, each entry with its user and time. */
export function AuditTrail({ accountId, entries }: { accountId: string; entries: readonly AuditEntry[] }) {
  const { t } = useTranslation();
  const formatDateTime = useFormatDateTime();
  const formatNumber = useFormatNumber();
  const n = (value: unknown) => (typeof value === 'number' ? formatNumber(value) : text(value));
  const count = (value: unknown) => (typeof value === 'number' ? value : Number(text(value)) || 0);

  const describe = (entry: AuditEntry): string => {
    const d = entry.details;
    switch (entry.event) {
      case 'created':
      case 'paused':
      case 'resumed':
      case 'restore_queued':
      case 'retry_queued':
      case 'undo_queued':
      case 'started':
      case 'run_resumed':
        return t(`bulkActions.stats.events.${entry.event}`);
      case 'completed':
        // Entries written before the totals were recorded have no "failed": they read as before.
        return count(d.failed) > 0
          ? t('bulkActions.stats.events.completedWithErrors', {
              count: count(d.processed),
              formatted: n(d.processed),
              succeeded: n(d.succeeded),
              failed: n(d.failed),
            })
          : t('bulkActions.stats.events.completed', { count: count(d.processed), formatted: n(d.processed) });
      case 'failed':
        return t('bulkActions.stats.events.failed', {
          error: isFailureReason(d.reason) ? t(`bulkActions.failureReasons.${d.reason}`) : text(d.error),
        });
      case 'prepared':
        return t('bulkActions.stats.events.prepared', { count: count(d.total), formatted: n(d.total) });
      case 'renamed':
        return t('bulkActions.stats.events.renamed', { from: text(d.from), to: text(d.to) });
      case 'cancelled':
        return t('bulkActions.stats.events.cancelled', {
          processed: n(d.processed),
          count: count(d.total),
          formatted: n(d.total),
        });
      case 'schedule_changed':
        return t('bulkActions.stats.events.schedule_changed', {
          to: typeof d.to === 'string' && !Number.isNaN(Date.parse(d.to)) ? formatDateTime(d.to) : text(d.to),
        });
      default:
        return t('bulkActions.stats.events.other', { event: entry.event });
    }
  };

  if (entries.length === 0) return <Text c="dimmed">{t('bulkActions.stats.auditEmpty')}</Text>;
  return (
    <Timeline bulletSize={18} lineWidth={2} active={entries.length - 1} data-testid="bulk-audit">
      {entries.map((entry, index) => {
        const queued = queuedActionId(entry);
        return (
          <Timeline.Item
            key={`${entry.at}-${index}`}
            bullet={<IconCircleDot size={12} />}
            title={describe(entry)}
            data-testid="bulk-audit-entry"
            data-event={entry.event}
          >
            <Text size="xs" c="dimmed">
              {entry.user?.name || t('bulkActions.table.system')} · {formatDateTime(entry.at)}
            </Text>
            {queued && (
              <Anchor component={Link} to={statsPath(accountId, queued)} size="xs">
                {t('bulkActions.stats.openQueued', { id: queued })}
              </Anchor>
            )}
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}
