/**
 * `/korus figures` as Markdown (Slack `markdown` blocks, the console and the CLI): the list of series with their latest
 * value and change, or one series period by period. Slack's markdown blocks have no tables, so both are lists. Every
 * fact text and unit is user text and goes through escapeMarkdown.
 */
import { citationMark, Citations } from "../facts/citations.js";
import { escapeMarkdown } from "../render/escape.js";
import { sourceLine } from "../render/source-line.js";
import { type Change, changeFrom, type FigureSeries, latestPoint, type SeriesPoint, seriesName } from "./series.js";

/** "27.7", "1,234.5", "-3": at most three decimals, thousands grouped. */
export function formatNumber(value: number): string {
  return value.toLocaleString("en-US", { maximumFractionDigits: 3 });
}

/** A value with its unit, as plain text: "27.7 USD billion", "3.5%". */
export function formatValue(value: number, unit: string): string {
  return unit === "%" ? `${formatNumber(value)}%` : `${formatNumber(value)} ${unit}`;
}

/** "+1.2 (+4.5%) from 2016", "-4.8 (-17.3%) from 2016"; plain text. */
export function formatChange(change: Change): string {
  const sign = (n: number) => (n > 0 ? "+" : n < 0 ? "−" : "±");
  const signed = (n: number) => `${sign(n)}${formatNumber(Math.abs(n))}`;
  if (change.alternatives && change.alternatives.length > 1) {
    return `${change.alternatives.map(signed).join(" or ")} from ${change.from.period.label} (its sources differ)`;
  }
  const pct = change.percent === null ? "" : ` (${sign(change.percent)}${formatNumber(Math.abs(change.percent))}%)`;
  return `${signed(change.delta)}${pct} from ${change.from.period.label}`;
}

function readingsText(point: SeriesPoint, citations: Citations): string {
  if (!point.disputed) {
    const marks = point.readings.map((r) => citationMark(citations.cite(r.fact))).join("");
    return `${escapeMarkdown(formatValue(point.value, point.unit))}${marks}`;
  }
  const each = point.readings.map((r) => `${escapeMarkdown(formatValue(r.value, r.unit))}${citationMark(citations.cite(r.fact))} (fact #${r.fact.id})`);
  return `**sources differ**: ${each.join(" vs ")}`;
}

function sourcesSection(citations: Citations): string[] {
  if (citations.sources.length === 0) return [];
  return ["", "**Sources**", "", ...citations.sources.map(sourceLine)];
}

/** Every series: latest value, change from the previous period, the span covered, sources. */
export function seriesListMarkdown(all: readonly FigureSeries[], options: { asOf?: string } = {}): string {
  const heading = `# Figure series${options.asOf ? ` as of ${options.asOf}` : ""}`;
  if (all.length === 0) {
    return `${heading}\n\nNo figure series on record. A figure fact joins a series when it has \`value\`, \`unit\`, \`period\` and \`series\` (see \`korus facts add --help\`).\n`;
  }
  const citations = new Citations();
  const lines = [heading, ""];
  for (const series of all) {
    const latest = latestPoint(series);
    const change = changeFrom(series, latest);
    const first = series.points[0]!.period.label;
    const disputed = series.points.filter((p) => p.disputed).length;
    lines.push(
      `- **${escapeMarkdown(seriesName(series))}** (\`${series.key}\`): ${readingsText(latest, citations)} in ${escapeMarkdown(latest.period.label)}` +
        `${change ? `, ${escapeMarkdown(formatChange(change))}` : ""} · ${series.points.length} period${series.points.length === 1 ? "" : "s"}, ` +
        `${escapeMarkdown(first)} to ${escapeMarkdown(series.points.at(-1)!.period.label)}` +
        `${disputed ? ` · ${disputed} with differing sources` : ""}`,
    );
    for (const p of series.points) for (const r of p.readings) citations.cite(r.fact);
  }
  lines.push("", "`/korus figures SERIES` lists every period; `/korus chart SERIES` draws it.");
  return `${[...lines, ...sourcesSection(citations)].join("\n")}\n`;
}

/** One series, period by period, oldest first; part years and differing sources said in words. */
export function seriesTableMarkdown(series: FigureSeries, options: { asOf?: string } = {}): string {
  const citations = new Citations();
  const lines = [`# ${escapeMarkdown(seriesName(series))} (\`${series.key}\`)${options.asOf ? ` as of ${options.asOf}` : ""}`, "", `Unit: ${escapeMarkdown(series.unit)}`, ""];
  for (const point of series.points) {
    const change = changeFrom(series, point);
    lines.push(`- **${escapeMarkdown(point.period.label)}**: ${readingsText(point, citations)}${change ? ` · ${escapeMarkdown(formatChange(change))}` : ""}`);
  }
  const partYears = series.points.filter((p) => p.period.partYear);
  if (partYears.length > 0) lines.push("", `_Part-year periods cover only the months named; compare them only with the same months of another year._`);
  return `${[...lines, ...sourcesSection(citations)].join("\n")}\n`;
}

/** The answer when a series key is not on record: the keys that are. */
export function unknownSeriesMarkdown(key: string, all: readonly FigureSeries[]): string {
  const known = all.map((s) => `\`${s.key}\``).join(", ");
  return `No figure series “${escapeMarkdown(key)}” on record.${known ? ` Series on record: ${known}.` : " No series are on record yet."}\n`;
}
