import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";
import { escapeHtml } from "./escape.js";

/** Kept here too for callers of the HTML renderer; it lives with the other escapes (src/render/escape.ts). */
export { escapeHtml };

/** Options for {@link markdownToHtml}. */
export interface HtmlDocumentOptions {
  /** The document title (plain text; escaped). */
  title: string;
  /** The document language, default "en". */
  lang?: string;
}

// Our own instance: options set elsewhere through marked.use() cannot reach the export.
const markdown = new Marked({ gfm: true, breaks: false });

const ALLOWED_SCHEMES = ["http", "https", "mailto"];

/**
 * The allow-list the export keeps. Everything else (script, style, iframe, img, form, event handlers, style and class
 * attributes) is dropped; the text of script, style and textarea elements goes with them.
 */
export const HTML_SANITIZE_OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ["h1", "h2", "h3", "h4", "h5", "h6", "p", "ul", "ol", "li", "blockquote", "code", "pre", "em", "strong", "del", "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "br"],
  allowedAttributes: { a: ["href", "title", "rel"], ol: ["start"], th: ["align"], td: ["align"] },
  allowedSchemes: ALLOWED_SCHEMES,
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    a: (tagName, attribs) => {
      // Relative and fragment links have no scheme to check, and the export has nothing for them to point at:
      // only absolute http, https and mailto links survive.
      const href = attribs.href?.trim() ?? "";
      const { href: _dropped, ...rest } = attribs;
      return {
        tagName,
        attribs: /^(https?:\/\/|mailto:)/i.test(href) ? { ...rest, href, rel: "noopener noreferrer" } : rest,
      };
    },
  },
};

/** Markdown (GFM) as sanitized HTML: a fragment, without the document around it. */
export function markdownToHtmlFragment(source: string): string {
  return sanitizeHtml(markdown.parse(source, { async: false }), HTML_SANITIZE_OPTIONS);
}

/**
 * A complete, self-contained HTML document for a Markdown memo or brief: marked (GFM), then sanitize-html with an
 * explicit allow-list, so raw HTML in a section (script, iframe, event handlers, javascript: links, style) comes out
 * inert.
 */
export function markdownToHtml(source: string, options: HtmlDocumentOptions): string {
  const lang = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(options.lang ?? "") ? options.lang : "en";
  return [
    "<!DOCTYPE html>",
    `<html lang="${lang}">`,
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(options.title)}</title>`,
    "<style>",
    "body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 48rem; margin: 2rem auto; padding: 0 1rem; }",
    "table { border-collapse: collapse; } th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; }",
    "blockquote { border-left: 3px solid #ccc; margin-left: 0; padding-left: 1rem; color: #444; }",
    "pre { background: #f5f5f5; padding: 0.75rem; overflow-x: auto; }",
    "</style>",
    "</head>",
    "<body>",
    "<main>",
    markdownToHtmlFragment(source).trim(),
    "</main>",
    "</body>",
    "</html>",
    "",
  ].join("\n");
}
