import { decodeHTML } from "entities";
import { Lexer } from "marked";
import { describe, expect, it } from "vitest";
import { canvasMarkdown, codeBlockMarkdown, escapeMarkdownText } from "../../../src/render/escape.js";
import { markdownToHtmlFragment } from "../../../src/render/html.js";

describe("escaping for memo outputs", () => {
  it("a code block cannot be closed early by the text, and defuses Slack's forms inside it", () => {
    const text = "```\n# not a heading\n<!channel> and <@U1>\n````";
    const block = codeBlockMarkdown(text, "diff");
    const tokens = new Lexer().lex(block).filter((t) => t.type !== "space");
    expect(tokens).toHaveLength(1);
    expect(tokens[0]!.type).toBe("code");
    expect(block).not.toMatch(/<!channel>|<@U1>/);
    expect(block.startsWith("`````diff\n")).toBe(true);
  });

  it("canvas Markdown keeps the writer's links and emphasis but no mention, embed or picture", () => {
    const out = canvasMarkdown("**bold** [ok](https://ok.example) ![](@U0VICTIM) ![x](https://evil.example/p.png) <!here> <#C1>");
    expect(out).toContain("**bold** [ok](https://ok.example)");
    expect(out).toContain("!\\[](@U0VICTIM)");
    expect(out).toContain("!\\[x](https://evil.example/p.png)");
    expect(out).not.toMatch(/<!here>|<#C1>/);
    const tokens = JSON.stringify(new Lexer().lex(out));
    expect(tokens).not.toContain('"type":"image"');
  });

  it("styled text keeps its characters and whitespace, and no character starts markup or an entity", () => {
    const text = " a*b_c [x](https://evil) &#0 &amp; <!channel>\nnext ";
    const escaped = escapeMarkdownText(text);
    expect(escaped.startsWith(" ")).toBe(true);
    expect(escaped).toContain("\n");
    const json = JSON.stringify(new Lexer().lex(`**${escaped.trim()}**`));
    expect(json).not.toMatch(/"type":"(em|html)"/);
    // The one link is GFM's autolink of the URL as shown: it cannot say anything but where it goes.
    expect([...json.matchAll(/"type":"link","raw":"([^"]*)","href":"([^"]*)"/g)].every((m) => m[1] === m[2])).toBe(true);
    expect(escaped).not.toContain("<!channel>");
    expect(escaped).toContain("&amp;#0");
  });

  it("styled text as a link's label (the rich-text editor's links) links only where the person pointed it", () => {
    for (const label of ["x [y](https://evil.example) z", "see https://evil.example, www.evil.example or a@evil.example"]) {
      const html = markdownToHtmlFragment(`[**${escapeMarkdownText(label)}**](https://ok.example/)`);
      expect([...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1])).toEqual(["https://ok.example/"]);
      expect(decodeHTML(html.replace(/<[^>]*>/g, "")).trim()).toBe(label);
    }
  });
});
