/**
 * The time words of a question: calendar dates and relative ones read by chrono-node ("April 30, 2018", "March 2018",
 * "last week", "the last 30 days"), years and quarters read as figure periods ("2016", "Q1 2018"), each with the word
 * before it that says how it is meant ("as of", "since", "before", "in", "between ... and", "the week to"). Relative
 * words count from the day given (the question's as-of day). What a mention means for the answer is question.ts's call.
 */
import * as chrono from "chrono-node";
import { addDays, isIsoDate, type IsoDate } from "../facts/dates.js";
import { type Period, parsePeriod } from "../figures/period.js";

/** How a time mention is meant, from the words before it. */
export type TimePrep = "as-of" | "week-to" | "since" | "before" | "until" | "in" | "between-start" | "between-end" | "restates" | "none";

/** One time mention of a question. */
export interface TimeMention {
  prep: TimePrep;
  start: IsoDate;
  end: IsoDate;
  /** When it names a year, quarter or month: the period (for figures). */
  period?: Period;
  /** "Mar 2018", "2017-07-20", "the last 7 days". */
  label: string;
  /** True for words relative to the as-of day ("last week"). */
  relative: boolean;
  /** Where it is in the text, and its length (the words before it included). */
  index: number;
  length: number;
}

const pad = (n: number) => String(n).padStart(2, "0");
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;
function lastDayOfMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
function mondayOf(date: IsoDate): IsoDate {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, -((day + 6) % 7));
}

const PREPS: ReadonlyArray<[RegExp, TimePrep]> = [
  [/\bas (?:of|at)\s+(?:the\s+)?(?:end of\s+)?$/, "as-of"],
  [/\b(?:week|seven days|7 days)\s+(?:to|ending|ended|through|up to)\s+$/, "week-to"],
  [/\bbetween\s+(?:the\s+)?$/, "between-start"],
  [/\b(?:since|after|from|starting)\s+(?:the\s+)?(?:(?:start|beginning) of\s+(?:the\s+)?)?$/, "since"],
  [/\b(?:before|prior to|ahead of)\s+(?:the\s+)?$/, "before"],
  [/\b(?:until|till|through|up to|by|to)\s+(?:the\s+)?(?:end of\s+)?$/, "until"],
  [/\band\s+$/, "between-end"],
  [/\b(?:in|during|on|for|of|at|over|within)\s+(?:the\s+)?(?:year\s+|month of\s+)?$/, "in"],
];

function prepBefore(text: string, index: number): { prep: TimePrep; length: number } {
  const before = text.slice(Math.max(0, index - 40), index).toLowerCase();
  for (const [re, prep] of PREPS) {
    const m = re.exec(before);
    if (m) return { prep, length: m[0].length };
  }
  return { prep: "none", length: 0 };
}

/** The span a relative expression covers, counted from `ref`; undefined when it is not one of the forms read here. */
function relativeSpan(text: string, ref: IsoDate): { start: IsoDate; end: IsoDate; label: string } | undefined {
  const t = text.toLowerCase().replace(/\s+/g, " ").trim();
  const [y, m] = [Number(ref.slice(0, 4)), Number(ref.slice(5, 7))];
  const match = /^(?:the )?(?:last|past|previous) (\d{1,4}) (day|week|month|year)s?$/.exec(t);
  if (match) {
    const n = Number(match[1]);
    const days = n * ({ day: 1, week: 7, month: 30, year: 365 } as const)[match[2] as "day"];
    return { start: addDays(ref, -days), end: ref, label: `the ${n} ${match[2]}${n === 1 ? "" : "s"} to ${ref}` };
  }
  if (/^(?:the )?(?:last|past|previous) week$/.test(t)) return { start: addDays(ref, -7), end: ref, label: `the week to ${ref}` };
  if (/^this week$/.test(t)) return { start: mondayOf(ref), end: ref, label: `this week (to ${ref})` };
  if (/^(?:next|the coming|coming) weeks?$/.test(t)) return { start: ref, end: addDays(ref, t.endsWith("weeks") ? 28 : 7), label: `the weeks after ${ref}` };
  if (/^(?:the )?past month$/.test(t)) return { start: addDays(ref, -30), end: ref, label: `the 30 days to ${ref}` };
  if (/^(?:last|previous) month$/.test(t)) {
    const [py, pm] = m === 1 ? [y - 1, 12] : [y, m - 1];
    return { start: iso(py, pm, 1), end: iso(py, pm, lastDayOfMonth(py, pm)), label: parsePeriod(`${py}-${pad(pm)}`).label };
  }
  if (/^this month$/.test(t)) return { start: iso(y, m, 1), end: ref, label: `this month (to ${ref})` };
  if (/^next month$/.test(t)) {
    const [ny, nm] = m === 12 ? [y + 1, 1] : [y, m + 1];
    return { start: iso(ny, nm, 1), end: iso(ny, nm, lastDayOfMonth(ny, nm)), label: parsePeriod(`${ny}-${pad(nm)}`).label };
  }
  if (/^(?:the )?past year$/.test(t)) return { start: addDays(ref, -365), end: ref, label: `the year to ${ref}` };
  if (/^(?:last|previous) year$/.test(t)) return { start: `${y - 1}-01-01`, end: `${y - 1}-12-31`, label: String(y - 1) };
  if (/^this year$/.test(t)) return { start: `${y}-01-01`, end: ref, label: `${y} (to ${ref})` };
  if (/^next year$/.test(t)) return { start: `${y + 1}-01-01`, end: `${y + 1}-12-31`, label: String(y + 1) };
  if (t === "yesterday") return { start: addDays(ref, -1), end: addDays(ref, -1), label: addDays(ref, -1) };
  if (t === "today" || t === "now") return { start: ref, end: ref, label: ref };
  if (t === "tomorrow") return { start: addDays(ref, 1), end: addDays(ref, 1), label: addDays(ref, 1) };
  return undefined;
}

const QUARTER = /\b(?:(?:the\s+)?(first|second|third|fourth)\s+quarter\s+(?:of\s+)?(\d{4})|q([1-4])\s*-?\s*(\d{4})|(\d{4})\s*-?\s*q([1-4]))\b/gi;
const YEAR = /(?<![\d-])((?:19|20)\d{2})(?![\d-]|\s*-\s*\d)/g;
/** A season of a year: "spring 2018", "the fall of 2018", "autumn '18" (written out as 2018 before). */
const SEASON = /\b(spring|summer|fall|autumn|winter)\s+(?:of\s+)?((?:19|20)\d{2})\b/gi;
const SEASON_MONTHS = { spring: [3, 5], summer: [6, 8], fall: [9, 11], winter: [12, 2] } as const;
/** Relative words chrono reads that this module counts itself (its own spans, from the as-of day). */
const RELATIVE_WORDS = /\b(?:(?:the\s+)?(?:last|past|previous|this|next|coming)\s+(?:\d{1,4}\s+)?(?:days?|weeks?|months?|years?)|yesterday|today|tomorrow)\b/gi;

/**
 * Finds the time words of `text`, relative ones counted from `ref`. Returns them in order, with the text left when they
 * and the words before them are taken out.
 */
export function readTimeWords(text: string, ref: IsoDate): { mentions: TimeMention[]; rest: string; monthDays: string[] } {
  const mentions: TimeMention[] = [];
  // Days named without a year ("March 28", "the 26th or the 28th of March"), as "MM-DD": a day the record may hold in
  // any year, so no span of days; their words are taken out of the subject.
  const monthDays: string[] = [];
  let blanked = text;
  const take = (index: number, length: number, span: Omit<TimeMention, "prep" | "index" | "length">) => {
    const { prep, length: prepLength } = prepBefore(text, index);
    mentions.push({ ...span, prep, index: index - prepLength, length: length + prepLength });
    blanked = blanked.slice(0, index - prepLength) + " ".repeat(length + prepLength) + blanked.slice(index + length);
  };
  // "the week to D": the words are the preposition of D (chrono would read "the week" as this week).
  blanked = blanked.replace(/\b(?:in\s+)?(?:the\s+)?(?:week|seven days|7 days)\s+(?:to|ending|ended|through|up to)\s+/gi, (m) => " ".repeat(m.length));
  for (const m of text.matchAll(QUARTER)) {
    const q = m[1] ? ["first", "second", "third", "fourth"].indexOf(m[1].toLowerCase()) + 1 : Number(m[3] ?? m[6]);
    const period = parsePeriod(`${m[2] ?? m[4] ?? m[5]}-Q${q}`);
    take(m.index, m[0].length, { start: period.start, end: period.end, period, label: period.label, relative: false });
  }
  // "the fall of 2018", "spring 2018": the season's months as the Northern Hemisphere's meteorological seasons count them
  // (spring March to May, summer June to August, fall September to November, winter December to February).
  for (const m of blanked.matchAll(SEASON)) {
    const year = Number(m[2]);
    const season = m[1]!.toLowerCase() === "autumn" ? "fall" : (m[1]!.toLowerCase() as keyof typeof SEASON_MONTHS);
    const [from, to] = SEASON_MONTHS[season];
    const start = iso(year, from, 1);
    const [endYear, endMonth] = to < from ? [year + 1, to] : [year, to];
    const end = iso(endYear, endMonth, lastDayOfMonth(endYear, endMonth));
    take(m.index, m[0].length, { start, end, label: `${season} ${year} (${start} to ${end})`, relative: false });
  }
  for (const m of blanked.matchAll(RELATIVE_WORDS)) {
    const span = relativeSpan(m[0], ref);
    if (span) take(m.index, m[0].length, { ...span, relative: true });
  }
  const refDate = new Date(`${ref}T12:00:00Z`);
  const results = chrono.parse(blanked, refDate);
  for (const [i, r] of results.entries()) {
    // "now" is the as-of day itself, not a span of one day.
    if (/^now$/i.test(r.text.trim())) continue;
    const start = r.start;
    // "between Feb 1 and Mar 20, 2018": a day without its year takes the year of the next date that names one.
    const yearAfter = results
      .slice(i + 1)
      .find((n) => n.start.isCertain("year"))
      ?.start.get("year");
    const y = start.isCertain("year") ? start.get("year") : start.isCertain("day") ? (yearAfter ?? null) : null;
    const mo = start.get("month");
    const d = start.get("day");
    // "the 26th or the 28th of March": the other day of the same month, named before it (with a year or without: the
    // two are alternatives, not a span).
    const before = mo !== null && d !== null && start.isCertain("day") && !r.end ? /\b(?:the\s+)?(\d{1,2})(?:st|nd|rd|th)?\s+or\s+(?:the\s+)?$/i.exec(blanked.slice(0, r.index)) : null;
    if ((y === null || before) && mo !== null && d !== null && start.isCertain("month") && start.isCertain("day") && !r.end) {
      const days = before && Number(before[1]) >= 1 && Number(before[1]) <= 31 ? [Number(before[1]), d] : [d];
      monthDays.push(...days.map((day) => `${pad(mo)}-${pad(day)}`));
      const from = before ? before.index : r.index;
      blanked = blanked.slice(0, from) + " ".repeat(r.index + r.text.length - from) + blanked.slice(r.index + r.text.length);
      continue;
    }
    if (y === null || mo === null || d === null) continue;
    // "mid-Feb 2019", "the middle of March": the month's 15th.
    const mid = !start.isCertain("day") && start.isCertain("month") ? /\b(?:mid-?\s*|(?:the\s+)?middle of\s+)$/i.exec(blanked.slice(0, r.index)) : null;
    if (mid) {
      const day = iso(y, mo, 15);
      take(mid.index, r.index + r.text.length - mid.index, { start: day, end: day, label: day, relative: false });
      continue;
    }
    let span: Omit<TimeMention, "prep" | "index" | "length">;
    if (r.end?.isCertain("day")) {
      const endDay = iso(r.end.get("year")!, r.end.get("month")!, r.end.get("day")!);
      span = { start: iso(y, mo, d), end: endDay, label: `${iso(y, mo, d)} to ${endDay}`, relative: false };
    } else if (start.isCertain("day")) {
      const day = iso(y, mo, d);
      if (!isIsoDate(day)) continue;
      span = { start: day, end: day, label: day, relative: false };
    } else if (start.isCertain("month")) {
      const period = parsePeriod(`${y}-${pad(mo)}`);
      span = { start: period.start, end: period.end, period, label: period.label, relative: false };
    } else continue;
    take(r.index, r.text.length, span);
    // "from A to B" read as one span: it is the span itself, not "since A".
    if (r.end && mentions.at(-1)!.prep === "since") mentions.at(-1)!.prep = "in";
  }
  for (const m of blanked.matchAll(YEAR)) {
    const period = parsePeriod(m[1]!);
    take(m.index, m[0].length, { start: period.start, end: period.end, period, label: period.label, relative: false });
  }
  // "the 26th or 28th", "seen both the 26th and the 28th": days of a month not named.
  for (const m of blanked.matchAll(/\b(?:the\s+)?([1-9]|[12]\d|3[01])(?:st|nd|rd|th)\s+(?:or|and)\s+(?:the\s+)?([1-9]|[12]\d|3[01])(?:st|nd|rd|th)\b/gi)) {
    monthDays.push(pad(Number(m[1])), pad(Number(m[2])));
    blanked = blanked.slice(0, m.index) + " ".repeat(m[0].length) + blanked.slice(m.index + m[0].length);
  }
  mentions.sort((a, b) => a.index - b.index);
  // "Mar 26 or Mar 28, 2018", "3/26/2018 or 3/28/2018": two days offered as alternatives are days the record may hold,
  // not a span of days.
  for (let i = mentions.length - 1; i > 0; i--) {
    const [a, b] = [mentions[i - 1]!, mentions[i]!];
    if (a.relative || b.relative || a.start !== a.end || b.start !== b.end) continue;
    if (!/^\s*,?\s*or\s*$/i.test(text.slice(a.index + a.length, b.index))) continue;
    monthDays.push(a.start.slice(5), b.start.slice(5));
    mentions.splice(i - 1, 2);
    i--;
  }
  // "between A and B": the second is the end of the span the first starts.
  for (let i = 1; i < mentions.length; i++) {
    if (mentions[i]!.prep === "until" && mentions[i - 1]!.prep === "since") mentions[i - 1]!.prep = "between-start";
    // "as of mid-Feb 2019 (2/15/2019)": a day in brackets right after a mention restates it, more exactly.
    const previous = mentions[i - 1]!;
    if (/^\s*[([]\s*$/.test(text.slice(previous.index + previous.length, mentions[i]!.index))) mentions[i]!.prep = "restates";
  }
  return { mentions, rest: blanked.replace(/\s+/g, " ").trim(), monthDays };
}
