import mammoth from "mammoth";
import { describe, expect, it } from "vitest";
import { markdownToDocx } from "../../../src/memos/docx.js";
import { docxBodyText, docxFootnotes, unzipDocx } from "../../support/docx.js";

/** A memo body as assembly writes it: marks of one source, of several, side by side, and one the list lacks. */
const MEMO = [
  "# Prep \\<!channel\\> \\[x\\](https://evil.example/x)",
  "",
  "USTR asked for the session [1]. Both sides reported it [1, 2].",
  "",
  "- 2016: 27.7 or 27.6 (sources differ) [2] [3]",
  "- The writer's own bracket [9] and a title's escaped one \\[1\\] stay text.",
  "- [A link [1]](https://ustr.gov/x) keeps its text.",
  "",
  "| Year | Value |",
  "|---|---|",
  "| 2016 | 27.7 [3] |",
  "",
  "## Sources",
  "",
  "1. [USTR press release](https://ustr.gov/release) (2017-07-12)",
  "2. Trade news item, July 2017",
  "3. [https://www.census.gov/c5800.html](https://www.census.gov/c5800.html)",
  "",
].join("\n");

describe("Word footnotes", () => {
  it("makes one footnote per citation mark, each naming its sources in full, and leaves no bracketed number beside them", async () => {
    const parts = unzipDocx(await markdownToDocx(MEMO, { title: "Prep" }));
    const { references, notes } = docxFootnotes(parts);
    // Four marks, four footnotes, numbered in reading order; each referenced once, none empty.
    expect(references).toEqual([1, 2, 3, 4]);
    expect([...notes.keys()]).toEqual([1, 2, 3, 4]);
    expect(notes.get(1)).toBe("USTR press release (2017-07-12) https://ustr.gov/release");
    // Named again: the title only, as a shortened note (the link is in note 1 and in the list at the end).
    expect(notes.get(2)).toBe("USTR press release (2017-07-12); Trade news item, July 2017");
    // Marks side by side are one reference (two superscripts together would read as "23").
    expect(notes.get(3)).toBe("Trade news item, July 2017; https://www.census.gov/c5800.html");
    // In a table cell too; a source known only by its URL shows it once.
    expect(notes.get(4)).toBe("https://www.census.gov/c5800.html");
    const body = docxBodyText(parts);
    expect(body).toContain("USTR asked for the session.");
    expect(body).toContain("(sources differ)\n");
    // Not a source of the list, escaped, or inside a link: text as written.
    expect(body).toContain("The writer's own bracket [9] and a title's escaped one [1] stay text.");
    expect(body).toContain("A link [1] keeps its text.");
    const marks = body.replace("bracket [9] and a title's escaped one [1] stay", "").replace("A link [1] keeps", "");
    expect(marks).not.toMatch(/\[\d+(, ?\d+)*\]/);
    expect(body).toContain("Prep <!channel> [x](https://evil.example/x)");
    // The Sources list is not numbered a second way beside the footnotes: a bullet list.
    const sources = parts["word/document.xml"]!.split("USTR press release")[0]!.split("<w:p>").at(-1)!;
    expect(parts["word/numbering.xml"]).toMatch(/<w:abstractNum [^>]*>.*?<w:numFmt w:val="bullet"\/>/s);
    expect(sources).toMatch(/<w:numId w:val="\d+"\/>/);
  });

  it("reads back with mammoth: every footnote it finds is referenced from the text and has text", async () => {
    const bytes = await markdownToDocx(MEMO, { title: "Prep" });
    const { value: html } = await mammoth.convertToHtml({ buffer: bytes });
    const referenced = [...html.matchAll(/<a href="#footnote-(\d+)" id="footnote-ref-\1">/g)].map((m) => m[1]);
    const listed = [...html.matchAll(/<li id="footnote-(\d+)"><p>(.*?)<\/p><\/li>/g)].map((m) => ({
      id: m[1],
      text: m[2]!
        .replace(/<[^>]+>/g, "")
        .replace(/ ?↑$/, "")
        .trim(),
    }));
    expect(referenced).toEqual(["1", "2", "3", "4"]);
    expect(listed.map((n) => n.id)).toEqual(referenced);
    for (const note of listed) expect(note.text.length, `footnote ${note.id}`).toBeGreaterThan(10);
  });

  it("gives forty references forty footnotes, not four", async () => {
    const lines = Array.from({ length: 40 }, (_, i) => `- Fact ${i + 1} [${(i % 4) + 1}]`);
    const sources = [1, 2, 3, 4].map((n) => `${n}. Source ${n}`);
    const parts = unzipDocx(await markdownToDocx(["# M", "", ...lines, "", "## Sources", "", ...sources, ""].join("\n"), { title: "M" }));
    const { references, notes } = docxFootnotes(parts);
    expect(references).toHaveLength(40);
    expect(new Set(references).size).toBe(40);
    expect([...notes.keys()].sort((a, b) => a - b)).toEqual(references);
    for (const [i, id] of references.entries()) expect(notes.get(id)).toBe(`Source ${(i % 4) + 1}`);
  });

  it("makes no footnote where the memo has no Sources list: its brackets stay text", async () => {
    const parts = unzipDocx(await markdownToDocx("# M\n\nNo sources here [1].\n", { title: "M" }));
    const { references, notes } = docxFootnotes(parts);
    expect(references).toEqual([]);
    expect(notes.size).toBe(0);
    expect(docxBodyText(parts)).toContain("No sources here [1].");
  });
});
