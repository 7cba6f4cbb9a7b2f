/**
 * When a weekly brief is due: the regular weekly run in the schedule's own IANA time zone (daylight saving by the rule
 * of src/time-zone.ts: a skipped time runs after the jump, a doubled time once, the first time), moved to the next working day when it falls on a public holiday of the U.S., Korea or both
 * (through date-holidays), and whether a run that is late is still posted (the grace window) or skipped.
 */
import { createRequire } from "node:module";
import type HolidaysType from "date-holidays";
import { addDays, type IsoDate, weekdayOf } from "../facts/dates.js";
import { dateInZone, zonedInstant } from "../time-zone.js";

/** ISO weekdays: 1 = Monday ... 7 = Sunday. */
export type Weekday = ReturnType<typeof weekdayOf>;

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

/** The regular (unmoved) run on local date `date`, when the rule's weekday is that date's. */
function regularRunOn(rule: Pick<WeeklyRule, "weekday" | "time" | "timeZone">, date: IsoDate): Date | undefined {
  return weekdayOf(date) === rule.weekday ? zonedInstant(date, rule.time, rule.timeZone) : undefined;
}

/** The first regular run after `instant` (at or after it when `inclusive`). */
function nextRegularRun(rule: Pick<WeeklyRule, "weekday" | "time" | "timeZone">, instant: Date, inclusive: boolean): Date {
  // One run per local date, so runs come in the order of their dates; a day early covers a time past midnight UTC.
  const today = dateInZone(instant, rule.timeZone);
  for (let i = -1; i <= 8; i++) {
    const run = regularRunOn(rule, addDays(today, i));
    if (run && (run.getTime() > instant.getTime() || (inclusive && run.getTime() === instant.getTime()))) return run;
  }
  throw new RangeError("the weekly rule has no next run");
}

/** The last regular run before `instant`. */
function previousRegularRun(rule: Pick<WeeklyRule, "weekday" | "time" | "timeZone">, instant: Date): Date {
  const today = dateInZone(instant, rule.timeZone);
  for (let i = 1; i >= -8; i--) {
    const run = regularRunOn(rule, addDays(today, i));
    if (run && run.getTime() < instant.getTime()) return run;
  }
  throw new RangeError("the weekly rule has no previous run");
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
  const moved = occurrenceAt(rule, previousRegularRun(rule, from));
  if (moved.dueAt.getTime() >= from.getTime()) return moved;
  return occurrenceAt(rule, nextRegularRun(rule, from, true));
}

/** The run after `current` (a run, or its period). */
export function occurrenceAfter(rule: WeeklyRule, current: IsoDate | Occurrence): Occurrence {
  const period = typeof current === "string" ? current : current.period;
  // A run no holiday moved is due at its regular time: no need to compute it again.
  const nominal = typeof current !== "string" && dateInZone(current.dueAt, rule.timeZone) === period ? current.dueAt : zonedInstant(period, rule.time, rule.timeZone);
  return occurrenceAt(rule, nextRegularRun(rule, nominal, false));
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
