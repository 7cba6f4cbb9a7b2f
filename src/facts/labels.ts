/**
 * How facts are named in every output (status, memos, briefs; Markdown, Slack and the terminal): the day, the actor
 * and what a relative deadline counts from. Plain text: the caller escapes what it places in markup.
 */
import { type IsoDate, weekdayName } from "./dates.js";

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
  return `${n} day${n === 1 ? "" : "s"} ${days >= 0 ? "after" : "before"} “${from.title}” (${from.date})`;
}
