import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseFactLines } from "../../../src/facts/jsonl-read.js";
import type { Fact } from "../../../src/facts/model.js";
import { strFromU8, unzipSync } from "fflate";
import { chartPictures, inlineCharts } from "../../../src/figures/memo-chart.js";
import { markdownToDocx } from "../../../src/memos/docx.js";
import { groupSeries } from "../../../src/figures/series.js";
import { assembleMemo } from "../../../src/memos/assemble.js";
import { readTemplateFile } from "../../../src/memos/templates/front-matter.js";
import { markdownToHtml } from "../../../src/render/html.js";

/** The example timeline as stored facts (ids in file order). */
function timeline(): Fact[] {
  const { facts } = parseFactLines(readFileSync(new URL("../../../examples/korus-timeline.jsonl", import.meta.url), "utf8"));
  return facts
    .filter((l) => l.date)
    .map((l, i) => ({
      id: i + 1,
      kind: l.kind,
      date: l.date!,
      known: l.known ?? null,
      title: l.title,
      summary: l.summary,
      actor: l.actor,
      sources: l.sources,
      disputed: l.disputed ?? [],
      event: l.event ?? null,
      visibleFrom: l.known ?? l.date!,
      confidence: l.confidence,
      topic: l.topic,
      after: null,
      retracted: false,
      figure: l.value !== undefined || l.series !== undefined ? { value: l.value ?? null, unit: l.unit ?? null, period: l.period ?? null, series: l.series ?? null } : null,
    }));
}

const TEMPLATE = `---
id: deficit-note
title: Deficit note
description: The deficit series as a chart.
kind: memo
sections:
  - key: body
    title: Body
    prompt: Say it.
---
# {{title}}

{{chart "us-goods-deficit-korea"}}

{{chart "no-such-series"}}
`;

describe("charts in memo exports", () => {
  it("the {{chart}} helper writes the series as a cited paragraph; the HTML export draws the chart above it", async () => {
    const { template, problems } = readTemplateFile(TEMPLATE, "deficit-note.md");
    expect(problems).toEqual([]);
    const facts = timeline();
    const memo = assembleMemo({ template: template!, title: "Deficit <!channel>", date: "2019-06-01", authors: ["A"], sections: { body: { text: "x", state: "final" } }, facts });
    expect(memo.markdown).toContain(
      "Chart: **U.S. goods trade deficit with Korea** (`us-goods-deficit-korea`, USD billion): 2011: 13.2 [1, 2] · 2012: 16.6 [1, 3] · 2013: 20.7 [1, 4] · 2014: 25 [1] · 2015: 28.3 [1] · 2016: 27.7 or 27.6 (sources differ) [5, 6] [2, 7] · 2017: 22.9 [1, 7] · 2018: 17.9 [1]",
    );
    expect(memo.markdown).toContain("_(no figure series `no-such-series` on record)_");
    expect(memo.markdown).toContain("5. [USTR, Korea country page (U.S.-Korea trade facts)](https://ustr.gov/countries-regions/japan-korea-apec/korea)");

    const html = await inlineCharts(markdownToHtml(memo.markdown, { title: "Deficit" }), groupSeries(facts));
    const figures = [...html.matchAll(/<figure class="korus-chart"><img src="data:image\/svg\+xml;base64,([A-Za-z0-9+/=]+)" alt="([^"]*)"/g)];
    expect(figures).toHaveLength(1);
    const svg = Buffer.from(figures[0]![1]!, "base64").toString("utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain(">U.S. goods trade deficit with Korea</text>");
    expect(figures[0]![2]).toContain("2016: sources differ (27.7 vs 27.6)");
    expect(html.indexOf("<figure")).toBeLessThan(html.indexOf("<p>Chart: <strong>"));
  });

  it("a chart's alt text and title are escaped in the HTML", async () => {
    const evil: Fact = {
      id: 1,
      kind: "figure",
      date: "2018-12-31",
      known: null,
      title: `"><script>alert(1)</script>: $1 billion`,
      summary: "",
      actor: "US",
      sources: [{ title: "s" }],
      disputed: [],
      event: null,
      visibleFrom: "2018-12-31",
      confidence: "confirmed",
      topic: "korus",
      after: null,
      retracted: false,
      figure: { value: 1, unit: `"><b>x`, period: "2018", series: "evil" },
    };
    const html = await inlineCharts("<p>Chart: <strong>x</strong> (<code>evil</code>, y): …</p>", groupSeries([evil]));
    expect(html).not.toContain("<script>");
    expect(html).not.toContain('"><b>');
    expect(html).toContain("&quot;&gt;&lt;script&gt;");
  });

  it("the Word export puts the chart above its paragraph as a PNG picture with its alt text, and only for named series", async () => {
    const { template } = readTemplateFile(TEMPLATE, "deficit-note.md");
    const facts = timeline();
    const memo = assembleMemo({ template: template!, title: "Deficit", date: "2019-06-01", authors: ["A"], sections: { body: { text: "x", state: "final" } }, facts });
    const charts = await chartPictures(memo.markdown, groupSeries(facts));
    expect([...charts.keys()]).toEqual(["us-goods-deficit-korea"]);
    const parts = unzipSync(await markdownToDocx(memo.markdown, { title: "Deficit", charts }));
    const media = Object.keys(parts).filter((name) => name.startsWith("word/media/"));
    expect(media).toHaveLength(1);
    expect([...parts[media[0]!]!.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const document = strFromU8(parts["word/document.xml"]!);
    const picture = document.indexOf("<w:drawing>");
    expect(picture).toBeGreaterThan(0);
    expect(document.indexOf("U.S. goods trade deficit with Korea", picture)).toBeGreaterThan(picture);
    expect(document).toMatch(/descr="[^"]*2016: sources differ \(27\.7 vs 27\.6\)/);
    // Without pictures, no drawing at all: the paragraph alone.
    expect(strFromU8(unzipSync(await markdownToDocx(memo.markdown, { title: "Deficit" }))["word/document.xml"]!)).not.toContain("<w:drawing>");
  });

  it("a chart's alt text is XML-escaped in the Word export", async () => {
    const evil: Fact = {
      id: 1,
      kind: "figure",
      date: "2018-12-31",
      known: null,
      title: `"/><w:fldSimple w:instr="HYPERLINK evil"/>: $1 billion`,
      summary: "",
      actor: "US",
      sources: [{ title: "s" }],
      disputed: [],
      event: null,
      visibleFrom: "2018-12-31",
      confidence: "confirmed",
      topic: "korus",
      after: null,
      retracted: false,
      figure: { value: 1, unit: "USD billion", period: "2018", series: "evil" },
    };
    const markdown = "Chart: **x** (`evil`, USD billion): 2018: 1";
    const charts = await chartPictures(markdown, groupSeries([evil]));
    const document = strFromU8(unzipSync(await markdownToDocx(markdown, { title: "T", charts }))["word/document.xml"]!);
    expect(document).toContain("<w:drawing>");
    expect(document).not.toContain("<w:fldSimple");
    expect(document).toContain("&lt;w:fldSimple");
  });
});
