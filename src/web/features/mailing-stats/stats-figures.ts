// Pure helpers of the statistics page: rates, and the hourly timeline as chart series (gaps filled,
// long spans merged so the chart keeps a readable number of points) and SVG paths.
import type { MailingStatistics } from '../../../shared/mailings.ts';

type Timeline = MailingStatistics['timeline'];
/** The series the chart draws. */
export const CHART_SERIES = [
  { key: 'sent', color: 'blue.6' },
  { key: 'delivered', color: 'green.6' },
  { key: 'opens', color: 'grape.6' },
  { key: 'clicks', color: 'orange.6' },
] as const;
export type ChartSeriesKey = (typeof CHART_SERIES)[number]['key'];

/** One point of the chart: the start of its span (ISO) and the events in it. */
export type ChartPoint = { at: string } & Record<ChartSeriesKey, number>;

const HOUR_MS = 3_600_000;

/**
 * The messages that reached a mailbox as far as the ledger knows (sent and not bounced, or
 * delivered): the base of the open and click rates.
 */
export function reachedMessages(stats: Pick<MailingStatistics, 'counts'>): number {
  return (stats.counts.sent ?? 0) + (stats.counts.delivered ?? 0);
}

/** `part` of `whole` as a fraction (0..1), or null when there is no whole to measure against. */
export function rateOf(part: number, whole: number): number | null {
  return whole > 0 ? Math.min(1, part / whole) : null;
}

/**
 * The server's sparse hourly buckets (only hours with events) as a continuous series from the
 * first to the last hour, each span `stepHours` long: 1 hour while the span has at most
 * `maxPoints` hours, else as many hours per point as keep it within `maxPoints`.
 */
export function chartPoints(
  timeline: Timeline,
  maxPoints = 168,
): { points: ChartPoint[]; stepHours: number } {
  if (timeline.length === 0) return { points: [], stepHours: 1 };
  const times = timeline.map((b) => Date.parse(b.at));
  const first = Math.min(...times);
  const hours = Math.round((Math.max(...times) - first) / HOUR_MS) + 1;
  const stepHours = Math.max(1, Math.ceil(hours / maxPoints));
  const count = Math.ceil(hours / stepHours);
  const points: ChartPoint[] = Array.from({ length: count }, (_, i) => ({
    at: new Date(first + i * stepHours * HOUR_MS).toISOString(),
    sent: 0,
    delivered: 0,
    opens: 0,
    clicks: 0,
  }));
  timeline.forEach((bucket, i) => {
    const point = points[Math.floor(Math.round((times[i]! - first) / HOUR_MS) / stepHours)]!;
    for (const { key } of CHART_SERIES) point[key] += bucket[key];
  });
  return { points, stepHours };
}

/** The highest value of any series (at least 1, so an all-zero chart has a scale). */
export function chartMax(points: readonly ChartPoint[]): number {
  return Math.max(1, ...points.flatMap((p) => CHART_SERIES.map(({ key }) => p[key])));
}

/**
 * An SVG path through `values` over a `width` × `height` box (y grows downwards; 0 at the bottom,
 * `max` at the top). A single value is a short flat line so it stays visible.
 */
export function linePath(values: readonly number[], width: number, height: number, max: number): string {
  if (values.length === 0) return '';
  const y = (v: number) => round(height - (v / max) * height);
  if (values.length === 1) return `M0 ${y(values[0]!)} L${width} ${y(values[0]!)}`;
  const step = width / (values.length - 1);
  return values.map((v, i) => `${i === 0 ? 'M' : 'L'}${round(i * step)} ${y(v)}`).join(' ');
}

const round = (v: number) => Math.round(v * 10) / 10;
