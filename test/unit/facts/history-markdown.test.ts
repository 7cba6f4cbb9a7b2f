import { describe, expect, it } from "vitest";
import { factsToMarkdown, historyToMarkdown } from "../../../src/facts/markdown.js";
import { markdownToHtmlFragment } from "../../../src/render/html.js";
import { fact } from "../../support/facts.js";

describe("a fact's history as Markdown (korus fact history)", () => {
  it("shows the title, the reason and the values people typed as text: no link, tag or emphasis comes from them", () => {
    const title = "<b> & [x](https://evil.example/a) *bold*";
    const stored = fact({ kind: "event", date: "2017-07-12", title });
    const markdown = historyToMarkdown(stored, [
      {
        at: new Date("2026-01-05T10:00:00Z"),
        actor: "cli:ana",
        actorName: "Ana",
        action: "edit",
        reason: "see [here](https://evil.example/r) <!channel>",
        changes: [{ field: "title", before: "[old](https://evil.example/o)", after: title }],
      },
    ]);
    // Nothing may link, tag or style, not even a bare address (no GFM autolink: it would carry our escapes).
    const html = markdownToHtmlFragment(markdown);
    expect(html).toContain(`History of fact #${stored.id}: &lt;b&gt; &amp; [x](https://evil.example/a) *bold*</h1>`);
    expect(html).toContain("reason: see [here](https://evil.example/r) &lt;!channel&gt;");
    expect(html).toContain('title: "[old](https://evil.example/o)" → "&lt;b&gt; &amp; [x](https://evil.example/a) *bold*"');
    expect(html).not.toMatch(/<(a|b|strong|em)[ >]/);
  });

  it("links a source whose title holds a link, a URL, a www address and an e-mail only to the source's URL", () => {
    const title = "Src [a](https://evil2.example) see www.evil3.example or a@evil4.example";
    const stored = fact({
      kind: "event",
      date: "2017-07-12",
      title: "Event",
      sources: [{ title, url: "https://ustr.gov/x" }],
      disputed: [{ says: "2017-07-13", source: { title, url: "https://ustr.gov/y" } }],
    });
    const html = markdownToHtmlFragment(factsToMarkdown([stored]));
    const links = [...html.matchAll(/<a href="([^"]*)"[^>]*>(.*?)<\/a>/g)].map((m) => [m[1], m[2]]);
    expect(links).toEqual([
      ["https://ustr.gov/x", title],
      ["https://ustr.gov/y", title],
    ]);
    const history = historyToMarkdown(stored, [
      { at: new Date("2026-01-05T10:00:00Z"), actor: "cli:ana", actorName: "Ana", action: "edit", reason: null, changes: [{ field: "sources", before: [], after: stored.sources }] },
    ]);
    expect(markdownToHtmlFragment(history)).not.toContain("<a ");
    expect(markdownToHtmlFragment(history)).toContain(`sources: [] → [{"title":"${title}","url":"https://ustr.gov/x"}]`);
  });
});
