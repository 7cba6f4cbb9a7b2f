/**
 * Figure series: the figure facts that carry a series key, grouped by period. Two facts for the same series and
 * period with different values (or units) are a disagreement: both are kept and shown with their sources, never one
 * silently picked.
 */
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { IsoDate } from "../facts/dates.js";
import type { Fact } from "../facts/model.js";
import { isVisibleOn } from "../facts/fact-index.js";
import { toFact } from "../facts/rows.js";
import { readVersions, viewAsOf } from "../facts/as-of.js";
import { comparePeriods, type Period, parsePeriod } from "./period.js";

/** One fact's reading of a period. */
export interface Reading {
  fact: Fact;
  value: number;
  unit: string;
}

/** One period of a series: its readings, and the value when they agree. */
export interface SeriesPoint {
  period: Period;
  readings: Reading[];
  /** The readings differ in value or unit. */
  disputed: boolean;
  /** The agreed value (the readings' common one); when disputed, the value of the earliest-stored reading, for charts. */
  value: number;
  unit: string;
}

/** A figure series, its periods oldest first. */
export interface FigureSeries {
  key: string;
  /** The unit most of its readings use. */
  unit: string;
  points: SeriesPoint[];
}

/** The change from the previous period of the same shape (a year from the year before, a quarter from the quarter before). */
export interface Change {
  from: SeriesPoint;
  delta: number;
  /** Percent change; null when the earlier value is 0, or when its sources differ. */
  percent: number | null;
  /** When the earlier period's sources differ: the change from each of its values (delta is the first). */
  alternatives?: number[];
}

/** What to read: one series or all, as known on a day, within periods starting between two days. */
export interface SeriesFilter {
  series?: string;
  asOf?: IsoDate;
  /** Periods ending on or after this day. */
  since?: IsoDate;
  /** Periods starting on or before this day. */
  until?: IsoDate;
  topic?: string;
  /** With `asOf`: the team's time zone, where the day ends (for the facts' versions that day). */
  timeZone?: string;
}

/**
 * Reads the figure series from the store: retracted facts excluded; with `asOf`, only facts known by then, as they read
 * that day (src/facts/as-of.ts: their version then, and no source published later).
 */
export async function loadSeries(prisma: PrismaClient, filter: SeriesFilter = {}): Promise<FigureSeries[]> {
  const where: Prisma.FactWhereInput = {
    kind: "figure",
    retractedAt: null,
    topic: filter.topic ?? "korus",
    series: filter.series ? filter.series.toLowerCase() : { not: null },
    value: { not: null },
    period: { not: null },
  };
  // As of a day: the one visibility rule (known by then), applied to the series' facts.
  const rows = await prisma.fact.findMany({ where, orderBy: [{ series: "asc" }, { id: "asc" }] });
  const asOf = filter.asOf;
  if (asOf === undefined) return groupSeries(rows.map(toFact), filter);
  const known = rows.map(toFact).filter((f) => isVisibleOn(f, asOf));
  const versions = await readVersions(prisma, asOf, { ids: known.map((f) => f.id) }, filter.timeZone ? { timeZone: filter.timeZone } : {});
  return groupSeries(viewAsOf(known, asOf, versions), filter);
}

/** Groups figure facts into series (pure; loadSeries' second half). */
export function groupSeries(facts: readonly Fact[], filter: Pick<SeriesFilter, "since" | "until"> = {}): FigureSeries[] {
  const bySeries = new Map<string, Map<string, Reading[]>>();
  for (const fact of facts) {
    const f = fact.figure;
    if (!f || f.series === null || f.value === null || f.period === null || f.unit === null) continue;
    const periods = bySeries.get(f.series) ?? new Map<string, Reading[]>();
    bySeries.set(f.series, periods);
    const list = periods.get(f.period) ?? [];
    list.push({ fact, value: f.value, unit: f.unit });
    periods.set(f.period, list);
  }
  const out: FigureSeries[] = [];
  for (const [key, periods] of bySeries) {
    const points: SeriesPoint[] = [];
    for (const [text, readings] of periods) {
      const period = parsePeriod(text);
      if (filter.since && period.end < filter.since) continue;
      if (filter.until && period.start > filter.until) continue;
      readings.sort((a, b) => a.fact.id - b.fact.id);
      const first = readings[0]!;
      const disputed = readings.some((r) => r.value !== first.value || r.unit !== first.unit);
      points.push({ period, readings, disputed, value: first.value, unit: first.unit });
    }
    if (points.length === 0) continue;
    points.sort((a, b) => comparePeriods(a.period, b.period));
    out.push({ key, unit: commonestUnit(points), points });
  }
  return out.sort((a, b) => a.key.localeCompare(b.key));
}

function commonestUnit(points: readonly SeriesPoint[]): string {
  const counts = new Map<string, number>();
  for (const p of points) counts.set(p.unit, (counts.get(p.unit) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

/**
 * The change of a point from the latest earlier point of the same shape and length (2017 from 2016, 2018-Q2 from
 * 2018-Q1, Jan-Oct 2018 from Jan-Oct 2017); null when there is none, or when either is disputed or in another unit.
 */
export function changeFrom(series: FigureSeries, point: SeriesPoint): Change | null {
  const index = series.points.indexOf(point);
  for (let i = index - 1; i >= 0; i--) {
    const prev = series.points[i]!;
    if (prev.period.shape !== point.period.shape || span(prev.period) !== span(point.period)) continue;
    if (point.disputed || prev.readings.some((r) => r.unit !== point.unit)) return null;
    if (prev.disputed) {
      const deltas = [...new Set(prev.readings.map((r) => round(point.value - r.value)))];
      return { from: prev, delta: deltas[0]!, percent: null, alternatives: deltas };
    }
    const delta = round(point.value - prev.value);
    return { from: prev, delta, percent: prev.value === 0 ? null : round((delta / Math.abs(prev.value)) * 100, 1) };
  }
  return null;
}

function span(period: Period): string {
  return `${period.start.slice(5)}-${period.end.slice(5)}`;
}

function round(n: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

/** The latest period of a series that is not a part year, else its latest period. */
export function latestPoint(series: FigureSeries): SeriesPoint {
  const whole = series.points.filter((p) => !p.period.partYear);
  return (whole.length > 0 ? whole : series.points).at(-1)!;
}

/** A name for a series: the title of its latest fact with the figure and period dropped, else its key. */
export function seriesName(series: FigureSeries): string {
  const title = latestPoint(series).readings[0]!.fact.title;
  const name = title.split(/:\s*[$€£₩]?-?\d/)[0]!.trim();
  return name && name !== title ? name : series.key;
}
