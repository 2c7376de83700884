// The parts of the stats page that a bulk email or SMS adds: its delivery results (chart and
// reasons) and its recipients. Each part asks the same query, which is fetched once.
import { Loader } from '@mantine/core';
import { useMemo } from 'react';
import type { BulkAction } from '../../../shared/bulk-actions.ts';
import { ErrorAlert } from '../../components/error-alert.tsx';
import { isUnfinished } from '../bulk-actions/bulk-api.ts';
import { DeliveryChart } from './delivery-chart.tsx';
import { DeliveryReasons } from './delivery-reasons.tsx';
import { RecipientTable } from './recipient-table.tsx';
import { useDeliveryResults } from './use-delivery-results.ts';

function useResults(accountId: string, action: BulkAction) {
  return useDeliveryResults(accountId, action.id, isUnfinished(action.status));
}

/** The delivery results as a chart: queued, sent, delivered, bounced hard/soft, failed, skipped, cancelled. */
export function MessagingChart({ accountId, action }: { accountId: string; action: BulkAction }) {
  const results = useResults(accountId, action);
  if (results.isError) return <ErrorAlert error={results.error} onRetry={() => void results.refetch()} />;
  return results.data ? <DeliveryChart results={results.data} /> : <Loader size="sm" />;
}

/** Failed, bounced and skipped messages by reason. */
export function MessagingReasons({ accountId, action }: { accountId: string; action: BulkAction }) {
  const results = useResults(accountId, action);
  if (results.isError) return null; // the chart shows the error
  return results.data ? <DeliveryReasons reasons={results.data.reasons} /> : <Loader size="sm" />;
}

/** Who got what: the ledger, page by page. */
export function MessagingRecipients({ accountId, action }: { accountId: string; action: BulkAction }) {
  const results = useResults(accountId, action);
  const reasons = results.data?.reasons;
  const labels = useMemo(() => new Map((reasons ?? []).map((row) => [row.reason, row.label])), [reasons]);
  return (
    <RecipientTable
      accountId={accountId}
      actionId={action.id}
      running={isUnfinished(action.status)}
      reasonLabels={labels}
    />
  );
}
