/**
 * Bench figures for issue 23: reading the recorded feed documents (feedsmith, the Federal Register schema) beside the
 * bare parse of the same bytes (fast-xml-parser's default parse for XML, JSON.parse for JSON), and extracting the
 * readable text of the recorded 460 KB news page (linkedom + Readability) beside parsing it into a DOM alone. Both run
 * on the thread that serves Slack when the scheduler's tick does them, so the second is how long one archived page
 * holds that thread.
 */
import { readFileSync } from "node:fs";
import { XMLParser } from "fast-xml-parser";
import { parseHTML } from "linkedom";
import { parseFeedDocument } from "../src/feeds/parse.js";
import { readablePage } from "../src/sources/readable.js";

interface Recorded {
  id: string;
  name: string;
  value: number;
  baseline: number | null;
  unit: string;
  target: string | null;
  met: boolean | null;
  details?: Record<string, number | string>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fixture = (name: string) => readFileSync(new URL(`../test/fixtures/feeds/${name}`, import.meta.url), "utf8");

function time(fn: () => unknown, runs: number): number {
  fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    fn();
    samples.push(performance.now() - started);
  }
  return median(samples);
}

export async function feedsFigures(record: (f: Recorded) => void, runs: number): Promise<void> {
  const docs = ["federal-register-documents-newest20.json", "ruiz-house-press-releases.rss.xml", "heise-developer.atom.xml", "jsonfeed-org.feed.json"].map((name) => ({ name, text: fixture(name) }));
  const xml = new XMLParser();
  const ours = docs.map((d) => time(() => parseFeedDocument(d.text, "https://example.org/feed"), runs));
  const bare = docs.map((d) => time(() => (d.name.endsWith(".json") ? JSON.parse(d.text) : xml.parse(d.text)), runs));
  record({
    id: "feeds-parse",
    name: "feeds: read the 4 recorded documents (sum of medians)",
    value: ours.reduce((a, b) => a + b, 0),
    baseline: bare.reduce((a, b) => a + b, 0),
    unit: "ms",
    target: null,
    met: null,
    details: Object.fromEntries(docs.map((d, i) => [d.name, `${ours[i]!.toFixed(2)} ms (bare ${bare[i]!.toFixed(2)} ms)`])),
  });
  const page = fixture("nbcnews-south-korea-martial-law.html");
  const pageRuns = Math.max(3, Math.floor(runs / 4));
  record({
    id: "archive-readable",
    name: "archive: readable text of a 460 KB page (thread held)",
    value: time(() => readablePage(page, "https://www.nbcnews.com/x"), pageRuns),
    baseline: time(() => parseHTML(page), pageRuns),
    unit: "ms",
    target: null,
    met: null,
  });
}
