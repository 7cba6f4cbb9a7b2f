import { describe, expect, it } from "vitest";
import { historyToMarkdown } from "../../../src/facts/markdown.js";
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
    // A bare address may link to itself (GFM): it shows where it goes. Nothing else may link, tag or style.
    const html = markdownToHtmlFragment(markdown).replace(/<a href="([^"]+)" rel="noopener noreferrer">\1<\/a>/g, "$1");
    expect(html).toContain(`History of fact #${stored.id}: &lt;b&gt; &amp; [x](https://evil.example/a) *bold*</h1>`);
    expect(html).toContain("reason: see [here](https://evil.example/r) &lt;!channel&gt;");
    expect(html).toContain('title: "[old](https://evil.example/o)" → "&lt;b&gt; &amp; [x](https://evil.example/a) *bold*"');
    expect(html).not.toMatch(/<(a|b|strong|em)[ >]/);
  });
});
