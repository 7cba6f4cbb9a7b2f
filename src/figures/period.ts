import { KorusError } from "../errors.js";

/**
 * The period a figure covers: a year ("2016"), a quarter ("2018-Q1"), a month ("2018-03") or a span of months
 * ("2018-01/2018-10"). A span shorter than the year it sits in is a part year, and every output says so, so that
 * nobody reads January-October as a whole year.
 */
export interface Period {
  /** The canonical text, as stored: "2016", "2018-Q1", "2018-03", "2018-01/2018-10". */
  key: string;
  /** First and last day covered (YYYY-MM-DD). */
  start: string;
  end: string;
  /** year | quarter | month | span */
  shape: "year" | "quarter" | "month" | "span";
  /** True for a span of months that is not a whole year (quarters and months are their own kinds, not part years). */
  partYear: boolean;
  /** How people read it: "2016", "2018 Q1", "Mar 2018", "Jan-Oct 2018 (part year)". */
  label: string;
}

/** A period text that cannot be read; the message says what forms are accepted. */
export class PeriodError extends KorusError<"period_invalid"> {
  constructor(message: string) {
    super("period_invalid", message);
  }
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** The forms a period may take, for error messages and help. */
export const PERIOD_FORMS = 'a year "2016", a quarter "2018-Q1", a month "2018-03" or months "2018-01/2018-10"';

function lastDay(year: number, month: number): string {
  const day = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

function month(text: string): { year: number; month: number } | undefined {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  if (!m) return undefined;
  const value = { year: Number(m[1]), month: Number(m[2]) };
  return value.month >= 1 && value.month <= 12 ? value : undefined;
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * Reads a period. Accepts `2016`, `2018-Q1` (or `2018Q1`, `Q1 2018`, any case), `2018-03`, and `2018-01/2018-10` (or
 * with `..` or `to`). A span covering exactly a year is that year; exactly a quarter, that quarter; one month, that month.
 * @throws PeriodError saying what it could not read.
 */
export function parsePeriod(input: string): Period {
  const text = input.trim();
  const yearOnly = /^(\d{4})$/.exec(text);
  if (yearOnly) {
    const year = Number(yearOnly[1]);
    return { key: text, start: `${year}-01-01`, end: `${year}-12-31`, shape: "year", partYear: false, label: text };
  }
  const m = /^(\d{4})\s*-?\s*q([1-4])$/i.exec(text) ?? /^q([1-4])\s*-?\s*(\d{4})$/i.exec(text);
  if (m) {
    const [year, q] = /^\d{4}$/.test(m[1]!) ? [Number(m[1]), Number(m[2])] : [Number(m[2]), Number(m[1])];
    const first = (q - 1) * 3 + 1;
    return {
      key: `${year}-Q${q}`,
      start: `${year}-${pad(first)}-01`,
      end: lastDay(year, first + 2),
      shape: "quarter",
      partYear: false,
      label: `${year} Q${q}`,
    };
  }
  const single = month(text);
  if (single) return monthPeriod(single.year, single.month);
  const span = /^(\d{4}-\d{2})\s*(?:\/|\.\.|to)\s*(\d{4}-\d{2})$/i.exec(text);
  if (span) {
    const from = month(span[1]!);
    const to = month(span[2]!);
    if (!from || !to) throw new PeriodError(`"${text}" has a month that does not exist; write ${PERIOD_FORMS}`);
    if (from.year !== to.year) throw new PeriodError(`"${text}" spans two years; a period stays within one year`);
    if (to.month < from.month) throw new PeriodError(`"${text}" ends before it starts`);
    if (from.month === to.month) return monthPeriod(from.year, from.month);
    if (from.month === 1 && to.month === 12) return parsePeriod(String(from.year));
    if ((from.month - 1) % 3 === 0 && to.month === from.month + 2) return parsePeriod(`${from.year}-Q${(from.month + 2) / 3}`);
    return {
      key: `${from.year}-${pad(from.month)}/${to.year}-${pad(to.month)}`,
      start: `${from.year}-${pad(from.month)}-01`,
      end: lastDay(to.year, to.month),
      shape: "span",
      partYear: true,
      label: `${MONTHS[from.month - 1]}-${MONTHS[to.month - 1]} ${from.year} (part year)`,
    };
  }
  throw new PeriodError(`"${text}" is not a period; write ${PERIOD_FORMS}`);
}

function monthPeriod(year: number, m: number): Period {
  return {
    key: `${year}-${pad(m)}`,
    start: `${year}-${pad(m)}-01`,
    end: lastDay(year, m),
    shape: "month",
    partYear: false,
    label: `${MONTHS[m - 1]} ${year}`,
  };
}

/** Orders periods by their start, then the longer first (a year before its first quarter). */
export function comparePeriods(a: Period, b: Period): number {
  return a.start.localeCompare(b.start) || b.end.localeCompare(a.end);
}
