/**
 * The words of `schedule weekly <weekday> <HH:MM> <time zone> [#channel] [template] [holidays:us|kr|both]`, read into
 * a ScheduleSpec. Every mistake is a ScheduleSpecError naming the field and saying how to write it.
 */
import { canonicalTimeZone } from "../time-zone.js";
import { HOLIDAY_RULES, type HolidayRule, WEEKDAY_NAMES, type Weekday } from "./calendar.js";
import { KorusError } from "../errors.js";

/** What `schedule weekly ...` asks for. */
export interface ScheduleSpec {
  weekday: Weekday;
  time: string;
  timeZone: string;
  /** A channel id; absent means the channel the command was typed in. */
  channel?: string;
  /** A brief template id; absent means weekly-brief. */
  templateId?: string;
  /** The topic whose facts the brief covers (default korus). */
  topic?: string;
  holidays: HolidayRule;
}

/** The fields of a schedule, as error messages name them. */
export type ScheduleField = "weekday" | "time" | "time zone" | "channel" | "template" | "holidays" | "schedule";

/** A schedule that cannot be read; `field` says which part is wrong. */
export class ScheduleSpecError extends KorusError<"schedule_invalid"> {
  constructor(
    readonly field: ScheduleField,
    message: string,
  ) {
    super("schedule_invalid", message);
  }
}

/** The brief template a schedule uses unless it names another. */
export const DEFAULT_BRIEF_TEMPLATE = "weekly-brief";

const WEEKDAY_WORDS: ReadonlyMap<string, Weekday> = new Map(
  WEEKDAY_NAMES.flatMap((name, i) => {
    const day = (i + 1) as Weekday;
    const full = name.toLowerCase();
    const short = [full.slice(0, 3), ...(full === "tuesday" ? ["tues"] : []), ...(full === "thursday" ? ["thur", "thurs"] : []), ...(full === "wednesday" ? ["weds"] : [])];
    return [full, `${full}s`, ...short].map((w) => [w, day] as [string, Weekday]);
  }),
);

const quote = (word: string) => `\`${word.slice(0, 40)}\``;

/** "monday", "Mon", "mondays" -> 1. */
export function parseWeekday(word: string): Weekday {
  const day = WEEKDAY_WORDS.get(word.toLowerCase().replace(/\.$/, ""));
  if (day === undefined) {
    throw new ScheduleSpecError("weekday", `${quote(word)} is not a weekday: write one of Monday … Sunday (or Mon … Sun).`);
  }
  return day;
}

/** "9:00", "09:00", "17:30" -> "HH:MM" on a 24-hour clock. */
export function parseTime(word: string): string {
  const m = /^(\d{1,2}):(\d{2})$/.exec(word);
  const [hour, minute] = m ? [Number(m[1]), Number(m[2])] : [NaN, NaN];
  if (!m || hour > 23 || minute > 59) {
    throw new ScheduleSpecError("time", `${quote(word)} is not a time: write it as HH:MM on a 24-hour clock, like 09:00 or 17:30.`);
  }
  return `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
}

/** An IANA time zone in its canonical spelling ("asia/seoul" -> "Asia/Seoul"). Abbreviations such as EST are refused. */
export function parseTimeZone(word: string): string {
  // Checked on the word itself: ICU quietly maps EST to America/Panama and PST to America/Los_Angeles.
  if (!word.includes("/") && !/^(UTC|GMT)$/i.test(word)) {
    throw new ScheduleSpecError("time zone", `${quote(word)} is not an IANA time zone (an abbreviation would not follow daylight saving): write one like America/New_York or Asia/Seoul.`);
  }
  const zone = canonicalTimeZone(word);
  if (!zone) {
    throw new ScheduleSpecError("time zone", `${quote(word)} is not an IANA time zone: write one like America/New_York, Asia/Seoul or Europe/London.`);
  }
  return zone;
}

/**
 * A channel id: public (C…) or private (G…), upper case. The chat adapter turns what its users write for a channel
 * (Slack: `<#C123ABC|name>`, picked from the # menu, or pasted into the console) into the id before the words come here
 * (src/slack/command-text.ts, which the console uses too).
 */
const CHANNEL_ID = /^[CG][A-Z0-9]{5,}$/;

/**
 * A channel id (C…, G…); null when the word is not meant as a channel. Channel ids are upper case, template ids lower
 * case: the two cannot be confused; a short upper-case word (a time zone such as GMT) is never read as a channel.
 */
export function parseChannel(word: string): string | null {
  if (CHANNEL_ID.test(word)) return word;
  if (word.startsWith("#") || word.startsWith("<#")) {
    throw new ScheduleSpecError(
      "channel",
      `${quote(word)} is a channel name I cannot look up: pick the channel from the # menu so that the command carries its id, give the id (like C0123ABCD), or leave it out to use this channel.`,
    );
  }
  return null;
}

/** `holidays:us`, `holidays=both`; null when the word is not a holidays option. */
function parseHolidays(word: string): HolidayRule | null {
  const m = /^holidays?[:=](.*)$/i.exec(word);
  if (!m) return null;
  const value = m[1]!.toLowerCase();
  const rule = value === "korea" ? "kr" : value === "u.s." || value === "usa" ? "us" : value;
  if (!(HOLIDAY_RULES as readonly string[]).includes(rule)) {
    throw new ScheduleSpecError("holidays", `${quote(word)}: holidays can be us, kr or both (or none), like holidays:both.`);
  }
  return rule as HolidayRule;
}

/** The usage line of `schedule weekly`. */
export const SCHEDULE_WEEKLY_USAGE = "/korus schedule weekly <weekday> <HH:MM> <time zone> [#channel] [template] [holidays:us|kr|both] [topic:T]";

/** Reads the words after `schedule weekly`. @throws ScheduleSpecError naming the field at fault. */
export function parseScheduleArgs(args: readonly string[]): ScheduleSpec {
  const [weekday, time, timeZone, ...options] = args;
  if (weekday === undefined) throw new ScheduleSpecError("weekday", "Say which weekday, at what time and in which time zone, like `schedule weekly monday 09:00 America/New_York`.");
  const spec: ScheduleSpec = { weekday: parseWeekday(weekday), time: "", timeZone: "", holidays: "none" };
  if (time === undefined) throw new ScheduleSpecError("time", "Say at what time, like `09:00`, after the weekday.");
  spec.time = parseTime(time);
  if (timeZone === undefined) throw new ScheduleSpecError("time zone", "Say in which time zone, like `America/New_York` or `Asia/Seoul`, after the time.");
  spec.timeZone = parseTimeZone(timeZone);
  for (const word of options) {
    const holidays = parseHolidays(word);
    if (holidays) {
      spec.holidays = holidays;
      continue;
    }
    const topic = /^topic[:=]([a-z0-9][a-z0-9-]{0,39})$/i.exec(word);
    if (topic) {
      spec.topic = topic[1]!.toLowerCase();
      continue;
    }
    const channel = parseChannel(word);
    if (channel) {
      if (spec.channel) throw new ScheduleSpecError("channel", "Name at most one channel.");
      spec.channel = channel;
      continue;
    }
    if (/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(word)) {
      if (spec.templateId) throw new ScheduleSpecError("template", `Name at most one template (${quote(spec.templateId)} and ${quote(word)}).`);
      spec.templateId = word;
      continue;
    }
    throw new ScheduleSpecError("schedule", `I don't know what ${quote(word)} means here: after the time zone come an optional #channel, template id, holidays:us|kr|both and topic:T.`);
  }
  return spec;
}
