import { toZonedLocal } from '../../../shared/time-zones.ts';

const MINUTE_MS = 60_000;

/**
 * The slot a schedule field shows first, as wall-clock time in `timeZone` ('YYYY-MM-DDTHH:mm'):
 * the current slot if it is still ahead, else the first full hour (in that zone) at least an hour
 * from now, so the pre-flight count before the slot has time to warn.
 */
export function suggestedSlot(current: string | null, timeZone: string, now: Date): string {
  if (current && Date.parse(current) > now.getTime()) return toZonedLocal(new Date(current), timeZone);
  const inAnHour = new Date(now.getTime() + 60 * MINUTE_MS);
  const minutes = Number(toZonedLocal(inAnHour, timeZone).slice(14, 16));
  const rounded = minutes === 0 ? inAnHour : new Date(inAnHour.getTime() + (60 - minutes) * MINUTE_MS);
  return `${toZonedLocal(rounded, timeZone).slice(0, 14)}00`;
}
