/** One observation of an action's progress: when (ms) and how many items were processed by then. */
export interface ProgressSample {
  at: number;
  processed: number;
}

// The rate follows the last minute of progress: a run that speeds up or slows down shows it soon.
const WINDOW_MS = 60_000;
// Below this span two samples say little (the server coalesces changes over ~200 ms).
const MIN_SPAN_MS = 1_500;

/** The samples with a new one added, those older than the window dropped (always keeping two). */
export function withSample(samples: readonly ProgressSample[], next: ProgressSample): ProgressSample[] {
  const last = samples.at(-1);
  // Progress never goes back; a lower count is a restart of the observation (a resumed action).
  const kept = last && next.processed < last.processed ? [] : [...samples];
  kept.push(next);
  while (kept.length > 2 && next.at - kept[0]!.at > WINDOW_MS) kept.shift();
  return kept;
}

/** Items per second over the samples, or null while they cover too short a time. */
export function rateOf(samples: readonly ProgressSample[]): number | null {
  const first = samples[0];
  const last = samples.at(-1);
  if (!first || !last || last.at - first.at < MIN_SPAN_MS) return null;
  return ((last.processed - first.processed) * 1000) / (last.at - first.at);
}

/** Seconds until `total` is reached at `rate`, or null when the rate is unknown or zero. */
export function etaSeconds(total: number, processed: number, rate: number | null): number | null {
  if (rate === null || rate <= 0) return null;
  return Math.max(0, (total - processed) / rate);
}
