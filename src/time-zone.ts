/**
 * Instants and wall-clock times in IANA time zones: the one module that converts between them, built on the Temporal
 * polyfill (temporal-polyfill), for facts, status, memos, briefs and the scheduler alike.
 *
 * The rule for wall-clock times that daylight saving makes odd is Temporal's `compatible` disambiguation (the one
 * RFC 5545 calendars and cron use):
 * - a local time that does not exist (the spring-forward gap) is moved forward by the length of the gap: 02:30 on
 *   8 March 2026 in New York is 03:30 EDT (07:30Z);
 * - a local time that occurs twice (the fall-back overlap) is the earlier of the two: 01:30 on 1 November 2026 in New
 *   York is 01:30 EDT (05:30Z), not 01:30 EST.
 * A zone without daylight saving (Asia/Seoul) has neither.
 */
import { Temporal } from "temporal-polyfill";
import type { Clock } from "./clock.js";
import { isIsoDate, type IsoDate } from "./facts/dates.js";

/** A wall-clock time, `HH:MM` on a 24-hour clock. */
export type LocalTime = string;

/** True when `name` is an IANA time zone the runtime knows (America/New_York, Asia/Seoul, UTC). */
export function isTimeZone(name: string): boolean {
  return canonicalTimeZone(name) !== undefined;
}

/**
 * The canonical spelling of a time zone ("asia/seoul" -> "Asia/Seoul", "US/Eastern" -> "America/New_York"), or
 * undefined when it is not one. Intl's, because Temporal keeps a link (US/Eastern) as it was typed.
 */
export function canonicalTimeZone(name: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

function splitTime(time: LocalTime): { hour: number; minute: number } {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  const hour = Number(m?.[1]);
  const minute = Number(m?.[2]);
  if (!m || hour > 23 || minute > 59) throw new RangeError(`not a time (HH:MM): ${time}`);
  return { hour, minute };
}

// A tick of the scheduler asks for the same few local times of many schedules: converting one costs about 0.1 ms.
const instants = new Map<string, number>();
const MAX_CACHED_INSTANTS = 10_000;

/**
 * The instant at which the wall clock in `timeZone` shows `time` on `date`, by the module's daylight-saving rule: a
 * skipped time is moved forward by the gap, a doubled time is the earlier one.
 */
export function zonedInstant(date: IsoDate, time: LocalTime, timeZone: string): Date {
  const key = `${date}|${time}|${timeZone}`;
  let ms = instants.get(key);
  if (ms === undefined) {
    if (!isIsoDate(date)) throw new RangeError(`not a date (YYYY-MM-DD): ${date}`);
    const [year, month, day] = date.split("-").map(Number) as [number, number, number];
    const { hour, minute } = splitTime(time);
    const local = new Temporal.PlainDateTime(year, month, day, hour, minute);
    ms = local.toZonedDateTime(timeZone, { disambiguation: "compatible" }).epochMilliseconds;
    if (instants.size >= MAX_CACHED_INSTANTS) instants.clear();
    instants.set(key, ms);
  }
  return new Date(ms);
}

/** The calendar date and wall-clock time at `instant` in `timeZone`. */
export function localDateTime(instant: Date, timeZone: string): { date: IsoDate; time: LocalTime } {
  const zoned = Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(timeZone);
  return { date: zoned.toPlainDate().toString(), time: zoned.toPlainTime().toString({ smallestUnit: "minute" }) };
}

// The date of "now" is asked for on every request (/korus status, days left): one conversion per zone per minute.
const zoneDates = new Map<string, { minute: number; date: IsoDate }>();

/** The calendar date at `instant` in `timeZone`. */
export function dateInZone(instant: Date, timeZone: string): IsoDate {
  // Every zone's offset is a whole number of minutes: one minute is one date, so a burst of calls converts once.
  const minute = Math.floor(instant.getTime() / 60_000);
  const cached = zoneDates.get(timeZone);
  if (cached?.minute === minute) return cached.date;
  const date = localDateTime(instant, timeZone).date;
  zoneDates.set(timeZone, { minute, date });
  return date;
}

/** Today in `timeZone` by `clock`: the one way a day is taken from the current time for the team. */
export function todayIn(clock: Clock, timeZone: string): IsoDate {
  return dateInZone(clock.now(), timeZone);
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** Intl's formatter for `locale`, `timeZone` and `options`, made once and kept (making one costs about 0.1 ms). */
function formatter(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    if (formats.size >= 1000) formats.clear();
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formats.set(key, format);
  }
  return format;
}

/** `instant` as Intl writes it in `timeZone` (the one place views format instants; formatters are reused). */
export function formatInZone(instant: Date, timeZone: string, locale: string, options: Intl.DateTimeFormatOptions): string {
  return formatter(locale, timeZone, options).format(instant);
}

const DESCRIBE: Intl.DateTimeFormatOptions = {
  weekday: "short",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZoneName: "short",
};

/** "Mon 2026-01-19 09:00 EST": an instant as people read it in `timeZone`, with the zone's abbreviation. */
export function describeInstant(instant: Date, timeZone: string): string {
  const format = formatter("en-US", timeZone, DESCRIBE);
  const parts = format.formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("weekday")} ${part("year")}-${part("month")}-${part("day")} ${part("hour")}:${part("minute")} ${part("timeZoneName")}`;
}
