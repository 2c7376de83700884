// When a scheduled import source runs next: every N minutes, or daily / weekly at a wall-clock
// time in the account's time zone (so "daily at 06:00" stays 06:00 across daylight saving).
import type { ImportSchedule } from '../../../shared/import-sources.ts';
import { fromZonedLocal, toZonedDay } from '../../../shared/time-zones.ts';

const DAY_MS = 86_400_000;

/** The first run strictly after `after` (null: the source only runs when asked). */
export function nextRunAfter(schedule: ImportSchedule, after: Date, timeZone: string): Date | null {
  switch (schedule.kind) {
    case 'manual':
      return null;
    case 'interval':
      return new Date(after.getTime() + schedule.minutes * 60_000);
    case 'daily':
    case 'weekly': {
      // Walk the local days from today; at most 8 are needed for a weekly slot.
      for (let i = 0; i < 9; i++) {
        const day = toZonedDay(new Date(after.getTime() + i * DAY_MS), timeZone);
        const at = fromZonedLocal(`${day}T${schedule.time}`, timeZone);
        const weekday = ((new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
        if (at.getTime() > after.getTime() && (schedule.kind === 'daily' || weekday === schedule.weekday))
          return at;
      }
      return null;
    }
  }
}
