import { sql, type SQL } from 'drizzle-orm';
import type { AccountId } from './tenant.ts';
import { isCalendarDay } from '../../shared/time-zones.ts';

/**
 * Calendar days in an account's time zone, as SQL. Every instant is computed with the zone as a
 * bound value (`timestamp AT TIME ZONE zone`), so results never depend on the session's TimeZone
 * setting and are the same on PGlite and PostgreSQL.
 */

/** A zone for the helpers below: an IANA name, or SQL that yields one. */
export type Zone = string | SQL;

const zoneSql = (zone: Zone): SQL => (typeof zone === 'string' ? sql`${zone}::text` : zone);

/** The account's stored zone, read in the same statement (for repositories that only have the id). */
export function accountZone(accountId: AccountId): SQL {
  return sql`(SELECT a.time_zone FROM accounts a WHERE a.id = ${accountId})`;
}

/** The instant (timestamptz) at which `day` (YYYY-MM-DD) plus `addDays` starts in `zone`. */
export function startOfDay(day: string | SQL, zone: Zone, addDays = 0): SQL {
  const date = typeof day === 'string' ? sql`${day}::date` : day;
  return sql`((${date} + ${addDays}::int)::timestamp AT TIME ZONE ${zoneSql(zone)})`;
}

/** The calendar day (date) that `now` falls on in `zone`: "today" from Herald's clock, not the database's. */
export function dayAt(now: Date, zone: Zone): SQL {
  return sql`((${now.toISOString()}::timestamptz AT TIME ZONE ${zoneSql(zone)})::date)`;
}

/**
 * The predicate of a `from`/`to` range over a timestamptz column. A calendar day means that day in
 * the zone: `from` includes its whole day, `to` includes its whole day (ends before the next one).
 * An instant with offset is taken as it is (`from` inclusive, `to` exclusive), as the API always did.
 */
export function dayRange(column: SQL, range: { from?: string; to?: string }, zone: Zone): SQL[] {
  const parts: SQL[] = [];
  if (range.from)
    parts.push(
      isCalendarDay(range.from)
        ? sql`${column} >= ${startOfDay(range.from, zone)}`
        : sql`${column} >= ${range.from}::timestamptz`,
    );
  if (range.to)
    parts.push(
      isCalendarDay(range.to)
        ? sql`${column} < ${startOfDay(range.to, zone, 1)}`
        : sql`${column} < ${range.to}::timestamptz`,
    );
  return parts;
}
