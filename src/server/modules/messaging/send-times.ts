// When each message of a bulk send is due: drip batches (batch size, interval, allowed weekdays and
// a daily time window) and SMS quiet hours, all in the account's time zone. Pure functions: the
// chunk asks them for every item's due time, tests drive them with any instant.
import { fromZonedLocal, toZonedLocal } from '../../../shared/time-zones.ts';
import type { Drip } from '../../../shared/bulk-messaging.ts';

/** SMS quiet hours: no SMS is due from 21:00 to 08:00 account time (moved to 08:00). */
export const QUIET_FROM_MINUTES = 21 * 60;
export const QUIET_TO_MINUTES = 8 * 60;

/** What restricts the moments a message may be due at. */
export interface SendRules {
  timeZone: string;
  /** ISO weekdays (1 = Monday … 7 = Sunday); absent: every day. */
  weekdays?: readonly number[] | undefined;
  /** Daily window `HH:MM`–`HH:MM` (may wrap midnight); absent: all day. */
  window?: { from: string; to: string } | undefined;
  /** SMS quiet hours (21:00–08:00). */
  quietHours: boolean;
}

const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
const pad = (n: number) => String(n).padStart(2, '0');
const hhmm = (minutes: number) => `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;

/** The local calendar day `days` after `day` (YYYY-MM-DD). */
function addDays(day: string, days: number): string {
  const d = new Date(
    Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))),
  );
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local calendar day. */
function isoWeekday(day: string): number {
  const wd = new Date(`${day}T00:00:00Z`).getUTCDay();
  return wd === 0 ? 7 : wd;
}

/**
 * The earliest instant at or after `at` that the rules allow: on an allowed weekday, inside the
 * window, outside quiet hours. An allowed `at` is returned as it is.
 */
export function nextAllowed(at: Date, rules: SendRules): Date {
  let t = at;
  // Each step moves forward to a boundary; a week of days covers every combination.
  for (let i = 0; i < 40; i++) {
    const local = toZonedLocal(t, rules.timeZone);
    const day = local.slice(0, 10);
    const m = minutesOf(local.slice(11, 16));
    const at = (d: string, minutes: number) => fromZonedLocal(`${d}T${hhmm(minutes)}`, rules.timeZone);
    if (rules.weekdays && !rules.weekdays.includes(isoWeekday(day))) {
      t = at(addDays(day, 1), 0);
      continue;
    }
    if (rules.window) {
      const from = minutesOf(rules.window.from);
      const to = minutesOf(rules.window.to);
      const inside = from === to || (from < to ? m >= from && m < to : m >= from || m < to);
      if (!inside) {
        t = from < to && m >= to ? at(addDays(day, 1), from) : at(day, from);
        continue;
      }
    }
    if (rules.quietHours && (m >= QUIET_FROM_MINUTES || m < QUIET_TO_MINUTES)) {
      t = at(m >= QUIET_FROM_MINUTES ? addDays(day, 1) : day, QUIET_TO_MINUTES);
      continue;
    }
    return t;
  }
  return t;
}

/**
 * The due time of each drip batch: the first at the first allowed moment from `start`, each next
 * one `intervalMinutes` after the one before, moved to the next allowed moment. Batch `b` holds the
 * items with sequence numbers `b × batchSize + 1 …`. Memoised: ask in any order.
 */
export function dripSchedule(drip: Drip, start: Date, rules: SendRules): (batch: number) => Date {
  const times: Date[] = [];
  const stepMs = drip.intervalMinutes * 60_000;
  return (batch) => {
    while (times.length <= batch) {
      const prev = times.at(-1);
      times.push(nextAllowed(prev ? new Date(prev.getTime() + stepMs) : start, rules));
    }
    return times[batch]!;
  };
}

/** The batch of item `seq` (1-based). */
export const batchOf = (seq: number, batchSize: number): number => Math.floor((seq - 1) / batchSize);

/**
 * Due times for items by sequence number: drip batches when `drip` is set, else `now` moved out of
 * quiet hours (null: due at once).
 */
export function sendTimes(
  plan: { drip?: Drip | undefined; quietHours: boolean; timeZone: string },
  start: Date,
  now: Date,
): (seq: number) => Date | null {
  const rules: SendRules = {
    timeZone: plan.timeZone,
    weekdays: plan.drip?.weekdays,
    window: plan.drip?.window,
    quietHours: plan.quietHours,
  };
  if (plan.drip) {
    const drip = plan.drip;
    const schedule = dripSchedule(drip, start, rules);
    return (seq) => schedule(batchOf(seq, drip.batchSize));
  }
  if (!plan.quietHours) return () => null;
  const due = nextAllowed(now, rules);
  return () => (due.getTime() === now.getTime() ? null : due);
}
