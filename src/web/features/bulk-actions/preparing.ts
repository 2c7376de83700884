import type { BulkAction } from '../../../shared/bulk-actions.ts';

/** How far the background freeze of a `preparing` action got. */
export interface PreparingProgress {
  /** Items frozen so far. */
  prepared: number;
  /** What they are counted against: the confirmed count, or more if the selection grew since. */
  of: number;
  /** 0–100, rounded down, so 100 shows only once everything is frozen. */
  percent: number;
}

/**
 * The freeze's progress for "Preparing… 12,345 of 1,000,000". While preparing, `total` is the count
 * the creator confirmed; contacts added since may make the frozen set a little larger, so the
 * figure is never shown above its whole (no "1,000,200 of 1,000,000", no bar beyond 100 %).
 */
export function preparingProgress(action: Pick<BulkAction, 'prepared' | 'total'>): PreparingProgress {
  const prepared = Math.max(0, action.prepared);
  const of = Math.max(action.total, prepared);
  const percent = of === 0 ? 0 : Math.floor((prepared / of) * 100);
  return { prepared, of, percent };
}

/** The action is still freezing its selection: its counters, name and total are not final yet. */
export function isPreparing(action: Pick<BulkAction, 'status'>): boolean {
  return action.status === 'preparing';
}
