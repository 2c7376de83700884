import { describe, expect, it } from 'vitest';
import { chartMax, chartPoints, linePath, rateOf, reachedMessages } from './stats-figures.ts';

const bucket = (
  at: string,
  v: Partial<Record<'sent' | 'delivered' | 'bounced' | 'opens' | 'clicks', number>>,
) => ({
  at,
  sent: 0,
  delivered: 0,
  bounced: 0,
  opens: 0,
  clicks: 0,
  ...v,
});

describe('rates', () => {
  it('measures against sent plus delivered and has no rate without a base', () => {
    const counts = { queued: 0, sent: 6, delivered: 2, bounced: 5, failed: 1, skipped: 3, cancelled: 0 };
    expect(reachedMessages({ counts })).toBe(8);
    expect(rateOf(2, 8)).toBe(0.25);
    expect(rateOf(0, 0)).toBeNull();
    expect(rateOf(9, 8)).toBe(1);
  });
});

describe('chartPoints', () => {
  it('fills the hours without events with zeros', () => {
    const { points, stepHours } = chartPoints([
      bucket('2026-01-05T10:00:00.000Z', { sent: 4, opens: 1 }),
      bucket('2026-01-05T13:00:00.000Z', { clicks: 2, bounced: 9 }),
    ]);
    expect(stepHours).toBe(1);
    expect(points).toEqual([
      { at: '2026-01-05T10:00:00.000Z', sent: 4, delivered: 0, opens: 1, clicks: 0 },
      { at: '2026-01-05T11:00:00.000Z', sent: 0, delivered: 0, opens: 0, clicks: 0 },
      { at: '2026-01-05T12:00:00.000Z', sent: 0, delivered: 0, opens: 0, clicks: 0 },
      { at: '2026-01-05T13:00:00.000Z', sent: 0, delivered: 0, opens: 0, clicks: 2 },
    ]);
  });

  it('merges hours when the span is longer than the points allowed, keeping every event', () => {
    const { points, stepHours } = chartPoints(
      [
        bucket('2026-01-05T00:00:00.000Z', { sent: 1 }),
        bucket('2026-01-05T01:00:00.000Z', { sent: 2 }),
        bucket('2026-01-05T05:00:00.000Z', { opens: 3 }),
      ],
      3,
    );
    expect(stepHours).toBe(2);
    expect(points.map((p) => [p.at.slice(11, 13), p.sent, p.opens])).toEqual([
      ['00', 3, 0],
      ['02', 0, 0],
      ['04', 0, 3],
    ]);
  });

  it('is empty for an empty timeline', () => {
    expect(chartPoints([])).toEqual({ points: [], stepHours: 1 });
    expect(chartMax([])).toBe(1);
  });
});

describe('linePath', () => {
  it('scales values to the box with 0 at the bottom', () => {
    expect(linePath([0, 5, 10], 100, 50, 10)).toBe('M0 50 L50 25 L100 0');
    expect(linePath([5], 100, 50, 10)).toBe('M0 25 L100 25');
    expect(linePath([], 100, 50, 10)).toBe('');
  });
});
