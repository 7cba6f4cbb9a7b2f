/**
 * Slack's rich text (what `rich_text_input` sends and takes) to Markdown and back, for memo sections: bold, italic,
 * strike, inline code, links, bullet and numbered lists (nested), quotes and code blocks. Sections are stored as
 * Markdown; the editor shows them as rich text again.
 *
 * - Rich text → Markdown: styled text is escaped (a bolded `a*b` stays those characters); unstyled text is kept as
 *   typed, so Markdown typed by hand into the editor (`**bold**`, `- item`) still works. A line break in the editor
 *   starts a new paragraph. Mentions become Slack's own forms (`<@U1>`, `<#C1>`), which every output defuses.
 * - Markdown → rich text: marked's lexer; what rich text cannot show (headings, tables, images, raw HTML) is reported
 *   as not lossless, so the caller can open such a section as Markdown instead of silently dropping its headings.
 */
import type { RichTextBlock, RichTextBlockElement, RichTextElement, RichTextLink, RichTextList, RichTextSection, RichTextText } from "@slack/types";
import { decodeHTML } from "entities";
import { Lexer, type Token, type Tokens } from "marked";
import { z } from "zod";
import { escapeMarkdownText } from "../render/escape.js";

type Style = NonNullable<RichTextText["style"]>;
type Inline = RichTextElement;

const LINKABLE = /^(https?:\/\/|mailto:)[^\s<>]+$/i;

/** Wraps text in Markdown emphasis markers; whitespace at either end stays outside (CommonMark flanking rules). */
function wrap(inner: string, style: Style | undefined): string {
  if (!style || inner.trim() === "") return inner;
  const lead = /^\s*/.exec(inner)![0];
  const trail = /\s*$/.exec(inner)![0];
  let core = inner.slice(lead.length, inner.length - trail.length);
  if (style.strike) core = `~~${core}~~`;
  if (style.italic) core = `*${core}*`;
  if (style.bold) core = `**${core}**`;
  return `${lead}${core}${trail}`;
}

function codeSpan(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  const pad = text.startsWith("`") || text.endsWith("`") ? " " : "";
  return `${fence}${pad}${text}${pad}${fence}`;
}

function sameStyle(a: Style | undefined, b: Style | undefined): boolean {
  return Boolean(a?.bold) === Boolean(b?.bold) && Boolean(a?.italic) === Boolean(b?.italic) && Boolean(a?.strike) === Boolean(b?.strike) && Boolean(a?.code) === Boolean(b?.code);
}

/** Adjacent text elements of the same style as one (the editor may split them anywhere). */
export function mergeTexts(elements: readonly Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const e of elements) {
    const last = out.at(-1);
    if (e.type === "text" && last?.type === "text" && sameStyle(last.style, e.style)) {
      out[out.length - 1] = { ...last, text: last.text + e.text };
    } else if (!(e.type === "text" && e.text === "")) {
      out.push(e.type === "text" ? { ...e } : e);
    }
  }
  return out;
}

function inlineToMarkdown(e: Inline): string {
  switch (e.type) {
    case "text": {
      if (e.style?.code) return wrap(codeSpan(e.text), { ...e.style, code: false });
      const styled = Boolean(e.style?.bold || e.style?.italic || e.style?.strike);
      return styled ? wrap(escapeMarkdownText(e.text), e.style) : e.text;
    }
    case "link": {
      const label = escapeMarkdownText(e.text?.trim() ? e.text : e.url);
      if (!LINKABLE.test(e.url)) return wrap(label, e.style);
      const destination = e.url.replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
      return wrap(`[${label}](${destination})`, e.style);
    }
    case "emoji":
      return `:${e.name}:`;
    case "user":
      return `<@${e.user_id}>`;
    case "channel":
      return `<#${e.channel_id}>`;
    case "usergroup":
      return `<!subteam^${e.usergroup_id}>`;
    case "broadcast":
      return `@${e.range}`;
    case "team":
      return "";
    case "date":
      return escapeMarkdownText(e.fallback ?? new Date(e.timestamp * 1000).toISOString().slice(0, 10));
    case "color":
      return e.value;
  }
}

/** Inline elements as Markdown lines (a newline in the editor splits them). */
function inlineLines(elements: readonly Inline[]): string[] {
  const lines: Inline[][] = [[]];
  for (const e of mergeTexts(elements)) {
    if (e.type !== "text" || !e.text.includes("\n")) {
      lines.at(-1)!.push(e);
      continue;
    }
    e.text.split("\n").forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part) lines.at(-1)!.push({ ...e, text: part });
    });
  }
  return lines.map((line) => escapeListStart(line.map(inlineToMarkdown).join("")));
}

/**
 * A line that starts like a list item ("1. ", "- ") stays text: Slack's editor turns those into lists as they are
 * typed, so one that arrives as text was meant as text.
 */
function escapeListStart(line: string): string {
  const ordered = /^(\d{1,9})([.)])(\s|$)/.exec(line);
  if (ordered) return `${ordered[1]}\\${line.slice(ordered[1]!.length)}`;
  return /^[-+*](\s|$)/.test(line) ? `\\${line}` : line;
}

const styleSchema = z
  .object({ bold: z.boolean().optional(), italic: z.boolean().optional(), strike: z.boolean().optional(), code: z.boolean().optional(), underline: z.boolean().optional() })
  .optional();
const inlineSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("text"), text: z.string().max(100_000), style: styleSchema }),
  z.object({ type: z.literal("link"), url: z.string().max(3000), text: z.string().max(10_000).optional(), style: styleSchema }),
  z.object({ type: z.literal("emoji"), name: z.string().max(100), style: styleSchema }),
  z.object({ type: z.literal("user"), user_id: z.string().regex(/^[UW][A-Z0-9]{1,20}$/), style: styleSchema }),
  z.object({ type: z.literal("channel"), channel_id: z.string().regex(/^[CGD][A-Z0-9]{1,20}$/), style: styleSchema }),
  z.object({ type: z.literal("usergroup"), usergroup_id: z.string().regex(/^S[A-Z0-9]{1,20}$/), style: styleSchema }),
  z.object({ type: z.literal("broadcast"), range: z.enum(["here", "channel", "everyone"]), style: styleSchema }),
  z.object({ type: z.literal("team"), team_id: z.string().max(50), style: styleSchema }),
  z.object({ type: z.literal("date"), timestamp: z.number(), format: z.string().max(200), fallback: z.string().max(200).optional(), style: styleSchema }),
  z.object({ type: z.literal("color"), value: z.string().max(20), style: styleSchema }),
]);
const sectionSchema = z.object({ type: z.literal("rich_text_section"), elements: z.array(inlineSchema).max(5000) });
/** A rich_text block as `rich_text_input` sends it; anything else (a forged or broken form) is refused, not guessed at. */
export const richTextBlockSchema = z.object({
  type: z.literal("rich_text"),
  elements: z
    .array(
      z.discriminatedUnion("type", [
        sectionSchema,
        z.object({
          type: z.literal("rich_text_list"),
          style: z.enum(["bullet", "ordered"]),
          indent: z.number().int().min(0).max(20).optional(),
          offset: z.number().int().min(0).max(1_000_000).optional(),
          border: z.number().optional(),
          elements: z.array(sectionSchema).max(1000),
        }),
        z.object({ type: z.literal("rich_text_quote"), border: z.number().optional(), elements: z.array(inlineSchema).max(5000) }),
        z.object({ type: z.literal("rich_text_preformatted"), border: z.number().optional(), elements: z.array(inlineSchema).max(5000) }),
      ]),
    )
    .max(1000),
});

/** A submitted rich text value as Markdown, or undefined when it is not a rich_text block of the known shapes. */
export function readRichText(value: unknown): string | undefined {
  const parsed = richTextBlockSchema.safeParse(value);
  return parsed.success ? richTextToMarkdown(parsed.data as RichTextBlock) : undefined;
}

/** One rich text block (what `rich_text_input` sends) as Markdown. */
export function richTextToMarkdown(block: RichTextBlock | undefined | null): string {
  if (!block || !Array.isArray(block.elements)) return "";
  const parts: string[] = [];
  // The marker width of each open list level, so that a nested item is indented under its parent's text.
  let indents: string[] = [];
  let previousWasList = false;
  for (const element of block.elements as RichTextBlockElement[]) {
    if (element.type !== "rich_text_list") {
      indents = [];
      previousWasList = false;
    }
    switch (element.type) {
      case "rich_text_section": {
        const lines = inlineLines(element.elements ?? []).filter((l) => l.trim() !== "");
        if (lines.length > 0) parts.push(lines.join("\n\n"));
        break;
      }
      case "rich_text_list": {
        const level = Math.max(0, Math.min(element.indent ?? 0, 8));
        indents = indents.slice(0, level);
        while (indents.length < level) indents.push("  ");
        const prefix = indents.join("");
        const marker = (i: number) => (element.style === "ordered" ? `${((element as RichTextList & { offset?: number }).offset ?? 0) + i + 1}. ` : "- ");
        const items = (element.elements ?? []).map((item, i) => {
          const text = inlineLines((item as RichTextSection).elements ?? [])
            .join(" ")
            .trim();
          return `${prefix}${marker(i)}${text}`;
        });
        const own = " ".repeat(marker(Math.max(0, element.elements.length - 1)).length);
        indents.push(own);
        // A nested list continues its parent's; two top-level lists in a row are one Markdown list.
        const joined = items.join("\n");
        if (previousWasList) parts[parts.length - 1] += `\n${joined}`;
        else parts.push(joined);
        previousWasList = true;
        break;
      }
      case "rich_text_quote": {
        const lines = inlineLines(element.elements ?? []);
        parts.push(lines.map((l) => `> ${l}`.trimEnd()).join("\n>\n"));
        break;
      }
      case "rich_text_preformatted": {
        const text = (element.elements ?? []).map((e) => (e.type === "text" ? e.text : (e as RichTextLink).text || (e as RichTextLink).url)).join("");
        const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
        const fence = "`".repeat(longest + 1);
        parts.push(`${fence}\n${text.replace(/\n$/, "")}\n${fence}`);
        break;
      }
    }
  }
  return parts.join("\n\n").trim();
}

/** Markdown (a stored section) as rich text for the editor; `lossless` is false when rich text cannot show all of it. */
export function markdownToRichText(markdown: string): { block: RichTextBlock; lossless: boolean } {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  const elements: RichTextBlockElement[] = [];
  let lossless = true;
  const section = (inline: Inline[]): RichTextSection => ({ type: "rich_text_section", elements: mergeTexts(inline) });
  const list = (t: Tokens.List, indent: number) => {
    const items: RichTextSection[] = [];
    const flush = () => {
      if (items.length > 0) {
        elements.push({
          type: "rich_text_list",
          style: t.ordered ? "ordered" : "bullet",
          indent,
          elements: items.splice(0),
          ...(t.ordered && typeof t.start === "number" && t.start > 1 ? { offset: t.start - 1 } : {}),
        } as RichTextList);
      }
    };
    for (const item of t.items) {
      const inline: Inline[] = [];
      const nested: Tokens.List[] = [];
      for (const child of item.tokens) {
        if (child.type === "list") nested.push(child as Tokens.List);
        else if (child.type === "text" || child.type === "paragraph") inline.push(...inlineToRich((child as Tokens.Text).tokens ?? [], {}));
        else if (child.type !== "space") lossless = false;
      }
      items.push(section(inline));
      if (nested.length > 0) {
        flush();
        for (const n of nested) list(n, indent + 1);
      }
    }
    flush();
  };
  const inlineToRich = (list: readonly Token[], style: Style): Inline[] => {
    const out: Inline[] = [];
    const withStyle = (s: Style) => (Object.values(s).some(Boolean) ? { style: { ...s } } : {});
    for (const t of list) {
      switch (t.type) {
        case "strong":
          out.push(...inlineToRich((t as Tokens.Strong).tokens, { ...style, bold: true }));
          break;
        case "em":
          out.push(...inlineToRich((t as Tokens.Em).tokens, { ...style, italic: true }));
          break;
        case "del":
          out.push(...inlineToRich((t as Tokens.Del).tokens, { ...style, strike: true }));
          break;
        case "codespan":
          out.push({ type: "text", text: (t as Tokens.Codespan).text, style: { ...style, code: true } });
          break;
        case "link": {
          const link = t as Tokens.Link;
          const text = inlineToRich(link.tokens, {})
            .map((e) => (e.type === "text" ? e.text : ""))
            .join("");
          out.push({ type: "link", url: link.href, ...(text && text !== link.href ? { text } : {}), ...withStyle(style) });
          break;
        }
        case "br":
          out.push({ type: "text", text: "\n", ...withStyle(style) });
          break;
        case "text":
          if ((t as Tokens.Text).tokens?.length) out.push(...inlineToRich((t as Tokens.Text).tokens!, style));
          else out.push({ type: "text", text: decodeHTML((t as Tokens.Text).text), ...withStyle(style) });
          break;
        case "escape":
          out.push({ type: "text", text: (t as Tokens.Escape).text, ...withStyle(style) });
          break;
        default:
          lossless = false;
          out.push({ type: "text", text: t.raw, ...withStyle(style) });
      }
    }
    return out;
  };
  for (const token of tokens) {
    switch (token.type) {
      case "paragraph":
        elements.push(section(inlineToRich((token as Tokens.Paragraph).tokens ?? [], {})));
        break;
      case "list":
        list(token as Tokens.List, 0);
        break;
      case "blockquote": {
        const inner = (token as Tokens.Blockquote).tokens.filter((t) => t.type !== "space");
        const inline: Inline[] = [];
        inner.forEach((t, i) => {
          if (i > 0) inline.push({ type: "text", text: "\n" });
          if (t.type === "paragraph") inline.push(...inlineToRich((t as Tokens.Paragraph).tokens ?? [], {}));
          else {
            lossless = false;
            inline.push({ type: "text", text: t.raw.trim() });
          }
        });
        elements.push({ type: "rich_text_quote", elements: mergeTexts(inline) });
        break;
      }
      case "code":
        elements.push({ type: "rich_text_preformatted", elements: [{ type: "text", text: (token as Tokens.Code).text }] });
        break;
      case "space":
        break;
      case "html":
        lossless = false;
        elements.push(section([{ type: "text", text: token.raw.trim() }]));
        break;
      default:
        // Headings, tables, rules: shown as their Markdown text, and the caller told.
        lossless = false;
        elements.push(section([{ type: "text", text: token.raw.trim() }]));
    }
  }
  return { block: { type: "rich_text", elements }, lossless };
}
