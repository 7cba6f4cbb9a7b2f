/**
 * Reading a question without a language model: the kind of answer it wants (when, deadline, who, where, how much, what
 * changed), the dates and periods it names ("in 2017", "as of 2018-04-15", "last week", "Q1 2018", "March 2018"), and
 * the words left to search for.
 */
import { addDays, isIsoDate, type IsoDate } from "../facts/dates.js";
import { type Period, parsePeriod } from "../figures/period.js";

/** The kinds of question `/korus ask` tells apart. */
export const QUESTION_KINDS = ["deadline", "when", "who", "where", "how-much", "what-changed", "what"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** A question, read. */
export interface Question {
  text: string;
  kind: QuestionKind;
  /** The day the answer is as of: facts not known by then are not used ("as of 2018-04-15"; default today). */
  asOf: IsoDate;
  /** True when the question named its as-of day. */
  asOfGiven: boolean;
  /** The span of days the question is about ("in 2017", "last week", "since March 2018"), if it names one. */
  range?: { since?: IsoDate; until?: IsoDate; label: string };
  /** The period it names, when it names a year, quarter or month (for figures: "the deficit in 2016"). */
  period?: Period;
  /** Content words to search for, lowercased, question and date words removed. */
  words: string[];
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];
const MONTH_ALT = MONTHS.map((m) => `${m}|${m.slice(0, 3)}`).join("|");

/** Words that carry no topic: question words, auxiliaries, articles, pronouns, and words every fact shares. */
const STOP = new Set(
  (
    "a an the of to in on at by for from with about as is are was were be been being do does did done has have had having " +
    "will would shall should can could may might must what when where who whom whose which why how that this these those " +
    "it its it's they them their there here i we you he she his her our us me my your and or but not no so if then than " +
    "into over under up down out any some all each other more most such only own same just also very s t tell know find " +
    "happen happened happening date day year month week time much many long ago get got go went put take took make made give gave big large huge high size korus fta agreement deal pact treaty accord"
  ).split(" "),
);

function pad(n: number): string {
  return String(n).padStart(2, "0");
}

/** Start of the ISO week (Monday) containing `date`. */
function mondayOf(date: IsoDate): IsoDate {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay(); // 0 Sunday
  return addDays(date, -((day + 6) % 7));
}

interface Found {
  range?: Question["range"];
  period?: Period;
  asOf?: IsoDate;
}

/**
 * Finds the dates in a question and returns the text with them removed. Relative ones ("last week") count from `today`.
 */
export function readDates(text: string, today: IsoDate): { rest: string; found: Found } {
  const found: Found = {};
  let rest = ` ${text} `;
  const take = (re: RegExp, fn: (m: RegExpExecArray) => void) => {
    const m = re.exec(rest);
    if (m) {
      fn(m);
      rest = rest.slice(0, m.index) + " " + rest.slice(m.index + m[0].length);
    }
  };
  take(/\b(?:as of|as at|on the day of)\s+(\d{4}-\d{2}-\d{2})\b/i, (m) => {
    if (isIsoDate(m[1]!)) found.asOf = m[1]!;
  });
  const year = Number(today.slice(0, 4));
  const month = Number(today.slice(5, 7));
  const relative: Array<[RegExp, () => Question["range"]]> = [
    [/\b(?:in the |during the |over the )?(?:last|past) week\b/i, () => ({ since: addDays(today, -7), until: today, label: "the last 7 days" })],
    [/\bthis week\b/i, () => ({ since: mondayOf(today), until: today, label: "this week" })],
    [/\b(?:in the |during the |over the )?(?:last|past) month\b/i, () => ({ since: addDays(today, -31), until: today, label: "the last month" })],
    [/\b(?:in the |during the |over the )?(?:last|past) (\d{1,3}) days\b/i, () => ({ since: addDays(today, -30), until: today, label: "the last 30 days" })],
    [/\blast year\b/i, () => ({ since: `${year - 1}-01-01`, until: `${year - 1}-12-31`, label: String(year - 1) })],
    [/\bthis year\b/i, () => ({ since: `${year}-01-01`, until: today, label: String(year) })],
    [/\bthis month\b/i, () => ({ since: `${year}-${pad(month)}-01`, until: today, label: "this month" })],
    [/\byesterday\b/i, () => ({ since: addDays(today, -1), until: addDays(today, -1), label: addDays(today, -1) })],
    [/\b(?:lately|recently|latest|so far)\b/i, () => ({ since: addDays(today, -90), until: today, label: "the last 90 days" })],
  ];
  for (const [re, fn] of relative) {
    if (found.range) break;
    take(re, (m) => {
      if (/(\d{1,3}) days/.test(m[0])) {
        const n = Number(/(\d{1,3}) days/.exec(m[0])![1]);
        found.range = { since: addDays(today, -n), until: today, label: `the last ${n} days` };
      } else found.range = fn();
    });
  }
  // Explicit spans: "between 2016 and 2018", "from 2016 to 2018".
  take(/\b(?:between|from)\s+(\d{4})\s+(?:and|to|-)\s+(\d{4})\b/i, (m) => {
    found.range = { since: `${m[1]}-01-01`, until: `${m[2]}-12-31`, label: `${m[1]}-${m[2]}` };
  });
  // Periods and dates, with an optional preposition that says which way the range runs.
  const periodText = `(\\d{4}-\\d{2}-\\d{2}|\\d{4}-?q[1-4]|q[1-4]\\s*\\d{4}|(?:the )?(?:first|second|third|fourth) quarter (?:of )?\\d{4}|(?:${MONTH_ALT})\\.?\\s+\\d{4}|\\d{4}-\\d{2}|\\d{4})`;
  take(new RegExp(`\\b(since|after|before|until|by|in|during|on|for|of)?\\s*${periodText}\\b`, "i"), (m) => {
    const prep = (m[1] ?? "in").toLowerCase();
    const raw = m[2]!;
    let start: IsoDate;
    let end: IsoDate;
    let label = raw;
    if (isIsoDate(raw)) {
      start = end = raw;
    } else {
      const period = parsePeriod(normalizePeriodText(raw));
      found.period = period;
      start = period.start;
      end = period.end;
      label = period.label;
    }
    if (prep === "since" || prep === "after") found.range = { since: prep === "after" && start === end ? addDays(start, 1) : start, label: `since ${label}` };
    else if (prep === "before") found.range = { until: addDays(start, -1), label: `before ${label}` };
    else if (prep === "until" || prep === "by") found.range = { until: end, label: `until ${label}` };
    else found.range ??= { since: start, until: end, label };
  });
  return { rest: rest.replace(/\s+/g, " ").trim(), found };
}

function normalizePeriodText(raw: string): string {
  const text = raw.toLowerCase().replace(/\./g, "");
  const q = /^(?:the )?(first|second|third|fourth) quarter (?:of )?(\d{4})$/.exec(text);
  if (q) return `${q[2]}-Q${["first", "second", "third", "fourth"].indexOf(q[1]!) + 1}`;
  const m = new RegExp(`^(${MONTH_ALT})\\s+(\\d{4})$`).exec(text);
  if (m) {
    const index = MONTHS.findIndex((name) => name.startsWith(m[1]!.slice(0, 3)));
    return `${m[2]}-${pad(index + 1)}`;
  }
  return text;
}

/** The kind of answer a question wants, from its wording. */
export function questionKind(text: string): QuestionKind {
  const t = ` ${text.toLowerCase()} `;
  if (/\b(deadline|due|by when|how long (do|does|did|will)|how many days|within how many|must .* (be|by)|(is|was) .* due|time ?limit|expire|expires|cut-?off)\b/.test(t)) return "deadline";
  if (/\b(how much|how many|how big|how large|what (was|is|were) the (value|amount|level|size|figure|number)|what (was|is) the .*(deficit|surplus|balance|quota|cap|tariff|rate))\b/.test(t)) return "how-much";
  if (/\b(what (has )?changed|what's new|what is new|what happened (since|lately|recently|in the last|last|this)|any (news|changes|developments)|latest|recent (news|developments|changes))\b/.test(t)) return "what-changed";
  if (/\bwhere\b|\bin (which|what) (city|country|place)\b/.test(t)) return "where";
  if (/\bwho\b|\bwhose\b|\bwhich (side|country|official|minister|party)\b/.test(t)) return "who";
  if (/\bwhen\b|\bwhat (date|day|year)\b|\bwhich (date|day|year)\b|\bhow long ago\b/.test(t)) return "when";
  return "what";
}

/** Splits text into lowercase content words ("U.S." becomes "usa"; a hyphenated word counts whole and as its parts). */
export function contentWords(text: string): string[] {
  const normalized = text
    .toLowerCase()
    .replace(/\bu\.s\.(a\.)?/g, "usa ")
    .replace(/\bu\.k\./g, "uk ")
    .replace(/[’']s\b/g, "")
    .replace(/[^a-z0-9\s-]/g, " ");
  return normalized
    .split(/\s+/)
    .map((w) => w.replace(/^-+|-+$/g, ""))
    .flatMap((w) => (w.includes("-") && !/^\d/.test(w) ? [w.replace(/-/g, ""), ...w.split("-")] : [w]))
    .filter((w) => w.length > 1 && !STOP.has(w));
}

/** Idioms said one way in questions and another in facts: "take effect" is "enter into force". */
const IDIOMS: ReadonlyArray<[RegExp, string]> = [
  [/\b(what (has )?changed|what's new|what is new)\b/gi, " "],
  [/\b(take|took|takes|taken|come|came|go|went|put) (into )?(effect|force)\b/gi, " enters force "],
  [/\bin effect\b/gi, " in force "],
  [/\b(sign(ed)? off on|green-?light(ed)?)\b/gi, " approve "],
  [/\bface[- ]to[- ]face\b/gi, " summit "],
];

function rewriteIdioms(text: string): string {
  return IDIOMS.reduce((t, [re, to]) => t.replace(re, to), text);
}

/** Reads a question, as of `today` (the team's today, or the day the question names). */
export function parseQuestion(text: string, today: IsoDate): Question {
  const clean = text.replace(/\s+/g, " ").trim();
  const { rest, found } = readDates(clean, today);
  const asOf = found.asOf ?? today;
  let range = found.range;
  // Relative dates count from the as-of day when the question names one ("what changed in the last month as of ...").
  if (found.asOf && range && found.asOf !== today) ({ range } = readDates(clean, found.asOf).found);
  return {
    text: clean,
    kind: questionKind(clean),
    asOf,
    asOfGiven: found.asOf !== undefined,
    ...(range ? { range } : {}),
    ...(found.period ? { period: found.period } : {}),
    words: contentWords(rewriteIdioms(rest)),
  };
}
