/**
 * The figure commands' domain side, shared by Slack, the console and the CLI: `figures [series]` as Markdown, and a
 * series' chart with the words that go with it.
 */
import { KorusError } from "../errors.js";
import { Citations } from "../facts/citations.js";
import type { IsoDate } from "../facts/dates.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { escapeMarkdown } from "../render/escape.js";
import { sourceLine } from "../render/source-line.js";
import { chartAltText, renderChartSvg, svgToPng } from "./chart.js";
import { formatValue, seriesListMarkdown, seriesTableMarkdown, unknownSeriesMarkdown } from "./markdown.js";
import { type FigureSeries, loadSeries, seriesName } from "./series.js";

/** A figures answer: Markdown, and whether the series asked for exists. */
export interface FiguresAnswer {
  ok: boolean;
  markdown: string;
}

/** `/korus figures [series] [as-of]`. */
export async function figuresAnswer(prisma: PrismaClient, options: { series?: string; asOf?: IsoDate } = {}): Promise<FiguresAnswer> {
  const asOf = options.asOf ? { asOf: options.asOf } : {};
  if (!options.series) return { ok: true, markdown: seriesListMarkdown(await loadSeries(prisma, asOf), asOf) };
  const [series] = await loadSeries(prisma, { series: options.series, ...asOf });
  if (!series) return { ok: false, markdown: unknownSeriesMarkdown(options.series, await loadSeries(prisma, asOf)) };
  return { ok: true, markdown: seriesTableMarkdown(series, asOf) };
}

/** Why a chart could not be made; `message` is Markdown for the person who asked. */
export class ChartError extends KorusError<"chart_unavailable"> {
  constructor(message: string) {
    super("chart_unavailable", message);
  }
}

/** A rendered chart with the words that go with it. */
export interface Chart {
  series: FigureSeries;
  svg: string;
  /** PNG bytes (only when asked for). */
  png?: Buffer;
  /** File name without extension, from the series key. */
  name: string;
  title: string;
  /** The series in words (alt text). */
  alt: string;
  /** The message that goes with the chart: title, unit, periods, differing values and numbered sources (Markdown). */
  captionMarkdown: string;
}

/** Loads a series (within since/until) and renders its chart. @throws ChartError when there is nothing to draw. */
export async function makeChart(prisma: PrismaClient, options: { series: string; since?: IsoDate; until?: IsoDate; asOf?: IsoDate; png?: boolean }): Promise<Chart> {
  const filter = { series: options.series, ...(options.since ? { since: options.since } : {}), ...(options.until ? { until: options.until } : {}), ...(options.asOf ? { asOf: options.asOf } : {}) };
  const [series] = await loadSeries(prisma, filter);
  if (!series) {
    const [whole] = await loadSeries(prisma, { series: options.series });
    if (whole)
      throw new ChartError(
        `No period of \`${whole.key}\` falls within the range asked for; it covers ${escapeMarkdown(whole.points[0]!.period.label)} to ${escapeMarkdown(whole.points.at(-1)!.period.label)}.\n`,
      );
    throw new ChartError(unknownSeriesMarkdown(options.series, await loadSeries(prisma)));
  }
  const svg = await renderChartSvg(series);
  const title = seriesName(series);
  return {
    series,
    svg,
    ...(options.png ? { png: await svgToPng(svg) } : {}),
    name: `${series.key}-chart`,
    title,
    alt: chartAltText(series),
    captionMarkdown: chartCaption(series),
  };
}

function chartCaption(series: FigureSeries): string {
  const citations = new Citations();
  for (const p of series.points) for (const r of p.readings) citations.cite(r.fact);
  const first = series.points[0]!.period.label;
  const last = series.points.at(-1)!.period.label;
  const lines = [
    `**${escapeMarkdown(seriesName(series))}** (\`${series.key}\`), ${escapeMarkdown(series.unit)}, ${escapeMarkdown(first)} to ${escapeMarkdown(last)}: ${series.points.length} period${series.points.length === 1 ? "" : "s"}.`,
  ];
  const partYears = series.points.filter((p) => p.period.partYear);
  if (partYears.length > 0) lines.push(`Part years (light bars): ${partYears.map((p) => escapeMarkdown(p.period.label)).join(", ")}.`);
  for (const p of series.points.filter((x) => x.disputed)) {
    const each = p.readings.map((r) => `${escapeMarkdown(formatValue(r.value, r.unit))} [${citations.cite(r.fact)}]`);
    lines.push(`Sources differ on ${escapeMarkdown(p.period.label)} (red bar): ${each.join(" vs ")}.`);
  }
  lines.push("", "**Sources**", "", ...citations.sources.map(sourceLine));
  return `${lines.join("\n")}\n`;
}
