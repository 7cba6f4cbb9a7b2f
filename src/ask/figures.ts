/**
 * The figure intents: how much (a figure of a series for a period, with its other readings), the peak or low of a
 * series, and how it changed between two periods, each computed from the facts of the series as known on the as-of day.
 */
import { addDays } from "../facts/dates.js";
import { deadlineBasisLabel } from "../facts/labels.js";
import { formatNumber, formatValue } from "../figures/markdown.js";
import { groupSeries, type FigureSeries, type SeriesPoint } from "../figures/series.js";
import { stem } from "./similarity.js";
import { tokenize } from "./tokens.js";
import type { AskAnswer } from "./answer.js";
import { type Context, fitFor, type IntentAnswers, plural } from "./context.js";

/** The figure series named by the question's subject, as known on the as-of day. */
export function seriesFor(ctx: Context): { series: FigureSeries; name: string } | undefined {
  const figures = ctx.visible.filter((f) => f.figure?.series && f.figure.value !== null && f.figure.period);
  const ranked = ctx.rank(figures, { minCoverage: 0.34 });
  const key = ranked[0]?.fact.figure?.series;
  if (!key) return undefined;
  const series = groupSeries(figures.filter((f) => f.figure!.series === key))[0];
  if (!series) return undefined;
  const title = series.points.at(-1)!.readings[0]!.fact.title;
  return { series, name: title.split(/:\s*[$€£₩]?-?\d/)[0]!.trim() || key };
}

function pointText(p: SeriesPoint): string {
  const values = [...new Set(p.readings.map((r) => formatValue(r.value, r.unit)))];
  return values.length > 1 ? `${values.join(" or ")} (sources differ)` : values[0]!;
}

function seriesCoverage(series: FigureSeries): string {
  const [first, last] = [series.points[0]!.period.label, series.points.at(-1)!.period.label];
  return first === last ? first : `${first} to ${last}`;
}

/** The point of a period: the same period, else the one period within it ("2018" finds "Jan-Jun 2018"). */
function pointOf(series: FigureSeries, period: { key: string; start: string; end: string }): SeriesPoint | undefined {
  const same = series.points.find((p) => p.period.key === period.key);
  if (same) return same;
  const within = series.points.filter((p) => p.period.start >= period.start && p.period.end <= period.end);
  return within.length === 1 ? within[0] : undefined;
}

/**
 * "Anything disputed about the deficit figures?": the periods of the series named whose sources give more than one
 * value, with every reading; undefined when the question names no series or none of its periods is disputed.
 */
export function disputedFigures(ctx: Context): AskAnswer | undefined {
  const found = seriesFor(ctx);
  if (!found) return undefined;
  const points = found.series.points.filter((p) => new Set(p.readings.map((r) => r.value)).size > 1);
  if (points.length === 0) return ctx.nothing(`${found.name}: no period on record with differing figures as of ${ctx.q.asOf}; the series covers ${seriesCoverage(found.series)}.`, []);
  const lead = `${found.name}: sources differ on ${plural(points.length, "period")} of ${found.series.points.length} (${seriesCoverage(found.series)}): ${points.map((p) => `${p.period.label}, ${pointText(p).replace(/ \(sources differ\)$/, "")}`).join("; ")}.`;
  return ctx.answer(
    true,
    lead,
    points.flatMap((p) => p.readings.map((r) => ctx.answered(r.fact))),
    { series: found.series },
  );
}

/** Words asking for the newest of something. */
export const LATEST = /\b(?:latest|most recent|newest|last known|current)\b/i;

/** "How many rounds ...": the plural noun counted. */
const COUNTED = /\bhow many (?:[a-z-]+ ){0,2}?([a-z]+s)\b/i;
/** Units of time are amounts (a deadline's days), not things to count. */
const TIME_UNITS = new Set(["days", "weeks", "months", "years", "times", "hours"]);

/**
 * The periods a peak question bounds its series to: "since 2013", "before 2015", "between 2016 and 2018", and "after
 * 2012" without 2012 itself (the question's range reads "after" as "since"). None when it names no range.
 */
function peakBound(ctx: Context): { since?: string; until?: string; label: string } | undefined {
  const range = ctx.q.range;
  if (!range || ctx.q.periods.length === 0) return undefined;
  const first = ctx.q.periods[0]!;
  if (ctx.q.periods.length === 1 && new RegExp(`\\bafter\\s+(?:the\\s+)?(?:end\\s+of\\s+)?${first.label.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`, "i").test(ctx.q.text))
    return { since: addDays(first.end, 1), until: range.until, label: `after ${first.label}` };
  return range;
}

export const FIGURE_ANSWERS: Pick<IntentAnswers, "peak" | "change" | "how-much"> = {
  peak: (ctx) => {
    const found = seriesFor(ctx);
    if (!found) return undefined;
    const { series, name } = found;
    const value = (p: SeriesPoint) => (ctx.q.extreme === "min" ? Math.min : Math.max)(...p.readings.map((r) => r.value));
    const bound = peakBound(ctx);
    const points = bound ? series.points.filter((p) => p.period.start >= (bound.since ?? "") && p.period.end <= (bound.until ?? "9999")) : series.points;
    if (points.length === 0) return ctx.nothing(`${name}: no figure on record ${bound?.label}; the series covers ${seriesCoverage(series)}.`, []);
    const best = points.reduce((x, y) => ((ctx.q.extreme === "min" ? value(y) < value(x) : value(y) > value(x)) ? y : x));
    const word = ctx.q.extreme === "min" ? "lowest" : "highest";
    const covered = `${points[0]!.period.label} to ${points.at(-1)!.period.label}`;
    const said = bound && (/^(?:since|before|after|until)\b/.test(bound.label) ? bound.label : `from ${bound.label}`);
    const within = said ? (said.endsWith(covered) ? ` ${said}` : ` ${said} (${covered})`) : ` (${seriesCoverage(series)})`;
    const lead = `${name}: ${word} in ${best.period.label}, ${pointText(best)}, of ${plural(points.length, "period")} on record${within}.`;
    return ctx.answer(
      true,
      lead,
      best.readings.map((r) => ctx.answered(r.fact)),
      { series },
    );
  },

  change: (ctx) => {
    const found = seriesFor(ctx);
    if (!found) return undefined;
    const { series, name } = found;
    const points = ctx.q.periods.map((p) => pointOf(series, p));
    let [from, to] = [points[0], points[points.length - 1]];
    if (ctx.q.periods.length === 1 && from) {
      // One period: "since 2016" runs from it to the latest; "dropped in 2018" from the period before it.
      const at = series.points.indexOf(from);
      if (/\b(?:since|from)\b/i.test(ctx.q.text)) to = series.points.at(-1);
      else from = series.points[at - 1];
    }
    if (!from || !to || from === to) {
      const missing = ctx.q.periods.filter((_p, i) => !points[i]).map((p) => p.label);
      return ctx.nothing(`${name}: no figure on record for ${missing.join(" or ") || "both periods"}; the series covers ${seriesCoverage(series)}.`, []);
    }
    const deltas = [...new Set(from.readings.flatMap((a) => to.readings.map((b) => Math.round((b.value - a.value) * 1000) / 1000)))];
    const verb = (d: number) => (d > 0 ? `rose by ${formatValue(d, to.unit)}` : d < 0 ? `fell by ${formatValue(-d, to.unit)}` : "did not change");
    const pct = from.readings.length === 1 && to.readings.length === 1 && from.value !== 0 ? ` (${deltas[0]! > 0 ? "+" : ""}${formatNumber(Math.round((deltas[0]! / from.value) * 1000) / 10)}%)` : "";
    const lead =
      `${name}: from ${from.period.label} (${pointText(from)}) to ${to.period.label} (${pointText(to)}) it ${verb(deltas[0]!)}${pct}` +
      `${
        deltas.length > 1
          ? `, or ${deltas
              .slice(1)
              .map((d) => verb(d).replace(/^(rose|fell) by /, ""))
              .join(" or ")} by the other reading`
          : ""
      }.`;
    return ctx.answer(
      true,
      lead,
      [...to.readings, ...from.readings].map((r) => ctx.answered(r.fact)),
      { series },
    );
  },

  "how-much": (ctx) => {
    const q = ctx.q;
    const found = seriesFor(ctx);
    if (found && q.periods.length > 0) {
      const wanted = q.periods[q.periods.length - 1]!;
      const point = pointOf(found.series, wanted);
      if (!point) return ctx.nothing(`${found.name}: no figure on record for ${wanted.label}; the series covers ${seriesCoverage(found.series)}.`, []);
      const lead = `${found.name}, ${point.period.label}: ${pointText(point)}.`;
      return ctx.answer(
        true,
        lead,
        point.readings.map((r) => ctx.answered(r.fact)),
        { series: found.series },
      );
    }
    // "The latest deficit as of D": the series' last period as known that day.
    if (found && LATEST.test(q.text)) {
      const point = found.series.points.at(-1)!;
      const lead = `${found.name}, ${point.period.label} (the latest period on record as of ${q.asOf}): ${pointText(point)}.`;
      return ctx.answer(
        true,
        lead,
        point.readings.map((r) => ctx.answered(r.fact)),
        { series: found.series },
      );
    }
    // "How many rounds of talks were there": with no figure on the subject, the events on record that match it, counted.
    const counted = COUNTED.exec(q.text)?.[1];
    if (counted && !TIME_UNITS.has(counted.toLowerCase()) && !ctx.rank(ctx.visible.filter((f) => f.kind === "figure")).some((r) => r.inTitle)) {
      // Counted: the events whose title names the thing counted ("round" for "rounds"), listed so the count can be checked.
      const noun = stem(counted.toLowerCase());
      const events = ctx
        .rank(
          ctx.visible.filter((f) => f.kind === "event" && tokenize(f.title).some((t) => t.stem === noun)),
          { minCoverage: 0.34 },
        )
        .map((r) => r.fact)
        .sort((a, b) => a.date.localeCompare(b.date));
      if (events.length > 1) {
        const lead = `${plural(events.length, "event")} on record as of ${q.asOf} name ${counted.toLowerCase()} and match the question: ${events.map((f) => `“${f.title}” (${f.date})`).join(", ")}.`;
        return ctx.answer(
          true,
          lead,
          events.slice(0, 6).map((f) => ctx.answered(f)),
          { more: Math.max(0, events.length - 6) },
        );
      }
    }
    // An amount is stated by a figure, and a number of days by a deadline counted from another fact ("30 days after
    // the request"): those that match the subject answer before any other kind of fact.
    const asksDays = /\bhow (?:many|much) (?:days|weeks|months|time)\b/i.test(q.text);
    const general = ctx.general(
      fitFor("how-much"),
      (top) => {
        const basis = asksDays && top.after ? deadlineBasisLabel(ctx.index.basisOf(top)) : null;
        if (basis) return `${plural(top.after!.days, "day")}: “${top.title}”, due ${top.date}, ${basis}.`;
        const v = top.figure?.value != null && top.figure.unit ? `${formatValue(top.figure.value, top.figure.unit)}${top.figure.period ? ` for ${top.figure.period}` : ""}: ` : "";
        return `${v}“${top.title}” (${top.date}).`;
      },
      (f) => f.kind === "figure" || (asksDays && f.after !== null),
    );
    const key = general.facts[0]?.fact.figure?.series;
    if (key) general.series = groupSeries(ctx.visible.filter((f) => f.figure?.series === key))[0];
    return general;
  },
};
