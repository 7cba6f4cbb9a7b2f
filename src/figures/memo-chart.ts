/**
 * Charts in memos and briefs. The `{{chart "series-key"}}` template helper writes the series as one Markdown
 * paragraph (readable in Slack, a .md file and the terminal, which show no pictures); the HTML export then puts the
 * chart itself above each such paragraph, as an SVG image, and the Word export as a PNG picture ({@link docxCharts}).
 */
import { citationMark, type Citations } from "../facts/citations.js";
import type { IsoDate } from "../facts/dates.js";
import type { Fact } from "../facts/model.js";
// From escape.ts, not html.ts: the HTML renderer brings sanitize-html (and postcss), which a memo in Markdown never needs.
import { escapeHtml } from "../render/escape.js";
import { escapeMarkdown } from "../render/escape.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { DocxChart } from "../memos/docx.js";
import { chartAltText, renderChartSvg, svgToPng } from "./chart.js";
import { formatNumber } from "./markdown.js";
import { type FigureSeries, groupSeries, loadSeries, seriesName } from "./series.js";
import { SERIES_KEY } from "./fields.js";

/** The paragraph the helper writes for a series: "Chart: **name** (`key`, unit): 2011: 13.2 [1] · ...". */
export function chartParagraph(key: string, figures: readonly Fact[], citations: Citations): string {
  const series = groupSeries(figures).find((s) => s.key === key);
  if (!series) return `_(no figure series \`${SERIES_KEY.test(key) ? key : "?"}\` on record)_`;
  const points = series.points.map((p) => {
    const marks = p.readings.map((r) => citationMark(citations.cite(r.fact))).join("");
    const value = p.disputed ? `${p.readings.map((r) => formatNumber(r.value)).join(" or ")} (sources differ)` : formatNumber(p.value);
    return `${escapeMarkdown(p.period.label)}: ${escapeMarkdown(value)}${marks}`;
  });
  return `Chart: **${escapeMarkdown(seriesName(series))}** (\`${series.key}\`, ${escapeMarkdown(series.unit)}): ${points.join(" · ")}`;
}

/** The chart paragraphs of an HTML export: `<p>Chart: <strong>…</strong> (<code>key</code>, …`. */
const CHART_PARAGRAPH = /<p>Chart: <strong>[^<]*<\/strong> \(<code>([a-z0-9][a-z0-9-]{0,79})<\/code>/g;

/**
 * Puts each chart above its paragraph in a sanitized HTML export, as an `<img>` of the SVG (a data URI: the file stays
 * self-contained, and an image cannot run script). `series` are the series as the export sees them.
 */
export async function inlineCharts(html: string, series: readonly FigureSeries[]): Promise<string> {
  const keys = new Set([...html.matchAll(CHART_PARAGRAPH)].map((m) => m[1]!));
  const figures = new Map<string, string>();
  for (const key of keys) {
    const s = series.find((x) => x.key === key);
    if (!s) continue;
    const svg = await renderChartSvg(s);
    const src = `data:image/svg+xml;base64,${Buffer.from(svg, "utf8").toString("base64")}`;
    figures.set(key, `<figure class="korus-chart"><img src="${src}" alt="${escapeHtml(chartAltText(s))}" title="${escapeHtml(seriesName(s))}"></figure>\n`);
  }
  return html.replace(CHART_PARAGRAPH, (match, key: string) => `${figures.get(key) ?? ""}${match}`);
}

/** The series keys of the chart paragraphs in a memo's Markdown. */
const CHART_KEYS = /^Chart: \*\*[^\n]*?\*\* \(`([a-z0-9][a-z0-9-]{0,79})`/gm;

/**
 * The chart pictures a Word export of `markdown` needs, by series key (none, and no database read, when the memo
 * names no series): each drawn as in `/korus chart`, at the SVG's own size, from the series as known on the memo's day
 * (`asOf`): a memo as of 2017-09-29 shows no 2017 bar, which was published in February 2018.
 */
export async function docxCharts(prisma: PrismaClient, markdown: string, options: { asOf?: IsoDate | null; timeZone?: string } = {}): Promise<Map<string, DocxChart>> {
  if (!markdown.includes("Chart: **")) return new Map();
  return chartPictures(markdown, await memoSeries(prisma, options));
}

/** The figure series as a memo of `asOf` sees them (every figure known now when it has no day). */
export function memoSeries(prisma: PrismaClient, options: { asOf?: IsoDate | null; timeZone?: string } = {}): Promise<FigureSeries[]> {
  return loadSeries(prisma, { ...(options.asOf ? { asOf: options.asOf } : {}), ...(options.timeZone ? { timeZone: options.timeZone } : {}) });
}

/** The chart pictures of {@link docxCharts} from the series as the export sees them. */
export async function chartPictures(markdown: string, series: readonly FigureSeries[]): Promise<Map<string, DocxChart>> {
  const keys = new Set([...markdown.matchAll(CHART_KEYS)].map((m) => m[1]!));
  const charts = new Map<string, DocxChart>();
  for (const key of keys) {
    const s = series.find((x) => x.key === key);
    if (!s) continue;
    const svg = await renderChartSvg(s);
    const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
    charts.set(key, { png: await svgToPng(svg), width: Number(size?.[1] ?? 600), height: Number(size?.[2] ?? 300), title: seriesName(s), alt: chartAltText(s) });
  }
  return charts;
}
