const FIRST_MS = 1_000;
const MAX_MS = 30_000;

/**
 * How long to wait before opening a live stream again after its `failures`-th failed attempt in a
 * row (0 for the first): doubling from 1 s up to 30 s, so a server that is down for a deploy is not
 * hammered, and drawn between half and all of that, so the tabs a restart disconnected at once do
 * not all come back in the same instant.
 */
export function reopenDelayMs(failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(MAX_MS, FIRST_MS * 2 ** Math.max(0, Math.min(failures, 16)));
  return Math.round(ceiling * (0.5 + random() / 2));
}
