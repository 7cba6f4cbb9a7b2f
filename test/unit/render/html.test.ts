import { describe, expect, it } from "vitest";
import type { Fact } from "../../../src/facts/model.js";
import { assembleMemo } from "../../../src/memos/assemble.js";
import { shippedTemplates } from "../../support/templates.js";
import { escapeHtml, markdownToHtml, markdownToHtmlFragment } from "../../../src/render/html.js";

/** An attribute pattern inside a tag (escaped text such as `&lt;img onerror=…&gt;` in a code block is inert). */
const IN_TAG = (attribute: string) => new RegExp(`<[^>]*${attribute}`, "i");

/** The part of the document that came from Markdown. */
function main(html: string): string {
  return html.slice(html.indexOf("<main>") + 6, html.indexOf("</main>"));
}

const ATTACKS: Array<[string, string]> = [
  ["script block", "<script>alert(1)</script>"],
  ["inline script", "Hello <script>alert(1)</script> world"],
  ["img onerror", '<img src=x onerror="alert(1)">'],
  ["img onerror inline", "text <img src=x onerror=alert(1)> text"],
  ["svg onload", "<svg onload=alert(1)><circle r=1></circle></svg>"],
  ["javascript link (Markdown)", "[click](javascript:alert(1))"],
  ["javascript link (HTML)", '<a href="javascript:alert(1)">click</a>'],
  ["javascript link (entity)", '<a href="javascript&#58;alert(1)">click</a>'],
  ["javascript link (mixed case, spaces)", '<a href=" JaVaScRiPt:alert(1)">click</a>'],
  ["data link", "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)"],
  ["vbscript link", '<a href="vbscript:msgbox(1)">click</a>'],
  ["iframe", '<iframe src="https://evil.example/"></iframe>'],
  ["style attribute", '<p style="background:url(javascript:alert(1))">styled</p>'],
  ["style element", "<style>body { display: none }</style>"],
  ["object", '<object data="https://evil.example/x.swf"></object>'],
  ["form", '<form action="https://evil.example/"><input name="q"><button>go</button></form>'],
  ["event handler on allowed tag", '<a href="https://example.org" onclick="alert(1)">ok</a>'],
  ["meta refresh", '<meta http-equiv="refresh" content="0;url=https://evil.example/">'],
  ["base", '<base href="https://evil.example/">'],
  ["image in Markdown", "![x](https://evil.example/track.png)"],
];

describe("markdownToHtml", () => {
  it.each(ATTACKS)("makes %s inert", (_name, markdown) => {
    const body = main(markdownToHtml(`Section text\n\n${markdown}\n\nafter`, { title: "Memo" }));
    expect(body).not.toMatch(/<(script|img|svg|iframe|style|object|form|input|button|meta|base)\b/i);
    expect(body).not.toMatch(IN_TAG("\\son\\w+\\s*="));
    expect(body).not.toMatch(IN_TAG("(javascript|vbscript|data):"));
    expect(body).not.toMatch(IN_TAG("style="));
    expect(body).not.toContain("alert(1)</script>");
    expect(body).toContain("after");
  });

  it("drops the text of script and style elements", () => {
    const body = markdownToHtmlFragment("<script>steal()</script>\n\n<style>.x{}</style>\n\nkept");
    expect(body).not.toContain("steal()");
    expect(body).not.toContain(".x{}");
    expect(body).toContain("<p>kept</p>");
  });

  it("keeps http, https and mailto links, and only those", () => {
    const body = markdownToHtmlFragment("[a](https://example.org/a) [b](http://example.org/b) [c](mailto:team@example.org) [d](/relative) [e](#frag) [f](//evil.example/x)");
    expect(body).toContain('<a href="https://example.org/a" rel="noopener noreferrer">a</a>');
    expect(body).toContain('<a href="http://example.org/b" rel="noopener noreferrer">b</a>');
    expect(body).toContain('<a href="mailto:team@example.org" rel="noopener noreferrer">c</a>');
    expect(body).toContain("<a>d</a>");
    expect(body).toContain("<a>e</a>");
    expect(body).toContain("<a>f</a>");
  });

  it("keeps the allowed structure: headings, lists, quotes, code, emphasis, tables, rules", () => {
    const markdown = [
      "# One",
      "###### Six",
      "",
      "Text with *em*, **strong**, ~~del~~ and `code`.  ",
      "Next line.",
      "",
      "- a",
      "- b",
      "",
      "3. three",
      "4. four",
      "",
      "> quoted",
      "",
      "```ts",
      "const x = 1 < 2;",
      "```",
      "",
      "| Side | Position |",
      "|:-----|---------:|",
      "| US   | balance  |",
      "",
      "---",
    ].join("\n");
    const body = markdownToHtmlFragment(markdown);
    for (const tag of ["h1", "h6", "p", "em", "strong", "del", "code", "ul", "ol", "li", "blockquote", "pre", "table", "thead", "tbody", "tr", "th", "td"]) {
      expect(body).toContain(`<${tag}`);
    }
    expect(body).toContain("<br />");
    expect(body).toContain("<hr />");
    expect(body).toContain('<ol start="3">');
    expect(body).toContain("const x = 1 &lt; 2;");
    expect(body).not.toContain("class=");
  });

  it("escapes the title and builds a complete document", () => {
    const html = markdownToHtml("# Body", { title: '</title><script>alert("t")</script> & more' });
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain("<title>&lt;/title&gt;&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt; &amp; more</title>");
    expect(html).not.toContain("<script");
    expect(html.trimEnd().endsWith("</html>")).toBe(true);
    expect(markdownToHtml("x", { title: "t", lang: '"><script>' })).toContain('<html lang="en">');
    expect(escapeHtml(`<a href='x'>&</a>`)).toBe("&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;");
  });

  it("exports an assembled memo with a hostile section inertly", async () => {
    const template = (await shippedTemplates()).get("special-session-prep");
    const fact: Fact = {
      id: 1,
      kind: "event",
      date: "2017-07-12",
      known: null,
      title: "<img src=x onerror=alert(1)> Special session requested",
      summary: "",
      actor: "US",
      sources: [{ title: "Letter <script>x</script>", url: "https://example.org/letter" }],
      disputed: [],
      event: null,
      visibleFrom: "2017-07-12",
      confidence: "confirmed",
      topic: "korus",
      after: null,
      retracted: false,
    };
    const hostile = '<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1))\n\n<iframe src="https://evil.example"></iframe>\n\n<p style="color:red">red</p>';
    const memo = assembleMemo({
      template,
      title: "Prep <script>alert(1)</script>",
      date: "2017-07-20",
      authors: ["A"],
      sections: { purpose: { text: hostile, state: "final" }, background: { text: "Inline <img src=x onerror=alert(1)> html", state: "final" } },
      facts: [fact],
    });
    const html = markdownToHtml(memo.markdown, { title: "Prep <script>" });
    const body = main(html);
    expect(body).not.toMatch(/<(script|img|iframe)\b/i);
    expect(body).not.toMatch(IN_TAG("\\son\\w+\\s*="));
    expect(body).not.toMatch(IN_TAG("javascript:"));
    expect(body).not.toMatch(IN_TAG("style="));
    expect(body).toContain("<h2>Purpose</h2>");
    expect(body).toContain('<a href="https://example.org/letter" rel="noopener noreferrer">');
  });
});
