import { useEffect, useRef } from 'react';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  distributionPageSchema,
  distributionSchema,
  distributionTargetPageSchema,
  type DistributableKind,
  type TargetStatus,
} from '../../../shared/distribution.ts';
import { apiRequest } from '../../app/api-client.ts';
import { distributionApiPathOf, distributionKeys, distributionsApiPath } from './distribution-api.ts';

// While a distribution runs the page follows it closely: targets finish within moments.
const FOLLOW_MS = 1_500;

/** The account's distributions, newest first; with `element` only that element's (its history). */
export function useDistributions(
  accountId: string,
  element: { kind: DistributableKind; id: string } | null,
  { follow = false }: { follow?: boolean } = {},
) {
  return useInfiniteQuery({
    queryKey: distributionKeys.history(accountId, element),
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: '25' });
      if (element) {
        query.set('elementKind', element.kind);
        query.set('elementId', element.id);
      }
      if (pageParam) query.set('cursor', pageParam);
      return apiRequest('GET', `${distributionsApiPath(accountId)}?${query.toString()}`, {
        schema: distributionPageSchema,
        signal,
      });
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    // A running one in the first page: keep its counts moving.
    refetchInterval: (query) =>
      follow && query.state.data?.pages[0]?.items.some((d) => d.status === 'running') ? FOLLOW_MS * 2 : false,
  });
}

/** One distribution; polled every 1.5 s while it runs. */
export function useDistribution(accountId: string, distributionId: string) {
  return useQuery({
    queryKey: distributionKeys.detail(accountId, distributionId),
    queryFn: ({ signal }) =>
      apiRequest('GET', distributionApiPathOf(accountId, distributionId), {
        schema: distributionSchema,
        signal,
      }),
    refetchInterval: (query) => (query.state.data?.status === 'running' ? FOLLOW_MS : false),
  });
}

/**
 * A distribution's per-target results (optionally of one status), a page at a time; polled while it
 * runs, and read once more when it stops running.
 */
export function useDistributionTargets(
  accountId: string,
  distributionId: string,
  status: TargetStatus | null,
  running: boolean,
) {
  const targets = useInfiniteQuery({
    queryKey: distributionKeys.results(accountId, distributionId, status),
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams({ limit: '100' });
      if (status) query.set('status', status);
      if (pageParam) query.set('cursor', pageParam);
      return apiRequest(
        'GET',
        `${distributionApiPathOf(accountId, distributionId)}/targets?${query.toString()}`,
        {
          schema: distributionTargetPageSchema,
          signal,
        },
      );
    },
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: running ? FOLLOW_MS : false,
  });
  // The run's counts say "finished" before the last poll of its targets could: without this final
  // read the rows would stay "pending" on a finished run.
  const wasRunning = useRef(running);
  const { refetch } = targets;
  useEffect(() => {
    if (wasRunning.current && !running) void refetch();
    wasRunning.current = running;
  }, [running, refetch]);
  return targets;
}
