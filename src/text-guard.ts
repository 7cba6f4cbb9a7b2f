/**
 * The one guard every text a person gives passes before the database sees it: fact fields from an import, a form or
 * the command line, reasons, memo titles and sections, topic names. PostgreSQL cannot store NUL (22021) and jsonb
 * refuses a lone surrogate (22P02); control characters (ESC, BEL, a bare carriage return, the C1 range) are stored
 * happily but rewrite a terminal that prints them (`\u001b[2J`, `\r` over a line). Tab and newline are the only ones a
 * person means; Windows line ends (CRLF, a lone CR) are read as newlines first.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// Every C0 control but tab (U+0009) and line feed (U+000A), DEL and the C1 controls: Unicode's "Cc" less those two.
// biome-ignore lint/suspicious/noControlCharactersInRegex: the guard exists to find control characters.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/;

/**
 * Zero-width characters and bidirectional controls: invisible, they make "look-alike" names and titles (a zero-width
 * copy of a title is a different string) and reorder text on screen (Trojan Source, CVE-2021-42574). Stripped from
 * one-line texts (titles, names, source titles).
 */
export const INVISIBLE_CHARACTERS = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF\u061C\u00AD]/g;

/** Names of the control characters people meet, for the message. */
const CONTROL_NAMES: Record<number, string> = {
  0x00: "NUL",
  0x07: "BEL",
  0x08: "backspace",
  0x0b: "vertical tab",
  0x0c: "form feed",
  0x0d: "carriage return",
  0x1b: "ESC",
  0x7f: "DEL",
  0x9b: "CSI",
};

/** CRLF and a lone CR as LF: what a file saved on Windows, or a pasted text, means by them. */
export function normalizeNewlines(text: string): string {
  return text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
}

/**
 * What is wrong with a text no field may hold, in words that name the character and where it is, or null when it
 * passes: NUL, a lone UTF-16 surrogate, a control character other than tab and newline. Run it on the text after
 * {@link normalizeNewlines} (a CRLF is then a newline, not a refused carriage return).
 */
export function textProblem(text: string): string | null {
  const control = CONTROL.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0);
    const hex = code.toString(16).toUpperCase().padStart(4, "0");
    const name = CONTROL_NAMES[code] ? ` (${CONTROL_NAMES[code]})` : "";
    const where = `at character ${control.index + 1}`;
    if (code === 0) return `contains a NUL character (\\u0000) ${where}, which no text may hold`;
    return `contains the control character U+${hex}${name} ${where}; only tab and newline may be in a text`;
  }
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) {
    const hex = surrogate[0].charCodeAt(0).toString(16).toUpperCase();
    return `contains a broken character (a lone UTF-16 surrogate, \\u${hex}) at character ${surrogate.index + 1}`;
  }
  return null;
}

/** Why a text is refused: the guard's message, for the field that holds it. */
export class TextRefused extends Error {
  constructor(readonly problem: string) {
    super(problem);
  }
}

/**
 * A text with its newlines normalized, or TextRefused when {@link textProblem} finds something no text may hold.
 * For callers outside a zod schema (a reason, a memo title, a section).
 */
export function guardText(text: string): string {
  const normal = normalizeNewlines(text);
  const problem = textProblem(normal);
  if (problem) throw new TextRefused(problem);
  return normal;
}

/**
 * The guard as a zod refinement: `z.string().transform(normalizeNewlines).superRefine(refuseForbiddenText)` (zod is
 * not imported here: the context is all it needs).
 */
export function refuseForbiddenText(value: string, ctx: { addIssue(issue: { code: "custom"; message: string }): void }): void {
  const problem = textProblem(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
}

/**
 * Text someone else chose (a Slack display name, a system account's full name) as one line we can show: where
 * {@link guardText} refuses, this mends, since there is nobody to ask. Control characters and newlines become spaces,
 * a lone surrogate becomes U+FFFD, invisible characters go, whitespace runs become one space, and the text is
 * normalised to NFC and cut to `max` characters (with an ellipsis). Empty: null.
 */
export function oneLineText(text: string, max: number): string | null {
  const line = text
    .replace(new RegExp(CONTROL.source, "g"), " ")
    .replace(new RegExp(LONE_SURROGATE.source, "g"), "\uFFFD")
    .normalize("NFC")
    .replace(INVISIBLE_CHARACTERS, "")
    .replace(/\s+/g, " ")
    .trim();
  if (line === "") return null;
  // By code points, so that the cut never splits a surrogate pair.
  const chars = [...line];
  return chars.length > max
    ? `${chars
        .slice(0, max - 1)
        .join("")
        .trimEnd()}…`
    : line;
}
