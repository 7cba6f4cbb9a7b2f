/**
 * When a weekly brief is due: the regular weekly run in the schedule's own IANA time zone (daylight saving included,
 * through croner), moved to the next working day when it falls on a public holiday of the U.S., Korea or both
 * (through date-holidays), and whether a run that is late is still posted (the grace window) or skipped.
 */
import { createRequire } from "node:module";
import { Cron } from "croner";
import type HolidaysType from "date-holidays";
import { addDays, dateInZone, type IsoDate } from "../facts/dates.js";

/** ISO weekdays: 1 = Monday ... 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Whose public holidays move a brief to the next working day. */
export const HOLIDAY_RULES = ["none", "us", "kr", "both"] as const;
export type HolidayRule = (typeof HOLIDAY_RULES)[number];

/** The full weekday names, Monday first (index = ISO weekday - 1). */
export const WEEKDAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"] as const;

/** When a schedule posts: every week on `weekday` at `time` (HH:MM) in `timeZone`. */
export interface WeeklyRule {
  weekday: Weekday;
  /** HH:MM on a 24-hour clock. */
  time: string;
  /** An IANA time zone, e.g. America/New_York. */
  timeZone: string;
  holidays: HolidayRule;
}

/** One run of a schedule. */
export interface Occurrence {
  /** The local date of the regular run (before any holiday moved it): with the schedule, it names the run. */
  period: IsoDate;
  /** When the brief is due, holidays applied. */
  dueAt: Date;
  /** When a holiday moved it: the holidays skipped, e.g. "2026-01-19 Martin Luther King Jr. Day (US)". */
  moved?: string[];
}

/** How far a holiday may move a brief; a longer run of holidays and weekends posts on the last day tried. */
const MAX_MOVE_DAYS = 6;

const ruleCrons = new Map<string, Cron>();

function weeklyCron(rule: Pick<WeeklyRule, "weekday" | "time" | "timeZone">): Cron {
  const key = `${rule.weekday}|${rule.time}|${rule.timeZone}`;
  let cron = ruleCrons.get(key);
  if (!cron) {
    const [hour, minute] = splitTime(rule.time);
    // croner counts Sunday as 0; it never fires a paused job, it only computes times.
    cron = new Cron(`0 ${minute} ${hour} * * ${rule.weekday % 7}`, { timezone: rule.timeZone, paused: true });
    ruleCrons.set(key, cron);
  }
  return cron;
}

function splitTime(time: string): [number, number] {
  const m = /^(\d{2}):(\d{2})$/.exec(time);
  if (!m) throw new RangeError(`not a time (HH:MM): ${time}`);
  return [Number(m[1]), Number(m[2])];
}

/**
 * The instant at which the wall clock in `timeZone` shows `time` on `date`. A time skipped by a daylight-saving jump
 * (02:30 on the March Sunday in New York) is the same time after the jump (03:30); a time that happens twice (01:30 on
 * the November Sunday) is the first of the two. These are croner's rules, and the weekly runs follow them too.
 */
export function zonedInstant(date: IsoDate, time: string, timeZone: string): Date {
  const [hour, minute] = splitTime(time);
  const [, month, day] = date.split("-").map(Number) as [number, number, number];
  const cron = new Cron(`0 ${minute} ${hour} ${day} ${month} *`, { timezone: timeZone, paused: true });
  // Start the search two days early: every zone is within a day of UTC.
  const found = cron.nextRun(new Date(Date.parse(`${addDays(date, -2)}T00:00:00Z`)));
  if (!found) throw new RangeError(`no ${time} on ${date} in ${timeZone}`);
  return found;
}

// ---------------------------------------------------------------------------------------------------------------
// Holidays

const HOLIDAY_COUNTRIES = { us: { code: "US", zone: "America/New_York", label: "US" }, kr: { code: "KR", zone: "Asia/Seoul", label: "Korea" } } as const;
const holidayYears = new Map<string, Map<IsoDate, string>>();
const calendars = new Map<string, HolidaysType>();

/**
 * date-holidays, loaded the first time a schedule needs a holiday: it brings about 2 MB of code and calendar data that
 * a bot without holiday rules never reads (and that would otherwise be parsed at every start).
 */
let HolidaysClass: typeof HolidaysType | undefined;
function holidaysClass(): typeof HolidaysType {
  HolidaysClass ??= createRequire(import.meta.url)("date-holidays") as typeof HolidaysType;
  return HolidaysClass;
}

/** The public holidays of one country in one year: local date -> name. Multi-day holidays give every day. */
function holidaysOf(country: keyof typeof HOLIDAY_COUNTRIES, year: number): Map<IsoDate, string> {
  const key = `${country}|${year}`;
  let days = holidayYears.get(key);
  if (days) return days;
  const { code, zone } = HOLIDAY_COUNTRIES[country];
  let calendar = calendars.get(code);
  if (!calendar) {
    calendar = new (holidaysClass())(code, { types: ["public"], languages: ["en"] });
    calendars.set(code, calendar);
  }
  days = new Map();
  for (const holiday of calendar.getHolidays(year)) {
    if (holiday.type !== "public") continue;
    // start and end are instants in the country's zone; `end` is exclusive.
    for (let t = holiday.start.getTime(); t < holiday.end.getTime(); t += 86_400_000) {
      const day = dateInZone(new Date(t), zone);
      if (!days.has(day)) days.set(day, holiday.name);
    }
  }
  holidayYears.set(key, days);
  return days;
}

/** The public holidays on `date` under `rule`, e.g. ["Martin Luther King Jr. Day (US)"]; empty on a working day. */
export function holidaysOn(date: IsoDate, rule: HolidayRule): string[] {
  if (rule === "none") return [];
  const year = Number(date.slice(0, 4));
  const countries = rule === "both" ? (["us", "kr"] as const) : ([rule] as const);
  const names: string[] = [];
  for (const country of countries) {
    const name = holidaysOf(country, year).get(date);
    if (name) names.push(`${name} (${HOLIDAY_COUNTRIES[country].label})`);
  }
  return names;
}

/** ISO weekday of a calendar date. */
export function weekdayOf(date: IsoDate): Weekday {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return (d === 0 ? 7 : d) as Weekday;
}

/**
 * The day a brief regularly due on `date` is posted: `date` itself unless it is a public holiday under `rule`, else the
 * next day that is neither a holiday nor a Saturday or Sunday.
 */
export function workingDayFrom(date: IsoDate, rule: HolidayRule): { date: IsoDate; skipped: string[] } {
  const skipped: string[] = [];
  let day = date;
  for (let i = 0; i <= MAX_MOVE_DAYS; i++) {
    const names = holidaysOn(day, rule);
    const weekend = i > 0 && weekdayOf(day) >= 6;
    if (names.length === 0 && !weekend) return { date: day, skipped };
    if (names.length > 0) skipped.push(`${day} ${names.join(", ")}`);
    if (i < MAX_MOVE_DAYS) day = addDays(day, 1);
  }
  return { date: day, skipped };
}

// ---------------------------------------------------------------------------------------------------------------
// Occurrences

/** The run whose regular (unmoved) time is `nominal`. */
function occurrenceAt(rule: WeeklyRule, nominal: Date): Occurrence {
  const period = dateInZone(nominal, rule.timeZone);
  const { date, skipped } = workingDayFrom(period, rule.holidays);
  if (date === period) return { period, dueAt: nominal };
  return { period, dueAt: zonedInstant(date, rule.time, rule.timeZone), moved: skipped };
}

/** The first run due at or after `from` (a run regularly due before `from` that a holiday moved past it counts). */
export function firstOccurrenceFrom(rule: WeeklyRule, from: Date): Occurrence {
  const cron = weeklyCron(rule);
  // croner's search starts after the instant it is given; one millisecond back makes it inclusive.
  const start = new Date(from.getTime() - 1);
  const previous = cron.previousRuns(1, start)[0];
  if (previous) {
    const moved = occurrenceAt(rule, previous);
    if (moved.dueAt.getTime() >= from.getTime()) return moved;
  }
  const next = cron.nextRun(start);
  if (!next) throw new RangeError("the weekly rule has no next run");
  return occurrenceAt(rule, next);
}

/** The run after `current` (a run, or its period). */
export function occurrenceAfter(rule: WeeklyRule, current: IsoDate | Occurrence): Occurrence {
  const period = typeof current === "string" ? current : current.period;
  // A run no holiday moved is due at its regular time: no need to compute it again.
  const nominal =
    typeof current !== "string" && dateInZone(current.dueAt, rule.timeZone) === period
      ? current.dueAt
      : zonedInstant(period, rule.time, rule.timeZone);
  const next = weeklyCron(rule).nextRun(nominal);
  if (!next) throw new RangeError("the weekly rule has no next run");
  return occurrenceAt(rule, next);
}

/** The next `count` runs from `from`, for showing a schedule. */
export function upcomingOccurrences(rule: WeeklyRule, from: Date, count: number): Occurrence[] {
  const out = [firstOccurrenceFrom(rule, from)];
  while (out.length < count) out.push(occurrenceAfter(rule, out.at(-1)!));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Late runs

/** What to do about a run at `now`: not due yet, post it, or skip it (missed by more than the grace window). */
export function lateRunDecision(dueAt: Date, now: Date, graceMs: number): "wait" | "post" | "skip" {
  const late = now.getTime() - dueAt.getTime();
  if (late < 0) return "wait";
  return late <= graceMs ? "post" : "skip";
}

/** A run to record: post it (claim it) or record it as skipped. */
export interface PlannedRun extends Occurrence {
  action: "post" | "skip";
}

/** Runs a tick records at most per schedule; the rest of a very long outage is skipped as one jump. */
const MAX_PLANNED = 60;

/**
 * Every run of a schedule due by `now`, starting with `next` (the schedule's next run as stored), each to post or
 * skip, and the schedule's next run afterwards. After an outage, every run missed by more than the grace window is
 * skipped and the latest one within it is posted.
 */
export function planDueRuns(rule: WeeklyRule, next: Occurrence, now: Date, graceMs: number): { runs: PlannedRun[]; next: Occurrence } {
  const runs: PlannedRun[] = [];
  let current = next;
  let jumped = false;
  while (current.dueAt.getTime() <= now.getTime()) {
    if (runs.length >= MAX_PLANNED && !jumped) {
      jumped = true;
      // Months of downtime: do not record every week; carry on from the first run within the grace window.
      current = firstOccurrenceFrom(rule, new Date(now.getTime() - graceMs));
      if (current.dueAt.getTime() > now.getTime()) break;
    }
    const decision = lateRunDecision(current.dueAt, now, graceMs);
    runs.push({ ...current, action: decision === "post" ? "post" : "skip" });
    current = occurrenceAfter(rule, current);
  }
  return { runs, next: current };
}
