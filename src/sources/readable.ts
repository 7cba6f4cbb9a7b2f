/**
 * A web page's readable text: Mozilla Readability (the reader view's extractor) on a linkedom document (jsdom needs
 * Node 22), kept as plain paragraphs. A page Readability cannot make sense of keeps its whole text instead.
 */
import { Readability } from "@mozilla/readability";
import { decodeHTML } from "entities";
import { parseHTML } from "linkedom";
import sanitizeHtml from "sanitize-html";
import { storableText } from "../feeds/items.js";

/** The readable text of a page, with what Readability found about it. */
export interface ReadablePage {
  title: string | null;
  byline: string | null;
  siteName: string | null;
  publishedTime: string | null;
  /** Paragraphs separated by blank lines. */
  text: string;
}

/** The longest text kept for one page (a book-length page is cut, and says so). */
export const MAX_TEXT_CHARS = 500_000;

const BLOCK_END = /<\/(p|div|h[1-6]|li|blockquote|pre|tr|section|article|figure|figcaption|header|footer|ul|ol|table|dd|dt)\s*>/gi;

/** HTML as plain text in paragraphs: block ends become blank lines, `<br>` a line break, everything else text. */
export function htmlToParagraphs(html: string): string {
  const marked = html.replace(BLOCK_END, "$&\n\n").replace(/<br\s*\/?>/gi, "\n");
  const text = storableText(decodeHTML(sanitizeHtml(marked, { allowedTags: [], allowedAttributes: {} })));
  const paragraphs = text
    .split(/\n\s*\n/)
    .map((p) =>
      p
        .split("\n")
        .map((line) => line.replace(/[ \t\u00a0]+/g, " ").trim())
        .filter(Boolean)
        .join("\n"),
    )
    .filter(Boolean);
  const joined = paragraphs.join("\n\n");
  return joined.length > MAX_TEXT_CHARS ? `${joined.slice(0, MAX_TEXT_CHARS)}\n\n[cut at ${MAX_TEXT_CHARS.toLocaleString("en-US")} characters]` : joined;
}

const oneLine = (value: unknown): string | null => (typeof value === "string" && value.trim() ? storableText(value).replace(/\s+/g, " ").trim().slice(0, 500) : null);

/** Extracts the readable text of an HTML page fetched from `url`. */
export function readablePage(html: string, url: string): ReadablePage {
  const { document } = parseHTML(html);
  // Relative links in the page resolve against where it came from.
  const base = document.createElement("base");
  base.setAttribute("href", url);
  document.head?.prepend(base);
  const fallbackTitle = oneLine(document.title);
  let article: ReturnType<Readability["parse"]> = null;
  try {
    article = new Readability(document, { charThreshold: 200 }).parse();
  } catch {
    article = null;
  }
  if (article?.content) {
    return {
      title: oneLine(article.title) ?? fallbackTitle,
      byline: oneLine(article.byline),
      siteName: oneLine(article.siteName),
      publishedTime: oneLine(article.publishedTime),
      text: htmlToParagraphs(article.content),
    };
  }
  const body = parseHTML(html).document.body;
  return { title: fallbackTitle, byline: null, siteName: null, publishedTime: null, text: htmlToParagraphs(body?.innerHTML ?? html) };
}
