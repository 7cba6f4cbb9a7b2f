/**
 * Charts of figure series: a Vega-Lite specification (declarative, no drawing by hand), compiled to Vega, rendered to
 * SVG on the server by Vega's headless view, and to PNG by resvg. Vega writes every text into the SVG escaped as XML;
 * user text enters the specification only as data or plain titles, never as an expression.
 *
 * Vega, Vega-Lite and resvg load with the first chart, not with the module: importing them takes about 300 ms, which
 * the bot's start (and every command that draws nothing) would otherwise spend.
 */
import type { TopLevelSpec } from "vega-lite";
import { formatNumber, formatValue } from "./markdown.js";
import { type FigureSeries, seriesName } from "./series.js";

/** What a bar stands for, shown by its colour and in the legend. */
export const BAR_STATUS = { agreed: "on record", disputed: "sources differ", partYear: "part year" } as const;

/** A chart's words: title, unit, and the sources it names (all plain text, as people wrote them). */
export interface ChartText {
  title: string;
  /** Lines under the title: the unit, then the sources. */
  subtitle: string[];
}

const FONT = "DejaVu Sans, Liberation Sans, Arial, Helvetica, sans-serif";
const MAX_TITLE = 120;

function cut(text: string, max: number): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** The chart's title and subtitle for a series. */
export function chartText(series: FigureSeries): ChartText {
  const sources = new Set<string>();
  for (const p of series.points) for (const r of p.readings) for (const s of r.fact.sources) sources.add(s.title ?? s.url ?? "");
  sources.delete("");
  const list = [...sources];
  const shown = list.slice(0, 3).map((s) => `· ${cut(s, 110)}`);
  if (list.length > 3) shown.push(`· and ${list.length - 3} more`);
  return { title: cut(seriesName(series), MAX_TITLE), subtitle: [cut(`Unit: ${series.unit}`, 120), list.length === 0 ? "No source named" : `Source${list.length === 1 ? "" : "s"}:`, ...shown] };
}

/** The Vega-Lite specification of a bar chart of the series: one bar per period, oldest first. */
export function chartSpec(series: FigureSeries): TopLevelSpec {
  const values = series.points.map((p) => {
    const status = p.disputed ? BAR_STATUS.disputed : p.period.partYear ? BAR_STATUS.partYear : BAR_STATUS.agreed;
    const label = p.disputed ? p.readings.map((r) => formatNumber(r.value)).join(" / ") : formatNumber(p.value);
    return { period: p.period.label, value: p.value, status, label };
  });
  const text = chartText(series);
  const long = values.some((v) => v.period.length > 8) || values.length > 10;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: text.title, subtitle: text.subtitle, anchor: "start", fontSize: 15, subtitleFontSize: 11 },
    width: Math.max(360, Math.min(900, values.length * 64)),
    height: 260,
    background: "white",
    padding: 12,
    config: { font: FONT, axis: { labelFontSize: 11, titleFontSize: 12 }, legend: { labelFontSize: 11, titleFontSize: 11 } },
    data: { values },
    encoding: {
      x: { field: "period", type: "ordinal", sort: null, title: "Period", axis: { labelAngle: long ? -40 : 0, labelLimit: 400 } },
      y: { field: "value", type: "quantitative", title: series.unit },
    },
    layer: [
      {
        mark: { type: "bar", tooltip: false },
        encoding: {
          color: {
            field: "status",
            type: "nominal",
            title: null,
            scale: { domain: [BAR_STATUS.agreed, BAR_STATUS.partYear, BAR_STATUS.disputed], range: ["#4c78a8", "#9ecae9", "#e45756"] },
            legend: { orient: "bottom", direction: "horizontal" },
          },
        },
      },
      { mark: { type: "text", dy: -7, fontSize: 11 }, encoding: { text: { field: "label", type: "nominal" } } },
    ],
  } as TopLevelSpec;
}

/** Renders the series as an SVG document. */
export async function renderChartSvg(series: FigureSeries): Promise<string> {
  const [{ parse: parseVega, View }, { compile }] = await Promise.all([import("vega"), import("vega-lite")]);
  const view = new View(parseVega(compile(chartSpec(series)).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** Turns an SVG document into PNG bytes (system fonts; twice the SVG's size, for sharp text on high-density screens). */
export async function svgToPng(svg: string): Promise<Buffer> {
  const { Resvg } = await import("@resvg/resvg-js");
  const resvg = new Resvg(svg, { fitTo: { mode: "zoom", value: 2 }, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } });
  return resvg.render().asPng();
}

/** Renders the series as PNG bytes. */
export async function renderChartPng(series: FigureSeries): Promise<Buffer> {
  return svgToPng(await renderChartSvg(series));
}

/** The alt text of a chart: the series in words, for screen readers and Slack's file preview. */
export function chartAltText(series: FigureSeries): string {
  const parts = series.points.map((p) =>
    p.disputed ? `${p.period.label}: sources differ (${p.readings.map((r) => formatNumber(r.value)).join(" vs ")})` : `${p.period.label}: ${formatNumber(p.value)}`,
  );
  return cut(`${seriesName(series)}, ${formatValue(0, series.unit).replace(/^0\s?/, "")}: ${parts.join("; ")}`, 1000);
}
