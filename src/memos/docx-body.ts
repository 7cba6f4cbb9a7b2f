/**
 * The body of a memo's Word document: marked's tokens as Word paragraphs, runs, lists, tables and footnote references
 * (see docx.ts for what the document holds and what it never can). Citation marks become footnote references here; the
 * sources are read from the memo's Sources list first.
 */
import { ImageRun, AlignmentType, BorderStyle, ExternalHyperlink, FootnoteReferenceRun, HeadingLevel, Paragraph, type ParagraphChild, Table, TableCell, TableRow, TextRun, WidthType } from "docx";
import { decodeHTML } from "entities";
import type { Token, Tokens } from "marked";
import type { DocxChart } from "./docx.js";

/** The paragraph `{{chart "key"}}` writes, as marked lexes it: "Chart: **name** (`key`, unit): …". */
const CHART_PARAGRAPH = /^Chart: \*\*[^\n]*?\*\* \(`([a-z0-9][a-z0-9-]{0,79})`/;

/** A citation mark as the memo writes it (src/facts/citations.ts): " [1]", " [1, 3]", or several side by side. */
const CITATION = / ?\[\d{1,4}(?:, ?\d{1,4})*\](?: \[\d{1,4}(?:, ?\d{1,4})*\])*/g;

/** A link target a Word document may point at: an absolute http(s) URL without spaces or control characters. */
function isSafeDocxLink(href: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a link with a control character is not a safe link.
  return /^https?:\/\/[^\s<>"\\^`{|}\x00-\x1f\x7f]+$/i.test(href);
}

type Style = { bold?: boolean; italics?: boolean; strike?: boolean; code?: boolean; link?: boolean };

function styledRun(text: string, s: Style): TextRun {
  return new TextRun({
    text,
    ...(s.bold ? { bold: true } : {}),
    ...(s.italics ? { italics: true } : {}),
    ...(s.strike ? { strike: true } : {}),
    ...(s.code ? { font: "Consolas" } : {}),
    ...(s.link ? { style: "Hyperlink" } : {}),
  });
}

const HEADINGS = [HeadingLevel.HEADING_1, HeadingLevel.HEADING_2, HeadingLevel.HEADING_3, HeadingLevel.HEADING_4, HeadingLevel.HEADING_5, HeadingLevel.HEADING_6];
export const NUMBERED = "korus-numbered";
export const BULLETED = "korus-bulleted";

/** The numbered sources of a memo's "## Sources" list: number → its text and link. */
export interface SourceNote {
  text: string;
  url?: string;
}

export class DocxWriter {
  /** Sources by number, read from the Sources list before the body is written. */
  readonly sources = new Map<number, SourceNote>();
  /** The footnotes, in the order of their references: each the source numbers of one citation mark. */
  readonly notes: number[][] = [];
  /** One numbering instance per numbered list, so each list starts at its own number. */
  private listInstance = 0;

  constructor(
    private readonly banner: string | undefined,
    private readonly charts: ReadonlyMap<string, DocxChart> = new Map(),
  ) {}

  /** The body: block tokens to paragraphs and tables. */
  blocks(tokens: readonly Token[], context: { inSources?: boolean } = {}): Array<Paragraph | Table> {
    const out: Array<Paragraph | Table> = [];
    let inSources = context.inSources ?? false;
    for (const [index, token] of tokens.entries()) {
      switch (token.type) {
        case "heading": {
          const t = token as Tokens.Heading;
          inSources = t.depth === 2 && t.text.trim() === "Sources";
          // A heading keeps with what follows it: never the last line of a page.
          out.push(
            new Paragraph({ heading: HEADINGS[Math.min(t.depth, 6) - 1], keepNext: true, spacing: { before: 240, after: 80 }, children: this.inline(t.tokens ?? [], {}, { citations: false }) }),
          );
          break;
        }
        case "paragraph": {
          const t = token as Tokens.Paragraph;
          // The banner heads every page already; the Markdown's own banner line is not repeated under it.
          if (
            index === 0 &&
            this.banner &&
            t.text
              .replace(/^\*\*|\*\*$/g, "")
              .replace(/\\(.)/g, "$1")
              .trim() === this.banner.replace(/\s+/g, " ").trim()
          )
            break;
          const chart = this.charts.get(CHART_PARAGRAPH.exec(t.raw)?.[1] ?? "");
          if (chart) {
            // Shown at most 6 inches (576 px) wide: the page's width between its margins.
            const scale = Math.min(1, 576 / chart.width);
            out.push(
              new Paragraph({
                alignment: AlignmentType.CENTER,
                keepNext: true,
                children: [
                  new ImageRun({
                    type: "png",
                    data: chart.png,
                    transformation: { width: Math.round(chart.width * scale), height: Math.round(chart.height * scale) },
                    altText: { name: chart.title, title: chart.title, description: chart.alt },
                  }),
                ],
              }),
            );
          }
          // Space after a paragraph; a label such as "**Key figures**" stays on the page of the list or table it heads.
          const next = tokens.slice(index + 1).find((n) => n.type !== "space");
          const label = t.tokens?.length === 1 && t.tokens[0]!.type === "strong";
          out.push(new Paragraph({ spacing: { after: 120 }, keepNext: label || next?.type === "list" || next?.type === "table", children: this.inline(t.tokens ?? [], {}) }));
          break;
        }
        case "list":
          out.push(...this.list(token as Tokens.List, 0, inSources, true));
          break;
        case "blockquote": {
          const t = token as Tokens.Blockquote;
          out.push(...this.blocks(t.tokens ?? []));
          break;
        }
        case "code": {
          const t = token as Tokens.Code;
          for (const line of t.text.split("\n")) out.push(new Paragraph({ children: [new TextRun({ text: line, font: "Consolas" })] }));
          break;
        }
        case "table":
          out.push(this.table(token as Tokens.Table), new Paragraph({}));
          break;
        case "hr":
          out.push(new Paragraph({ border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: "999999", space: 1 } }, children: [] }));
          break;
        case "html":
          out.push(new Paragraph({ children: [new TextRun((token as Tokens.HTML).text)] }));
          break;
        case "space":
          break;
        default:
          if ("text" in token && typeof token.text === "string") out.push(new Paragraph({ children: [new TextRun(token.text)] }));
      }
    }
    return out;
  }

  /** A list's items as numbered or bulleted paragraphs; `spaceAfter`: space after its last line (a list that ends a block). */
  private list(list: Tokens.List, level: number, inSources: boolean, spaceAfter: boolean): Paragraph[] {
    const out: Paragraph[] = [];
    // The Sources list is a plain list in Word: the footnotes carry the numbers (see the module comment).
    const ordered = list.ordered && !inSources;
    const instance = ordered ? ++this.listInstance : 0;
    for (const [i, item] of list.items.entries()) {
      const inlineTokens: Token[] = [];
      const nested: Tokens.List[] = [];
      for (const t of item.tokens) {
        if (t.type === "list") nested.push(t as Tokens.List);
        else if (t.type === "text" || t.type === "paragraph") inlineTokens.push(...((t as Tokens.Text).tokens ?? [t]));
        else inlineTokens.push(t);
      }
      const numbering = ordered ? { reference: NUMBERED, level: Math.min(level, 8), instance } : { reference: BULLETED, level: Math.min(level, 8) };
      const last = spaceAfter && i === list.items.length - 1;
      out.push(new Paragraph({ numbering, ...(last && nested.length === 0 ? { spacing: { after: 120 } } : {}), children: this.inline(inlineTokens, {}, { citations: !inSources }) }));
      for (const [j, n] of nested.entries()) out.push(...this.list(n, level + 1, inSources, last && j === nested.length - 1));
    }
    return out;
  }

  private table(table: Tokens.Table): Table {
    const row = (cells: Tokens.TableCell[], header: boolean) =>
      new TableRow({
        tableHeader: header,
        children: cells.map((cell) => new TableCell({ children: [new Paragraph({ children: this.inline(cell.tokens, header ? { bold: true } : {}) })] })),
      });
    return new Table({ width: { size: 100, type: WidthType.PERCENTAGE }, rows: [row(table.header, true), ...table.rows.map((r) => row(r, false))] });
  }

  /** Inline tokens to runs; citation marks of known sources become footnote references (not in headings or the list). */
  inline(tokens: readonly Token[], style: Style, options: { citations?: boolean } = {}): ParagraphChild[] {
    const citations = options.citations ?? true;
    const out: ParagraphChild[] = [];
    const run = styledRun;
    for (const token of tokens) {
      switch (token.type) {
        case "strong":
          out.push(...this.inline((token as Tokens.Strong).tokens, { ...style, bold: true }, options));
          break;
        case "em":
          out.push(...this.inline((token as Tokens.Em).tokens, { ...style, italics: true }, options));
          break;
        case "del":
          out.push(...this.inline((token as Tokens.Del).tokens, { ...style, strike: true }, options));
          break;
        case "codespan":
          out.push(run((token as Tokens.Codespan).text, { ...style, code: true }));
          break;
        case "br":
          out.push(new TextRun({ text: "", break: 1 }));
          break;
        case "link": {
          const t = token as Tokens.Link;
          // Only a link written as a Markdown link ([text](url)) is linked: a bare URL that GFM would autolink (from a
          // title, a name, or text such as { HYPERLINK "https://…" }) stays text.
          if (t.raw.startsWith("[") && isSafeDocxLink(t.href)) {
            // The runs of a link carry Word's Hyperlink character style (blue, underlined).
            const children = this.inline(t.tokens, { ...style, link: true }, { citations: false }).filter((c): c is TextRun => c instanceof TextRun);
            out.push(new ExternalHyperlink({ link: t.href, children }));
          } else {
            // Any other target (javascript:, file:, a relative path) is shown as its text, never linked.
            out.push(...this.inline(t.tokens, style, { citations: false }));
          }
          break;
        }
        case "image":
          // Never an external picture: the alt text only.
          out.push(run((token as Tokens.Image).text, style));
          break;
        case "text": {
          const t = token as Tokens.Text;
          if (t.tokens && t.tokens.length > 0) {
            out.push(...this.inline(t.tokens, style, options));
            break;
          }
          // marked keeps entities (&lt; &amp;) in text for its HTML renderer; Word needs the characters.
          out.push(...this.text(decodeHTML(t.text), style, citations));
          break;
        }
        case "escape":
          out.push(run((token as Tokens.Escape).text, style));
          break;
        case "html":
          out.push(run((token as Tokens.HTML).text, style));
          break;
        default:
          if ("text" in token && typeof token.text === "string") out.push(run(token.text, style));
      }
    }
    return out;
  }

  /**
   * Plain text, with each citation mark (` [2]`, ` [2, 5]`, or marks side by side: ` [4] [5]`) whose numbers are all
   * sources of the list as one footnote reference. A mark naming a number the list lacks stays text, as typed.
   */
  private text(text: string, style: Style, citations: boolean): ParagraphChild[] {
    const make = (t: string) => styledRun(t, style);
    if (!citations) return text ? [make(text)] : [];
    const out: ParagraphChild[] = [];
    let last = 0;
    for (const m of text.matchAll(CITATION)) {
      const numbers = [...new Set([...m[0].matchAll(/\d+/g)].map((d) => Number(d[0])))];
      if (!numbers.every((n) => this.sources.has(n))) continue;
      if (m.index > last) out.push(make(text.slice(last, m.index)));
      this.notes.push(numbers);
      out.push(new FootnoteReferenceRun(this.notes.length));
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(make(text.slice(last)));
    return out;
  }

  /** Reads the "## Sources" list: each item's number, text and (http(s)) link. */
  readSources(tokens: readonly Token[]): void {
    let inSources = false;
    for (const token of tokens) {
      if (token.type === "heading") inSources = (token as Tokens.Heading).depth === 2 && (token as Tokens.Heading).text.trim() === "Sources";
      else if (inSources && token.type === "list" && (token as Tokens.List).ordered) {
        const list = token as Tokens.List;
        const start = typeof list.start === "number" ? list.start : 1;
        list.items.forEach((item, i) => {
          const link = findLink(item.tokens);
          const text = plainText(item.tokens).trim();
          this.sources.set(start + i, { text, ...(link && isSafeDocxLink(link) ? { url: link } : {}) });
        });
      }
    }
  }
}

function findLink(tokens: readonly Token[]): string | undefined {
  for (const t of tokens) {
    if (t.type === "link") return (t as Tokens.Link).href;
    const inner = (t as { tokens?: Token[] }).tokens;
    if (inner) {
      const found = findLink(inner);
      if (found) return found;
    }
  }
  return undefined;
}

/** The text a reader sees of some inline tokens. */
function plainText(tokens: readonly Token[]): string {
  return tokens
    .map((t) => {
      const inner = (t as { tokens?: Token[] }).tokens;
      if (inner && inner.length > 0) return plainText(inner);
      if (t.type === "text") return decodeHTML((t as Tokens.Text).text);
      return "text" in t && typeof t.text === "string" ? t.text : "";
    })
    .join("");
}
