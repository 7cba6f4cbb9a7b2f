/**
 * How facts are named in every output (status, memos, briefs; Markdown, Slack and the terminal): the day, the actor
 * and what a relative deadline counts from. Plain text: the caller escapes what it places in markup.
 */
import { type IsoDate, weekdayName } from "./dates.js";
import { counted } from "../render/count.js";

/** "2017-08-11 (Fri)": the ISO date people can search for, with the weekday. */
export function dayLabel(date: IsoDate): string {
  return `${date} (${weekdayName(date)})`;
}

/** "United States" for "US", "Korea" for "Korea", "Both sides" for "both"; names stay as they are. */
export function actorLabel(actor: string): string {
  if (actor === "US") return "United States";
  if (actor === "both") return "Both sides";
  return actor;
}

/** What a relative deadline counts from: `days` after (or before, when negative) the fact `from`. */
export interface DeadlineBasis {
  days: number;
  from: { date: IsoDate; title: string };
}

/** "30 days after “U.S. requests …” (2017-07-12)"; null for a deadline with a date of its own. */
export function deadlineBasisLabel(basis: DeadlineBasis | null): string | null {
  if (!basis) return null;
  const { days, from } = basis;
  const n = Math.abs(days);
  return `${counted(n, "day")} ${days >= 0 ? "after" : "before"} “${from.title}” (${from.date})`;
}

/** "Global Trade Alert" or the URL: how a source is named in a line of text. */
export function sourceName(source: { title?: string; url?: string }): string {
  return source.title ?? source.url ?? "an unnamed source";
}

/** "“June 1, 2018” per Global Trade Alert": one other reading of a disputed fact. */
export function readingLabel(reading: { says: string; source: { title?: string; url?: string } }): string {
  return `“${reading.says}” per ${sourceName(reading.source)}`;
}

/** "2018-03-26 (Korea), “Agreement in principle announced by Minister Kim”": one report of the same event. */
export function sameEventLabel(fact: { date: IsoDate; actor: string; title: string }): string {
  return `${fact.date} (${actorLabel(fact.actor)}): ${fact.title}`;
}

/** The words that introduce other readings of a fact, in every output. */
export const SOURCES_DIFFER = "sources differ";
/** The words that introduce the other reports of the same event, in every output. */
export const ALSO_REPORTED = "also reported";

/**
 * "2 older overdue deadlines, the latest “…” due 2017-05-01 (Mon), overdue by 80 days": the one line that stands for
 * overdue deadlines older than a list's window, so that none is silently dropped.
 */
export function olderOverdueLabel(older: { count: number; latest: { title: string; date: IsoDate } }, latestDaysLeft: number): string {
  const n = older.count;
  const overdueBy = -latestDaysLeft;
  return `${counted(n, "older overdue deadline")}, the latest “${older.latest.title}” due ${dayLabel(older.latest.date)}, overdue by ${counted(overdueBy, "day")}`;
}
