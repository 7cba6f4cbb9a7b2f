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

// Building an Intl.DateTimeFormat costs far more than using one: keep one per time zone.
const zoneFormats = new Map<string, { format: Intl.DateTimeFormat; minute: number; date: IsoDate }>();

/** The calendar date at instant `now` in the IANA time zone `timeZone`. */
export function dateInZone(now: Date, timeZone: string): IsoDate {
  // Every zone's offset is a whole number of minutes: one minute is one date, so a burst of calls formats once.
  const minute = Math.floor(now.getTime() / 60_000);
  let zone = zoneFormats.get(timeZone);
  if (!zone) {
    // en-CA formats as YYYY-MM-DD.
    zone = { format: new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }), minute: NaN, date: "" };
    zoneFormats.set(timeZone, zone);
  }
  if (zone.minute !== minute) {
    zone.date = zone.format.format(now);
    zone.minute = minute;
  }
  return zone.date;
}

/** A Prisma `@db.Date` value (midnight UTC) as an IsoDate. */
export function fromDbDate(value: Date): IsoDate {
  return value.toISOString().slice(0, 10);
}

/** An IsoDate as the Date Prisma expects for a `@db.Date` column. */
export function toDbDate(date: IsoDate): Date {
  return new Date(toUtcMs(date));
}

/** "Fri 11 Aug 2017": the form people read in status lines. */
export function formatDate(date: IsoDate): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: "UTC",
    weekday: "short",
    day: "numeric",
    month: "short",
    year: "numeric",
  })
    .format(new Date(toUtcMs(date)))
    .replace(",", "");
}

/** "22 days left", "due today", "overdue by 4 days". */
export function describeDaysLeft(daysLeft: number): string {
  if (daysLeft === 0) return "due today";
  if (daysLeft === 1) return "1 day left";
  if (daysLeft > 1) return `${daysLeft} days left`;
  return daysLeft === -1 ? "overdue by 1 day" : `overdue by ${-daysLeft} days`;
}

/** The instant at which the wall clock in `timeZone` shows `date` `time` (HH:MM); DST changes included. */
export function zonedTime(date: string, time: string, timeZone: string): Date {
  const naive = Date.parse(`${date}T${time}:00Z`);
  // The zone's offset at that moment, found by formatting the naive instant there and measuring the difference.
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(new Date(naive));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const asZone = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  const offset = asZone - naive;
  const guess = naive - offset;
  // Re-check across a DST boundary: the offset at the guess may differ by an hour.
  const parts2 = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" }).formatToParts(new Date(guess));
  const get2 = (t: string) => Number(parts2.find((p) => p.type === t)!.value);
  const offset2 = Date.UTC(get2("year"), get2("month") - 1, get2("day"), get2("hour"), get2("minute"), get2("second")) - guess;
  return new Date(naive - offset2);
}
