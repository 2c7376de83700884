import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { z } from 'zod';
import { useEventStream } from '../../app/use-event-stream.ts';
import { bulkEventSchema, type BulkAction } from '../../../shared/bulk-actions.ts';
import { bulkApiPath, bulkKeys, isUnfinished } from './bulk-api.ts';
import { cachedAction, invalidateActionData, invalidateContactData, storeAction } from './bulk-cache.ts';
import { rateOf, withSample, type ProgressSample } from './progress-rate.ts';

// A `snapshot` (the unfinished actions) opens every connection; `action` is one changed action.
const BULK_EVENTS = { snapshot: z.array(bulkEventSchema), action: bulkEventSchema };

export interface BulkLive {
  /** The stream is open: the cache follows every change. While false, views should poll. */
  connected: boolean;
  /** Items per second observed in the live events, per running action (absent while unknown). */
  rates: ReadonlyMap<string, number>;
}

/**
 * Follows the account's bulk actions over server-sent events and keeps the query cache current:
 * a `snapshot` (on every connect, so also after a reconnect) refreshes the lists; each `action`
 * replaces the action's rows in place, and a new action or a status change refetches the lists
 * (the row may now fall outside the filters, or a new one appear). Also measures each running
 * action's rate for its ETA.
 */
export function useBulkEvents(accountId: string): BulkLive {
  const queryClient = useQueryClient();
  const [rates, setRates] = useState<ReadonlyMap<string, number>>(() => new Map());
  const samples = useRef(new Map<string, ProgressSample[]>());

  const measure = (action: BulkAction) => {
    const id = action.id;
    let rate: number | null = null;
    if (action.status === 'in_progress') {
      const next = withSample(samples.current.get(id) ?? [], { at: Date.now(), processed: action.processed });
      samples.current.set(id, next);
      rate = rateOf(next);
    } else {
      samples.current.delete(id);
    }
    setRates((current) => {
      if (rate === null && !current.has(id)) return current;
      const updated = new Map(current);
      if (rate === null) updated.delete(id);
      else updated.set(id, rate);
      return updated;
    });
  };

  const onAction = (action: BulkAction) => {
    const before = cachedAction(queryClient, accountId, action.id);
    storeAction(queryClient, accountId, action);
    measure(action);
    if (!before || before.status !== action.status) {
      void invalidateActionData(queryClient, accountId, action.id);
    }
    if (before && isUnfinished(before.status) && !isUnfinished(action.status)) {
      void invalidateContactData(queryClient, accountId);
    }
  };

  const onSnapshot = (actions: BulkAction[]) => {
    for (const action of actions) {
      storeAction(queryClient, accountId, action);
      measure(action);
    }
    // Whatever happened while the stream was down (finished actions, new ones) shows after a refetch;
    // an action that ended meanwhile may have changed contacts too.
    void queryClient.invalidateQueries({ queryKey: bulkKeys.all(accountId) });
    void invalidateContactData(queryClient, accountId);
  };

  const connected = useEventStream({
    url: () => `${bulkApiPath(accountId)}/events`,
    events: BULK_EVENTS,
    on: { snapshot: onSnapshot, action: onAction },
  });

  return { connected, rates };
}
