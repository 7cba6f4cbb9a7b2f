/**
 * Markdown that people wrote, made safe to place inside a template's output: a section's text as blocks, a fact's
 * summary as one inline line. Whatever a person writes stays in its place: it cannot end the memo's structure early,
 * hijack its citations or ping a channel.
 */
import { Marked, type Token, type Tokens, type TokensList } from "marked";
import { defuseMarkdown } from "../../render/escape.js";

const markdown = new Marked({ gfm: true });

/**
 * Markdown a person wrote (a fact summary) as one line of inline Markdown: whitespace runs (newlines included) become
 * one space, a start that Markdown would read as a block (heading, quote, list item, fence, HTML, link reference
 * definition) is escaped, and Slack mentions are defused ({@link defuseMarkdown}); emphasis and links stay. Plain
 * text (titles, names) goes through `escapeMarkdown` (src/render/escape.ts) instead, which shows every character as typed.
 */
export function inlineMarkdown(text: string): string {
  const line = defuseMarkdown(text.replace(/\s+/g, " ").trim());
  const ordered = /^(\d{1,9})([.)])(\s|$)/.exec(line);
  if (ordered) return `${ordered[1]}\\${line.slice(ordered[1]!.length)}`;
  if (/^(#{1,6}(\s|$)|>|[-+*](\s|$)|[=-]+$|`{3}|~{3}|<|\[[^\]]*\]:|\|)/.test(line)) return `\\${line}`;
  return line;
}

/** A fenced code block that no line of `text` can close early. */
function fence(text: string, lang = ""): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const marks = "`".repeat(Math.max(3, longest + 1));
  const body = text.replace(/\n+$/, "");
  return `${marks}${lang.replace(/[`\s]/g, "")}\n${body}${body ? "\n" : ""}${marks}`;
}

function trailingNewlines(raw: string): string {
  return /\n*$/.exec(raw)?.[0] ?? "";
}

// A link reference definition anywhere in the document is global in Markdown: `[1]: https://…` in one section would
// turn every " [1]" citation of the memo into a link. Escaping the bracket makes the line plain text.
const DEFINITION_START = /^((?: {0,3}>)*[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)*)\[(?=[^\]\n]*\]:)/gm;
const ANY_LINE_BRACKET = /^((?: {0,3}>)*[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)*)\[/gm;

function rewriteTokens(tokens: TokensList, firstPass: boolean): string {
  const hasDefinitions = Object.keys(tokens.links).length > 0;
  let out = "";
  for (const token of tokens) out += rewriteToken(token, firstPass, hasDefinitions);
  return out;
}

function rewriteToken(token: Token, firstPass: boolean, hasDefinitions: boolean): string {
  switch (token.type) {
    case "heading": {
      const heading = token as Tokens.Heading;
      // The first pass demotes every heading two levels, below the template's own `##`; later passes only fix
      // headings that a first-pass rewrite exposed.
      const depth = firstPass || heading.depth < 3 ? Math.min(6, heading.depth + 2) : heading.depth;
      return `${"#".repeat(depth)} ${heading.text.replace(/\s*\n\s*/g, " ")}${trailingNewlines(heading.raw)}`;
    }
    case "code": {
      const code = token as Tokens.Code;
      if (code.codeBlockStyle === "indented") return code.raw;
      // Re-fenced so an unclosed fence cannot swallow the rest of the memo.
      return `${fence(code.text, code.lang ?? "")}${trailingNewlines(code.raw) || "\n"}`;
    }
    case "html": {
      // A raw HTML block such as `<!--` or `<script>` runs until its terminator, past the end of the section: shown as
      // code instead.
      const html = token as Tokens.HTML;
      return `${fence(html.raw, "html")}\n${trailingNewlines(html.raw) || "\n"}`;
    }
    case "def":
      return token.raw.replace(/\[/, "\\[");
    default:
      return hasDefinitions ? token.raw.replace(DEFINITION_START, "$1\\[") : token.raw;
  }
}

function isSafe(tokens: TokensList): boolean {
  if (Object.keys(tokens.links).length > 0) return false;
  return tokens.every((t) => t.type !== "html" && t.type !== "def" && !(t.type === "heading" && (t as Tokens.Heading).depth < 3));
}

/**
 * A section's Markdown made safe to place inside a memo: top-level headings demoted two levels (`#` becomes `###`,
 * setext ones too), fenced code closed, raw HTML blocks (which can run past the section, like `<!--`) shown as code,
 * link reference definitions (global in Markdown, so they could hijack the memo's ` [n]` citations) escaped. Headings
 * nested in a list or quote stay as written: they cannot leave their container. The result is re-read until it is
 * safe; text that still is not becomes one code block.
 */
export function sectionMarkdown(text: string): string {
  const hit = madeSafe.get(text);
  if (hit !== undefined) {
    // Most recently used last.
    madeSafe.delete(text);
    madeSafe.set(text, hit);
    return hit;
  }
  const safe = makeSectionSafe(text);
  madeSafe.set(text, safe);
  madeSafeChars += text.length + safe.length;
  for (const [key, value] of madeSafe) {
    if (madeSafeChars <= MADE_SAFE_MAX_CHARS || madeSafe.size <= 1) break;
    madeSafe.delete(key);
    madeSafeChars -= key.length + value.length;
  }
  return safe;
}

/**
 * Sections made safe, by their text: a memo is rendered again and again with the same sections (assemble, export,
 * diff, the thread's preview, every brief), and making a section safe reads it with marked's lexer at least twice.
 * Bounded by the characters kept (texts and results), least recently used dropped first.
 */
const madeSafe = new Map<string, string>();
let madeSafeChars = 0;
const MADE_SAFE_MAX_CHARS = 2_000_000;

function makeSectionSafe(text: string): string {
  let out = text.replace(/\r\n?/g, "\n");
  let tokens = markdown.lexer(out);
  for (let pass = 0; pass < 4; pass++) {
    if (pass > 0 && isSafe(tokens)) return defuseMarkdown(trimBlankLines(out));
    out = rewriteTokens(tokens, pass === 0);
    if (pass === 2) out = out.replace(ANY_LINE_BRACKET, "$1\\[");
    tokens = markdown.lexer(out);
  }
  return defuseMarkdown(isSafe(tokens) ? trimBlankLines(out) : fence(text.replace(/\r\n?/g, "\n").trim()));
}

/** Drops blank lines at both ends, keeping the first line's indentation (an indented code block needs it). */
function trimBlankLines(text: string): string {
  return text.replace(/^(?:[ \t]*\n)+/, "").trimEnd();
}
