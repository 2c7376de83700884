import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import {
  BULK_DISPLAY_STATUSES,
  BULK_TYPES,
  type BulkDisplayStatus,
  type BulkType,
} from '../../../shared/bulk-actions.ts';
import type { BulkListParams } from './bulk-api.ts';

/** The table's filters as the URL holds them: `status` and `type` repeat, dates are local days. */
export interface BulkFilters {
  /** Shown states ("completed_with_errors" included). */
  status: BulkDisplayStatus[];
  type: BulkType[];
  /** A user id. */
  createdBy: string | null;
  /** YYYY-MM-DD, the first day shown. */
  from: string | null;
  /** YYYY-MM-DD, the last day shown (inclusive). */
  to: string | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function validDay(text: string | null): string | null {
  return text && DAY.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00`)) ? text : null;
}

function only<T extends string>(values: string[], allowed: readonly T[]): T[] {
  return [...new Set(values)].filter((v): v is T => (allowed as readonly string[]).includes(v));
}

/**
 * The filters in the URL, so reloads and shared links show the same table. Unknown values (a
 * mangled link) are dropped. Every change pushes a history entry: Back restores the previous filter.
 */
export function useBulkFilters(): [BulkFilters, (change: Partial<BulkFilters>) => void] {
  const [params, setParams] = useSearchParams();
  const statusKey = params.getAll('status').join(',');
  const typeKey = params.getAll('type').join(',');
  const createdByParam = params.get('createdBy');
  const fromParam = params.get('from');
  const toParam = params.get('to');

  const filters = useMemo(
    (): BulkFilters => ({
      status: only(statusKey ? statusKey.split(',') : [], BULK_DISPLAY_STATUSES),
      type: only(typeKey ? typeKey.split(',') : [], BULK_TYPES),
      createdBy: createdByParam && /^\d{1,15}$/.test(createdByParam) ? createdByParam : null,
      from: validDay(fromParam),
      to: validDay(toParam),
    }),
    [statusKey, typeKey, createdByParam, fromParam, toParam],
  );

  const change = useCallback(
    (next: Partial<BulkFilters>) =>
      setParams((current) => {
        const updated = new URLSearchParams(current);
        const putAll = (key: string, values: readonly string[]) => {
          updated.delete(key);
          for (const value of values) updated.append(key, value);
        };
        const put = (key: string, value: string | null) => {
          if (value) updated.set(key, value);
          else updated.delete(key);
        };
        if (next.status !== undefined) putAll('status', next.status);
        if (next.type !== undefined) putAll('type', next.type);
        if (next.createdBy !== undefined) put('createdBy', next.createdBy);
        if (next.from !== undefined) put('from', next.from);
        if (next.to !== undefined) put('to', next.to);
        return updated;
      }),
    [setParams],
  );

  return [filters, change];
}

/** True when any filter is set. */
export function hasFilters(filters: BulkFilters): boolean {
  return (
    filters.status.length > 0 ||
    filters.type.length > 0 ||
    filters.createdBy !== null ||
    filters.from !== null ||
    filters.to !== null
  );
}

/** The last day lies before the first: nothing can match. */
export function rangeReversed(filters: BulkFilters): boolean {
  return filters.from !== null && filters.to !== null && filters.to < filters.from;
}

/**
 * The list call's parameters. The days go as they are: the server reads them in the account's
 * time zone, the last day included.
 */
export function listParamsOf(filters: BulkFilters): BulkListParams {
  return {
    status: [...filters.status].sort(),
    type: [...filters.type].sort(),
    createdBy: filters.createdBy,
    from: filters.from,
    to: filters.to,
  };
}
