import { describe, expect, it } from "vitest";
import type { Fact } from "../../../src/facts/model.js";
import { chartSpec, renderChartSvg, svgToPng } from "../../../src/figures/chart.js";
import { seriesListMarkdown, seriesTableMarkdown } from "../../../src/figures/markdown.js";
import { type FigureSeries, groupSeries } from "../../../src/figures/series.js";

let nextId = 1;
function figure(period: string, value: number, options: { title?: string; source?: string; unit?: string; series?: string } = {}): Fact {
  return {
    id: nextId++,
    kind: "figure",
    date: `${period.slice(0, 4)}-12-31`,
    known: null,
    title: options.title ?? `U.S. goods trade deficit with Korea: $${value} billion in ${period}`,
    summary: "",
    actor: "US",
    sources: [{ title: options.source ?? "Census" }],
    disputed: [],
    event: null,
    visibleFrom: `${period.slice(0, 4)}-12-31`,
    confidence: "confirmed",
    topic: "korus",
    after: null,
    retracted: false,
    figure: { value, unit: options.unit ?? "USD billion", period, series: options.series ?? "deficit" },
  };
}

function one(facts: Fact[]): FigureSeries {
  const all = groupSeries(facts);
  expect(all).toHaveLength(1);
  return all[0]!;
}

/** The text of every SVG <text> element of a mark class (title, axis labels...). */
function texts(svg: string, role: string): string[] {
  const out: string[] = [];
  const re = new RegExp(`<g class="mark-text role-${role}[^"]*"[^>]*>([\\s\\S]*?)</g>`, "g");
  for (const m of svg.matchAll(re)) {
    for (const t of m[1]!.matchAll(/<text[^>]*>([\s\S]*?)<\/text>/g)) {
      const lines = [...t[1]!.matchAll(/<tspan[^>]*>([\s\S]*?)<\/tspan>/g)].map((l) => l[1]!);
      out.push(...(lines.length > 0 ? lines : [t[1]!]));
    }
  }
  return out;
}

/** The bars: the paths of the rect mark group. */
function bars(svg: string): string[] {
  const group = /<g class="mark-rect role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/.exec(svg);
  return group ? [...group[1]!.matchAll(/<path[^>]*>/g)].map((m) => m[0]) : [];
}

function pngSize(png: Buffer): { width: number; height: number } {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(png.subarray(12, 16).toString("latin1")).toBe("IHDR");
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function svgSize(svg: string): { width: number; height: number } {
  const m = /<svg[^>]* width="(\d+)" height="(\d+)"/.exec(svg)!;
  return { width: Number(m[1]), height: Number(m[2]) };
}

describe("figure charts", () => {
  it("draws one bar per period with axis labels, title, unit and sources, and a PNG twice the SVG's size", async () => {
    const series = one([figure("2015", 28.3), figure("2016", 27.7), figure("2017", 22.9)]);
    const svg = await renderChartSvg(series);
    expect(bars(svg)).toHaveLength(3);
    expect(texts(svg, "axis-label")).toEqual(expect.arrayContaining(["2015", "2016", "2017"]));
    expect(texts(svg, "axis-title")).toEqual(expect.arrayContaining(["Period", "USD billion"]));
    expect(texts(svg, "title-text")).toEqual(["U.S. goods trade deficit with Korea"]);
    expect(texts(svg, "title-subtitle")).toEqual(["Unit: USD billion", "Source:", "· Census"]);
    expect(texts(svg, "mark")).toEqual(["28.3", "27.7", "22.9"]);
    const png = await svgToPng(svg);
    const size = svgSize(svg);
    expect(pngSize(png)).toEqual({ width: size.width * 2, height: size.height * 2 });
  });

  it("renders a series of one period", async () => {
    const svg = await renderChartSvg(one([figure("2016", 27.7)]));
    expect(bars(svg)).toHaveLength(1);
    expect(pngSize(await svgToPng(svg)).width).toBeGreaterThan(400);
  });

  it("marks a part-year period as such, on the chart and in the table", async () => {
    const series = one([figure("2017", 22.9), figure("2018-01/2018-10", 15.1)]);
    const svg = await renderChartSvg(series);
    expect(bars(svg)).toHaveLength(2);
    expect(texts(svg, "axis-label")).toContain("Jan-Oct 2018 (part year)");
    expect(texts(svg, "legend-label")).toContain("part year");
    expect(svg).toContain('fill="#9ecae9"'); // the part-year bar's colour
    const table = seriesTableMarkdown(series);
    expect(table).toContain("- **Jan-Oct 2018 (part year)**: 15.1 USD billion [1]");
    // Jan-Oct is not compared with a whole year.
    expect(table).not.toMatch(/part year\)\*\*.*from 2017/);
  });

  it("marks a disputed period: both values on the bar, a red bar, both sources in the table", async () => {
    const series = one([figure("2015", 28.3), figure("2016", 27.7), figure("2016", 27.6, { title: "USTR puts the 2016 deficit at $27.6 billion", source: "USTR" })]);
    expect(series.points).toHaveLength(2);
    expect(series.points[1]).toMatchObject({ disputed: true });
    const svg = await renderChartSvg(series);
    expect(bars(svg)).toHaveLength(2);
    expect(texts(svg, "mark")).toEqual(["28.3", "27.7 / 27.6"]);
    expect(svg).toContain('fill="#e45756"');
    expect(texts(svg, "legend-label")).toContain("sources differ");
    expect(seriesTableMarkdown(series)).toContain("- **2016**: **sources differ**: 27.7 USD billion [1] (fact #");
    expect(seriesTableMarkdown(series)).toMatch(/vs 27\.6 USD billion \[2\] \(fact #\d+\)/);
    // The next period's change is given from each of the differing values, not from one picked.
    const withNext = one([figure("2015", 28.3), figure("2016", 27.7), figure("2016", 27.6, { source: "USTR" }), figure("2017", 22.9)]);
    expect(seriesTableMarkdown(withNext)).toContain("- **2017**: 22.9 USD billion [1] · −4.8 or −4.7 from 2016 (its sources differ)");
  });

  it("writes user text into the SVG as text, never as markup", async () => {
    const evil = `</text><script>alert(1)</script> & <!channel> "q"`;
    const series = one([figure("2016", 1, { title: `${evil}: $1 billion`, source: `[x](https://evil.example) ${evil}`, unit: `<b>USD</b>` })]);
    const svg = await renderChartSvg(series);
    expect(svg).not.toContain("<script>");
    expect(svg).not.toContain("<b>");
    expect(svg).not.toContain("<!channel>");
    expect(svg).toContain("&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;!channel&gt;");
    // The specification carries the text as plain strings: no expression, no signal can run it.
    expect(JSON.stringify(chartSpec(series))).not.toMatch(/"expr"|"signal"/);
    // And the Markdown list and table escape it for Slack and the terminal.
    for (const md of [seriesListMarkdown([series]), seriesTableMarkdown(series)]) {
      expect(md).not.toContain("<!channel>");
      expect(md).not.toContain("[x](https://evil.example)");
      expect(md).not.toContain("<b>");
    }
  });
});
