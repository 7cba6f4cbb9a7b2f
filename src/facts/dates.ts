import { count } from "../render/count.js";
/** A calendar date, `YYYY-MM-DD`. Deadlines and days-left are counted in whole calendar days, never in hours. */
export type IsoDate = string;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** True for a real calendar date in `YYYY-MM-DD` form (2017-02-29 is not one). */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/**
 * The days a fact's dates may fall on: from the first U.S.-Korea treaty's century to a lifetime of phase-out schedules
 * ahead. A date outside is a typo (9999-01-01, 0217-07-12), not history.
 */
export const DATE_RANGE = { earliest: "1800-01-01", latest: "2100-12-31" } as const;

/** Why a calendar date is outside {@link DATE_RANGE}, or null when it is inside. */
export function dateOutOfRange(date: IsoDate): string | null {
  if (date >= DATE_RANGE.earliest && date <= DATE_RANGE.latest) return null;
  return `${date} is outside the dates a fact may have (${DATE_RANGE.earliest} to ${DATE_RANGE.latest})`;
}

/**
 * The UTC calendar day of an instant: the day a fact is stored (the day its `createdAt` reads back as), and today for a
 * caller that has no team time zone. The instant comes from a clock (src/clock.ts); the team's today is
 * `todayIn(clock, timeZone)` (src/time-zone.ts).
 */
export function utcDay(instant: Date): IsoDate {
  return instant.toISOString().slice(0, 10);
}

function toUtcMs(date: IsoDate): number {
  if (!isIsoDate(date)) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
  return Date.parse(`${date}T00:00:00Z`);
}

/** The date `days` calendar days after `date` (negative goes back). */
export function addDays(date: IsoDate, days: number): IsoDate {
  return new Date(toUtcMs(date) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole calendar days from `from` to `to`: positive when `to` is later. */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round((toUtcMs(to) - toUtcMs(from)) / DAY_MS);
}

/** A Prisma `@db.Date` value (midnight UTC) as an IsoDate. */
export function fromDbDate(value: Date): IsoDate {
  return value.toISOString().slice(0, 10);
}

/** An IsoDate as the Date Prisma expects for a `@db.Date` column. */
export function toDbDate(date: IsoDate): Date {
  return new Date(toUtcMs(date));
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;

/** ISO weekday of a calendar date: 1 = Monday ... 7 = Sunday. */
export function weekdayOf(date: IsoDate): 1 | 2 | 3 | 4 | 5 | 6 | 7 {
  const d = new Date(toUtcMs(date)).getUTCDay();
  return (d === 0 ? 7 : d) as 1 | 2 | 3 | 4 | 5 | 6 | 7;
}

/** "Fri": the short English name of a date's weekday (computed, not formatted: it is on every fact label). */
export function weekdayName(date: IsoDate): string {
  return WEEKDAYS[new Date(toUtcMs(date)).getUTCDay()]!;
}

/** "22 days left", "due today", "overdue by 4 days". */
export function describeDaysLeft(daysLeft: number): string {
  if (daysLeft === 0) return "due today";
  if (daysLeft === 1) return "1 day left";
  if (daysLeft > 1) return `${dayCount(daysLeft)} days left`;
  return daysLeft === -1 ? "overdue by 1 day" : `overdue by ${dayCount(-daysLeft)} days`;
}

/** A number of days as people read it: 3,142 rather than 3142. */
export function dayCount(days: number): string {
  return count(days);
}
