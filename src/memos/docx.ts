/**
 * An assembled memo as a Word document (.docx), built with the `docx` library from the memo's Markdown (marked's
 * lexer): real headings, bullet and numbered lists, bold, italic, strike, code, links, tables, quotes; the handling
 * banner in the header and footer of every page; one Word footnote per citation (each ` [n]`, ` [1, 3]` or ` [1] [2]`
 * mark of the memo becomes one footnote reference, its footnote naming those sources, with the link the first time a
 * source is named), and the sources listed once more at the end, unnumbered: Word numbers the footnotes, and a second
 * numbering beside them would only mislead.
 *
 * Nothing in the text can become a Word field, macro or external reference: text goes into runs (the library escapes
 * it as XML), no field codes are ever written, images become their alt text, raw HTML its text, and a link becomes a
 * hyperlink only when it is an absolute http(s) URL written as a Markdown link `[text](url)` (the memo's own source
 * links and the links a writer put in a section; titles and names reach the Markdown already escaped, so their
 * brackets are text, and a bare URL is never autolinked). The only pictures are the charts the bot drew itself for the
 * `{{chart}}` series the memo names (`options.charts`), never an image the text points at.
 */
import { AlignmentType, Document, ExternalHyperlink, Footer, Header, LevelFormat, Packer, Paragraph, type ParagraphChild, TextRun } from "docx";
import { Lexer } from "marked";
import { BULLETED, DocxWriter, NUMBERED } from "./docx-body.js";

/** What the Word document needs besides the Markdown. */
export interface DocxOptions {
  /** The document's title (its properties; the heading comes from the Markdown). */
  title: string;
  /** The handling line for the header and footer of every page (KORUS_MEMO_BANNER). */
  banner?: string;
  /** Who made it (document properties). */
  creator?: string;
  /**
   * Pictures of the `{{chart}}` series the memo names, by series key: each is put above its "Chart: **…**" paragraph
   * (PNG bytes, the size to show it at in pixels, and its alt text).
   */
  charts?: ReadonlyMap<string, DocxChart>;
}

/** A chart picture for {@link DocxOptions.charts}. */
export interface DocxChart {
  png: Buffer;
  width: number;
  height: number;
  title: string;
  alt: string;
}

/**
 * The memo's Markdown as a .docx file (a Buffer): see the module comment for what it contains and what it never can.
 */
export async function markdownToDocx(markdown: string, options: DocxOptions): Promise<Buffer> {
  return Packer.toBuffer(docxDocument(markdown, options));
}

/** The Word document of {@link markdownToDocx}, not yet packed (to lay out its pages, for one). */
export function docxDocument(markdown: string, options: DocxOptions): Document {
  const tokens = new Lexer({ gfm: true }).lex(markdown);
  const banner = options.banner?.replace(/\s+/g, " ").trim() || undefined;
  const writer = new DocxWriter(banner, options.charts);
  writer.readSources(tokens);
  const body = writer.blocks(tokens);
  // Footnote ids count from 1 in reference order (0 and -1 are Word's separator notes): one footnote per reference.
  // A source's first note gives its link; later notes name it only, as a shortened note does (the list at the end
  // has every link).
  const footnotes: Record<string, { children: Paragraph[] }> = {};
  const linked = new Set<number>();
  writer.notes.forEach((numbers, i) => {
    // Word puts the note's number first (docx adds it); a space parts it from the text, as Word's own notes have.
    const children: ParagraphChild[] = [new TextRun(" ")];
    numbers.forEach((n, j) => {
      const source = writer.sources.get(n)!;
      if (j > 0) children.push(new TextRun("; "));
      if (!source.url || (linked.has(n) && !source.text.startsWith(source.url))) children.push(new TextRun(source.text));
      else {
        linked.add(n);
        // A source known only by its URL shows it once, as the link (with its date after it).
        const urlOnly = source.text.startsWith(source.url);
        if (!urlOnly) children.push(new TextRun(`${source.text} `));
        children.push(new ExternalHyperlink({ link: source.url, children: [new TextRun({ text: source.url, style: "Hyperlink" })] }));
        if (urlOnly && source.text.length > source.url.length) children.push(new TextRun(source.text.slice(source.url.length)));
      }
    });
    footnotes[String(i + 1)] = { children: [new Paragraph({ children })] };
  });
  const bannerParagraph = () => new Paragraph({ alignment: AlignmentType.CENTER, children: banner ? [new TextRun({ text: banner, bold: true })] : [] });
  const levels = (format: (typeof LevelFormat)[keyof typeof LevelFormat], text: (level: number) => string) =>
    Array.from({ length: 9 }, (_, level) => ({
      level,
      format,
      text: text(level),
      alignment: AlignmentType.START,
      style: { paragraph: { indent: { left: 720 * (level + 1), hanging: 360 } } },
    }));
  return new Document({
    title: options.title,
    ...(options.creator ? { creator: options.creator } : {}),
    description: "Briefing memo exported by korus-bot",
    numbering: {
      config: [
        { reference: NUMBERED, levels: levels(LevelFormat.DECIMAL, (l) => `%${l + 1}.`) },
        { reference: BULLETED, levels: levels(LevelFormat.BULLET, (l) => ["•", "◦", "▪"][l % 3]!) },
      ],
    },
    footnotes,
    sections: [
      {
        // US Letter, one-inch margins: the team's paper.
        properties: { page: { size: { width: 12240, height: 15840 }, margin: { top: 1440, right: 1440, bottom: 1440, left: 1440 } } },
        ...(banner ? { headers: { default: new Header({ children: [bannerParagraph()] }) }, footers: { default: new Footer({ children: [bannerParagraph()] }) } } : {}),
        children: body,
      },
    ],
  });
}
