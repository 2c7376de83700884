import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import {
  NOTIFICATION_TYPES,
  SEVERITIES,
  type NotificationType,
  type Severity,
} from '../../../shared/notifications.ts';
import type { NotificationListParams } from './notifications-api.ts';

/** The list's filters as the URL holds them (`unread=true`, `type` and `severity` repeat). */
export interface NotificationFilters {
  unread: boolean;
  type: NotificationType[];
  severity: Severity[];
}

function only<T extends string>(values: string[], allowed: readonly T[]): T[] {
  return [...new Set(values)].filter((v): v is T => (allowed as readonly string[]).includes(v));
}

/**
 * The filters in the URL, so reloads and shared links show the same list; unknown values (a
 * mangled link) are dropped. Changing them keeps other parameters (the open notification).
 */
export function useNotificationFilters(): [
  NotificationFilters,
  (change: Partial<NotificationFilters>) => void,
] {
  const [params, setParams] = useSearchParams();
  const unread = params.get('unread') === 'true';
  const typeKey = params.getAll('type').join(',');
  const severityKey = params.getAll('severity').join(',');

  const filters = useMemo(
    (): NotificationFilters => ({
      unread,
      type: only(typeKey ? typeKey.split(',') : [], NOTIFICATION_TYPES),
      severity: only(severityKey ? severityKey.split(',') : [], SEVERITIES),
    }),
    [unread, typeKey, severityKey],
  );

  const change = useCallback(
    (next: Partial<NotificationFilters>) =>
      setParams((current) => {
        const updated = new URLSearchParams(current);
        const putAll = (key: string, values: readonly string[]) => {
          updated.delete(key);
          for (const value of values) updated.append(key, value);
        };
        if (next.unread !== undefined) {
          if (next.unread) updated.set('unread', 'true');
          else updated.delete('unread');
        }
        if (next.type !== undefined) putAll('type', next.type);
        if (next.severity !== undefined) putAll('severity', next.severity);
        return updated;
      }),
    [setParams],
  );

  return [filters, change];
}

/** True when any filter is set. */
export function hasFilters(filters: NotificationFilters): boolean {
  return filters.unread || filters.type.length > 0 || filters.severity.length > 0;
}

/** The list call's parameters; multi-values sorted so that equal filters share a cache entry. */
export function listParamsOf(filters: NotificationFilters): NotificationListParams {
  return { unread: filters.unread, type: [...filters.type].sort(), severity: [...filters.severity].sort() };
}

/** The notification shown in the detail drawer (`?open=ID`), so a link can open one directly. */
export function useOpenNotification(): [string | null, (notificationId: string | null) => void] {
  const [params, setParams] = useSearchParams();
  const open = params.get('open');
  const change = useCallback(
    (notificationId: string | null) =>
      setParams((current) => {
        const updated = new URLSearchParams(current);
        if (notificationId) updated.set('open', notificationId);
        else updated.delete('open');
        return updated;
      }),
    [setParams],
  );
  return [open && /^\d{1,19}$/.test(open) ? open : null, change];
}
