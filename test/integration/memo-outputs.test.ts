import mammoth from "mammoth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { addFact } from "../../src/facts/service.js";
import { diffAssemblies, memoDiffMarkdown } from "../../src/memos/diff.js";
import { previewBrief } from "../../src/briefs/brief.js";
import { markdownToDocx } from "../../src/memos/docx.js";
import { assemble, listAssemblies, render } from "../../src/memos/assemblies.js";
import { createMemo, writeSection } from "../../src/memos/service.js";
import { getMemo, MemoError, type MemoDeps } from "../../src/memos/read.js";
import { markdownToHtml } from "../../src/render/html.js";
import { docxBodyText, docxFootnotes, unzipDocx } from "../support/docx.js";
import { createTestDatabase } from "../support/test-db.js";
import { shippedTemplates } from "../support/templates.js";

const LEAD = "U0LEAD";
const BANNER = "PRE-DECISIONAL / DELIBERATIVE";
const SECTIONS = ["purpose", "background", "us_position", "korean_position", "market_access", "risks", "talking_points", "next_steps"];

/** Every external target a document's relationships point at. */
function externalTargets(parts: Record<string, string>): string[] {
  const targets: string[] = [];
  for (const [name, xml] of Object.entries(parts)) {
    if (!name.endsWith(".rels")) continue;
    for (const m of xml.matchAll(/<Relationship [^>]*Target="([^"]*)"[^>]*TargetMode="External"/g)) targets.push(m[1]!.replace(/&amp;/g, "&"));
  }
  return targets.sort();
}

describe("memo outputs: as-of, kept assemblies and diffs, Word", () => {
  let db: Database;
  let deps: MemoDeps;

  beforeAll(async () => {
    db = await createTestDatabase();
    deps = { prisma: db.prisma, clock: fixedClock("2026-12-02T15:00:00Z"), timeZone: "America/New_York", admins: [], banner: BANNER, templates: await shippedTemplates() };
    // A fact whose title carries Slack and Markdown forms: it must stay text in every output.
    await addFact(
      { prisma: db.prisma, admins: [] },
      {
        date: "2017-07-14",
        known: "2017-07-14",
        title: "Hostile <!channel> [x](https://evil.example/x) title",
        kind: "event",
        actor: "US",
        source: { title: "A wire report", url: "https://example.org/wire" },
      },
      "U0FACT",
    );
  });
  afterAll(async () => {
    await db?.close();
  });

  async function writtenMemo(asOf?: string) {
    const memo = await createMemo(deps, { templateId: "special-session-prep", title: "Special session prep", ...(asOf ? { asOf } : {}) }, LEAD);
    for (const key of SECTIONS) {
      const text =
        key === "purpose"
          ? "Prepare **the principal** for the _special session_.\n\n- first bullet\n- second bullet\n\n1. step one\n2. step two\n\nSee [the letter](https://ustr.gov/letter) and [bad](javascript:alert(1)) and <!channel>.\n\n| Sector | Barrier |\n|---|---|\n| Autos | Standards |\n"
          : `The ${key} section's text, with ~~struck~~ words.`;
      await writeSection(deps, memo.id, key, { text, baseRevision: 0 }, LEAD);
    }
    return getMemo(deps, memo.id);
  }

  it("dates a memo and its fact windows with --as-of, and refuses a day that is not a date or is after today", async () => {
    const memo = await writtenMemo("2017-07-20");
    expect(memo.asOf).toBe("2017-07-20");
    const rendered = await render(deps, memo);
    expect(rendered.markdown).toContain("**Date:** 2017-07-20 (Thu)");
    expect(rendered.markdown).not.toMatch(/Developments on record \(last 90 days\)\*\*\n\n_None on record\._/);
    expect(rendered.markdown).toContain("U.S. requests the first-ever special session");
    // Facts not yet known on the day are not shown.
    const earlier = await render(deps, memo, { asOf: "2017-07-01" });
    expect(earlier.markdown).toContain("**Date:** 2017-07-01 (Sat)");
    expect(earlier.markdown).not.toContain("first-ever special session");
    for (const bad of ["2017-13-01", "July 20", "2027-01-01"]) {
      const error = await render(deps, memo, { asOf: bad }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MemoError);
      expect((error as MemoError).details.fields?.asOf).toBeTruthy();
    }
    const refused = await createMemo(deps, { templateId: "special-session-prep", title: "Future", asOf: "2030-01-01" }, LEAD).catch((e: unknown) => e);
    expect((refused as MemoError).message).toContain("is after today");
  });

  it("keeps every assembly and shows what changed between two", async () => {
    const memo = await writtenMemo("2017-07-20");
    const first = await assemble(deps, memo.id, LEAD);
    expect(first.assembly).toEqual({ number: 1, previous: null });
    await expect(diffAssemblies(deps, memo.id)).rejects.toThrow("only been assembled once");
    await writeSection(deps, memo.id, "risks", { text: "A new risk: the timetable slips.", baseRevision: 1 }, LEAD);
    const second = await assemble(deps, memo.id, LEAD, { asOf: "2017-07-21" });
    expect(second.assembly).toEqual({ number: 2, previous: 1 });
    expect((await listAssemblies(deps, memo.id)).map((a) => [a.number, a.asOf])).toEqual([
      [1, "2017-07-20"],
      [2, "2017-07-21"],
    ]);
    const diff = await diffAssemblies(deps, memo.id);
    expect(diff.unified).toContain("-The risks section's text, with ~~struck~~ words.");
    expect(diff.unified).toContain("+A new risk: the timetable slips.");
    expect(diff.unified).toContain("-**Date:** 2017-07-20 (Thu)");
    expect(diff.unified).toContain("+**Date:** 2017-07-21 (Fri)");
    expect(diff.added).toBeGreaterThanOrEqual(2);
    const markdown = memoDiffMarkdown(diff);
    expect(markdown).toMatch(/^# Memo #\d+: changes from assembly 1 to 2\n\n\d+ lines? added, \d+ removed/);
    // The hostile fact title, in a diff line, cannot ping anyone: the code block is defused.
    expect(markdown).not.toContain("<!channel>");
    expect((await diffAssemblies(deps, memo.id, 2, 2)).unified).toBe("");
    await expect(diffAssemblies(deps, memo.id, 1, 7)).rejects.toThrow("has no assembly 7; it has 1, 2");
  });

  it("exports a .docx with headings, the banner in header and footer, lists, links, a table and one footnote per citation", async () => {
    const memo = await writtenMemo("2017-07-20");
    const rendered = await render(deps, memo);
    const bytes = await markdownToDocx(rendered.markdown, { title: memo.title, banner: BANNER });
    const parts = unzipDocx(bytes);
    const document = parts["word/document.xml"]!;
    // Headings are Word headings (styles), not big bold text.
    expect(document).toMatch(/<w:pStyle w:val="Heading1"\/>.*?Special session prep/);
    for (const title of ["Purpose", "Background", "U.S. position", "Risks", "Timeline", "Upcoming deadlines", "Sources"]) {
      expect(document).toMatch(new RegExp(`<w:pStyle w:val="Heading2"/>(?:(?!</w:p>).)*${title.replace(/\./g, "\\.")}`));
    }
    // The banner heads and foots the page, and is not repeated in the body.
    const header = Object.entries(parts).find(([n]) => /^word\/header\d*\.xml$/.test(n))?.[1];
    const footer = Object.entries(parts).find(([n]) => /^word\/footer\d*\.xml$/.test(n))?.[1];
    expect(header).toContain(BANNER);
    expect(footer).toContain(BANNER);
    expect(document).not.toContain(BANNER);
    // Bold, italic, strike; bullet and numbered lists; a table.
    expect(document).toMatch(/<w:b\/>(?:(?!<\/w:r>).)*the principal/);
    expect(document).toMatch(/<w:i\/>(?:(?!<\/w:r>).)*special session/);
    expect(document).toMatch(/<w:strike\/>(?:(?!<\/w:r>).)*struck/);
    expect(document.match(/<w:numPr>/g)?.length).toBeGreaterThan(4);
    expect(document).toContain("<w:tbl>");
    // One footnote per citation mark, each with its sources' text; every footnote referenced once; no "[n]" left.
    const body = rendered.markdown.split("## Sources")[0]!;
    const marks = [...body.matchAll(/ ?\[\d+(?:, \d+)*\](?: \[\d+(?:, \d+)*\])*/g)];
    expect(marks.length).toBeGreaterThan(8);
    const { references, notes } = docxFootnotes(parts);
    expect(references).toEqual(marks.map((_, i) => i + 1));
    expect([...notes.keys()]).toEqual(references);
    for (const [id, text] of notes) expect(text.length, `footnote ${id}`).toBeGreaterThan(5);
    expect([...notes.values()].some((t) => t.startsWith("A wire report https://example.org/wire"))).toBe(true);
    expect(docxBodyText(parts).split("\nSources\n")[0]).not.toMatch(/\[\d+(, \d+)*\]/);
    // No fields, macros, embedded objects or external pictures; the only external links are the section's own
    // http(s) link and the sources' URLs.
    for (const [name, xml] of Object.entries(parts)) {
      expect(xml, name).not.toMatch(/<w:fldSimple|<w:fldChar|<w:instrText|<w:object|<v:imagedata|<w:altChunk|vbaProject/);
    }
    expect(Object.keys(parts).some((n) => /vba|activeX|embeddings/i.test(n))).toBe(false);
    const links = externalTargets(parts);
    expect(links).toContain("https://ustr.gov/letter");
    expect(links.filter((l) => l !== "https://ustr.gov/letter").every((l) => rendered.markdown.includes(`](${l})`))).toBe(true);
    expect(links.join(" ")).not.toMatch(/evil|javascript/);
    // Read back with a maintained reader: every section's text is there, the hostile title as text.
    const { value: text } = await mammoth.extractRawText({ buffer: Buffer.from(bytes) });
    expect(text).toContain("Prepare the principal for the special session.");
    for (const key of SECTIONS.slice(1)) expect(text).toContain(`The ${key} section's text, with struck words.`);
    expect(text).toContain("Hostile <!channel> [x](https://evil.example/x) title");
    expect(text).toContain("first bullet");
    expect(text).toContain("Autos");
  });

  it("keeps user text inert in Word whatever it holds: no link, field or markup from a title or a section", async () => {
    const hostile = [
      "# T",
      "",
      'Text with <w:fldSimple w:instr="HYPERLINK https://evil"/> and { HYPERLINK "https://evil" } and DDEAUTO c:\\\\x',
      "",
      '[file](file:///etc/passwd) [rel](../x) ![img](https://evil.example/pixel.png) <a href="https://evil.example">a</a>',
      "",
      "[ok](https://ok.example/a?b=1&c=2)",
    ].join("\n");
    const parts = unzipDocx(await markdownToDocx(hostile, { title: "T <!channel>" }));
    const document = parts["word/document.xml"]!;
    expect(externalTargets(parts)).toEqual(["https://ok.example/a?b=1&c=2"]);
    expect(document).not.toMatch(/<w:fldSimple|<w:instrText|<w:drawing|<w:pict/);
    expect(document).toContain("&lt;w:fldSimple");
    expect(parts["docProps/core.xml"]).toContain("T &lt;!channel&gt;");
  });

  it("links a source whose title holds a link, a URL, a www address and an e-mail only to its URL: memo file, HTML, Word, brief", async () => {
    const title = "Src [a](https://evil2.example) see www.evil3.example, a@evil4.example";
    const url = "https://ustr.gov/hostile-source";
    await addFact(
      { prisma: db.prisma, admins: [] },
      { date: "2026-11-30", known: "2026-11-30", title: "Korea restates its position on autos", kind: "position", actor: "Korea", source: { title, url } },
      "U0FACT",
    );
    /** Each link of an HTML fragment as [href, text shown]. */
    const links = (html: string) => [...html.matchAll(/<a href="([^"]*)"[^>]*>(.*?)<\/a>/gs)].map((m) => [m[1], m[2]!.replace(/&amp;/g, "&")]);
    const memo = await writtenMemo();
    const { markdown } = await render(deps, memo);
    expect(markdown).toContain(`[Src \\[a\\]\\(https\\://evil2.example) see www\\.evil3.example, a\\@evil4.example](${url})`);
    const html = markdownToHtml(markdown, { title: memo.title });
    expect(links(html)).toContainEqual([url, title]);
    expect(html).not.toMatch(/href="[^"]*evil/);
    const brief = await previewBrief({ prisma: db.prisma, clock: deps.clock, timeZone: deps.timeZone, templates: deps.templates });
    expect(brief.markdown).toContain(`](${url})`);
    expect(links(markdownToHtml(brief.markdown, { title: "Brief" }))).toContainEqual([url, title]);
    // Word: the source is one hyperlink to its URL, its text the title as typed; nothing links to the title's URLs.
    const parts = unzipDocx(await markdownToDocx(markdown, { title: memo.title, banner: BANNER }));
    expect(externalTargets(parts).filter((t) => t === url)).not.toHaveLength(0);
    expect(externalTargets(parts).join(" ")).not.toContain("evil");
    const hyperlinks = [...parts["word/document.xml"]!.matchAll(/<w:hyperlink [^>]*>(.*?)<\/w:hyperlink>/gs)].map((m) => [...m[1]!.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/g)].map((t) => t[1]).join(""));
    expect(hyperlinks).toContain(title);
  });
});
