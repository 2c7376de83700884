import { describe, expect, it } from 'vitest';
import { etaSeconds, rateOf, withSample, type ProgressSample } from './progress-rate.ts';

describe('progress rate and ETA', () => {
  it('measures the rate over the observed samples and derives the time left', () => {
    let samples: ProgressSample[] = [];
    samples = withSample(samples, { at: 0, processed: 0 });
    expect(rateOf(samples)).toBeNull(); // one sample says nothing
    samples = withSample(samples, { at: 1_000, processed: 1_000 });
    expect(rateOf(samples)).toBeNull(); // too short a span
    samples = withSample(samples, { at: 2_000, processed: 2_000 });
    expect(rateOf(samples)).toBe(1_000);
    expect(etaSeconds(10_000, 2_000, rateOf(samples))).toBe(8);
  });

  it('forgets samples older than a minute and starts over when progress goes back', () => {
    let samples: ProgressSample[] = [];
    for (let s = 0; s <= 120; s += 10) samples = withSample(samples, { at: s * 1_000, processed: s * 10 });
    expect(samples[0]!.at).toBe(60_000);
    samples = withSample(samples, { at: 121_000, processed: 5 });
    expect(samples).toEqual([{ at: 121_000, processed: 5 }]);
  });

  it('has no ETA without progress', () => {
    expect(etaSeconds(100, 10, null)).toBeNull();
    expect(etaSeconds(100, 10, 0)).toBeNull();
  });
});
