import type { RichTextBlock, RichTextBlockElement, RichTextElement, RichTextList, RichTextSection } from "@slack/types";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { markdownToRichText, mergeTexts, richTextToMarkdown } from "../../../src/slack/rich-text.js";
import { propertyRuns } from "../../support/property-runs.js";

type Style = { bold?: boolean; italic?: boolean; strike?: boolean; code?: boolean };

/** Words as analysts type them, with characters that mean something in Markdown among them. */
const word = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.,;:!?'"()/*_#<>&[\]~|\\-]{0,10}$/);
const plainWord = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9.,;:'"-]{0,10}$/);
const codeText = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9 .=()<>*_-]{0,12}[A-Za-z0-9]$/);
const style = fc.record({ bold: fc.boolean(), italic: fc.boolean(), strike: fc.boolean() }).filter((s) => s.bold || s.italic || s.strike);

/** A styled run: escaped on the way to Markdown, so any characters survive. */
const styledRun = fc.tuple(fc.array(word, { minLength: 1, maxLength: 3 }), style).map(([words, s]): RichTextElement => {
  const st = Object.fromEntries(Object.entries(s).filter(([, v]) => v)) as Style;
  return { type: "text", text: words.join(" "), ...(Object.keys(st).length ? { style: st } : {}) };
});
/** Unstyled text is kept as typed (hand-typed Markdown works), so it holds no Markdown syntax here. */
const plainRun = fc.array(plainWord, { minLength: 1, maxLength: 3 }).map((words): RichTextElement => ({ type: "text", text: words.join(" ") }));
const codeRun = fc.tuple(codeText, fc.boolean()).map(([text, bold]): RichTextElement => ({ type: "text", text, style: bold ? { code: true, bold: true } : { code: true } }));
const linkRun = fc
  .tuple(fc.array(plainWord, { minLength: 1, maxLength: 2 }), fc.stringMatching(/^[a-z0-9-]{1,8}$/), fc.stringMatching(/^[a-z0-9/_-]{0,10}$/), fc.boolean())
  .map(([words, host, path, bold]): RichTextElement => ({ type: "link", url: `https://${host}.example/${path}`, text: words.join(" "), ...(bold ? { style: { bold: true } } : {}) }));
const run = fc.oneof(styledRun, plainRun, codeRun, linkRun);

/** A line: runs separated by a plain space, as people write. */
const line = fc.array(run, { minLength: 1, maxLength: 4 }).map((runs) => runs.flatMap((r, i): RichTextElement[] => (i === 0 ? [r] : [{ type: "text", text: " " }, r])));
const section = line.map((elements): RichTextSection => ({ type: "rich_text_section", elements }));
const list = fc
  .tuple(
    fc.constantFrom<"bullet" | "ordered">("bullet", "ordered"),
    fc.array(section, { minLength: 1, maxLength: 3 }),
    fc.option(fc.array(section, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    fc.constantFrom<"bullet" | "ordered">("bullet", "ordered"),
  )
  .map(([style, items, nested, nestedStyle]): RichTextBlockElement[] => {
    const top: RichTextList = { type: "rich_text_list", style, indent: 0, elements: items };
    return nested ? [top, { type: "rich_text_list", style: nestedStyle, indent: 1, elements: nested }] : [top];
  });
const quote = line.map((elements): RichTextBlockElement => ({ type: "rich_text_quote", elements }));
const pre = fc
  .stringMatching(/^[A-Za-z0-9 =<>*_#`\n-]{1,30}$/)
  .filter((t) => t.trim() !== "" && !t.endsWith("\n") && !t.startsWith("\n"))
  .map((text): RichTextBlockElement => ({ type: "rich_text_preformatted", elements: [{ type: "text", text }] }));

/** A rich text block: sections, lists, quotes, code blocks; a section between two lists (else Markdown joins them). */
const block = fc
  .array(
    fc.oneof(
      section.map((s) => [s as RichTextBlockElement]),
      list,
      quote.map((q) => [q]),
      pre.map((p) => [p]),
    ),
    { minLength: 1, maxLength: 5 },
  )
  .map((groups): RichTextBlock => {
    const elements: RichTextBlockElement[] = [];
    for (const group of groups) {
      if (elements.at(-1)?.type === "rich_text_list" && group[0]!.type === "rich_text_list") elements.push({ type: "rich_text_section", elements: [{ type: "text", text: "Then" }] });
      elements.push(...group);
    }
    return { type: "rich_text", elements };
  });

/** The same block with adjacent text runs of one style merged and optional keys normalized, for comparison. */
function normalize(b: RichTextBlock): unknown {
  const inline = (els: readonly RichTextElement[]) =>
    mergeTexts(els).map((e) => {
      const st = (e as { style?: Style }).style;
      const clean = st && Object.values(st).some(Boolean) ? Object.fromEntries(Object.entries(st).filter(([, v]) => v)) : undefined;
      const { style: _s, ...rest } = e as { style?: Style };
      return clean ? { ...rest, style: clean } : rest;
    });
  return b.elements.map((el) => {
    switch (el.type) {
      case "rich_text_section":
      case "rich_text_quote":
        return { type: el.type, elements: inline(el.elements) };
      case "rich_text_list":
        return { type: el.type, style: el.style, indent: el.indent ?? 0, elements: el.elements.map((s) => ({ type: s.type, elements: inline(s.elements) })) };
      case "rich_text_preformatted":
        return { type: el.type, elements: inline(el.elements) };
      default:
        throw new Error(`unexpected rich text element ${(el as { type: string }).type}`);
    }
  });
}

describe("rich text <-> Markdown", () => {
  it("rich text -> Markdown -> rich text keeps every text, style, link, list, quote and code block", () => {
    fc.assert(
      fc.property(block, (original) => {
        const markdown = richTextToMarkdown(original);
        const back = markdownToRichText(markdown);
        expect(back.lossless).toBe(true);
        expect(normalize(back.block)).toEqual(normalize(original));
      }),
      { numRuns: propertyRuns({ fast: 250, full: 1000 }) },
    );
  });

  it("writes the Markdown an analyst would have typed", () => {
    const block: RichTextBlock = {
      type: "rich_text",
      elements: [
        {
          type: "rich_text_section",
          elements: [
            { type: "text", text: "Prepare " },
            { type: "text", text: "the principal ", style: { bold: true } },
            { type: "text", text: "for the " },
            { type: "text", text: "special session", style: { italic: true, bold: true } },
            { type: "text", text: " (see " },
            { type: "link", url: "https://ustr.gov/letter", text: "the letter" },
            { type: "text", text: "), not " },
            { type: "text", text: "a*b", style: { strike: true } },
            { type: "text", text: " or " },
            { type: "text", text: "x`y", style: { code: true } },
            { type: "text", text: "\nSecond line " },
            { type: "user", user_id: "U0ANA" },
          ],
        },
        { type: "rich_text_list", style: "bullet", indent: 0, elements: [{ type: "rich_text_section", elements: [{ type: "text", text: "one" }] }] },
        { type: "rich_text_list", style: "ordered", indent: 1, elements: [{ type: "rich_text_section", elements: [{ type: "text", text: "one.a" }] }] },
        { type: "rich_text_quote", elements: [{ type: "text", text: "They said so." }] },
        { type: "rich_text_preformatted", elements: [{ type: "text", text: "code\nblock" }] },
      ],
    };
    expect(richTextToMarkdown(block)).toBe(
      "Prepare **the principal** for the ***special session*** (see [the letter](https://ustr.gov/letter)), not ~~a\\*b~~ or ``x`y``\n\nSecond line <@U0ANA>\n\n- one\n  1. one.a\n\n> They said so.\n\n```\ncode\nblock\n```",
    );
  });

  it("keeps hand-typed Markdown as Markdown, and says when rich text cannot show a stored section", () => {
    expect(richTextToMarkdown({ type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "text", text: "**bold** typed by hand" }] }] })).toBe("**bold** typed by hand");
    expect(markdownToRichText("## A heading\n\ntext").lossless).toBe(false);
    expect(markdownToRichText("| a |\n|---|\n| b |").lossless).toBe(false);
    const plain = markdownToRichText("**bold** and [a link](https://example.org)");
    expect(plain.lossless).toBe(true);
    expect(plain.block.elements[0]).toEqual({
      type: "rich_text_section",
      elements: [
        { type: "text", text: "bold", style: { bold: true } },
        { type: "text", text: " and " },
        { type: "link", url: "https://example.org", text: "a link" },
      ],
    });
  });

  it("a link that is not http(s) or mailto is kept as its label only", () => {
    expect(richTextToMarkdown({ type: "rich_text", elements: [{ type: "rich_text_section", elements: [{ type: "link", url: "javascript:alert(1)", text: "click" }] }] })).toBe("click");
  });
});
