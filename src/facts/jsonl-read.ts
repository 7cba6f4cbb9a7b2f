/** Reading a fact JSON Lines file: strict UTF-8 lines, each checked against the one schema (jsonl.ts), and warnings. */
import { systemClock } from "../clock.js";
import { daysBetween, type IsoDate, utcDay } from "./dates.js";
import { checkFactLine, describeValue, duplicateKey, type FactLine, type FactRulesContext, type LineError } from "./jsonl.js";
import { counted } from "../render/count.js";

/** A warning about a file that still imports: shown once, not per line. */
export interface ImportWarning {
  lines: number[];
  message: string;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The lines of a file's bytes, each decoded as strict UTF-8: a line that is not valid UTF-8 is an error, not U+FFFD. */
function decodeLines(bytes: Uint8Array): Array<{ text: string } | { error: string }> {
  const out: Array<{ text: string } | { error: string }> = [];
  let start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // a byte-order mark
  while (start <= bytes.length) {
    const newline = bytes.indexOf(0x0a, start);
    const i = newline === -1 ? bytes.length : newline;
    const line = bytes.subarray(start, i);
    try {
      out.push({ text: utf8.decode(line) });
    } catch {
      // Where it breaks: the first replacement character of a lenient decoding (a real U+FFFD before it would only
      // move the pointer earlier, never past the fault).
      const lenient = new TextDecoder("utf-8").decode(line);
      const at = new TextEncoder().encode(lenient.slice(0, Math.max(lenient.indexOf("\uFFFD"), 0))).length;
      const byte = (line[at] ?? 0).toString(16).toUpperCase().padStart(2, "0");
      out.push({ error: `is not valid UTF-8 (byte ${at + 1} of the line is 0x${byte}); save the file as UTF-8` });
    }
    start = i + 1;
  }
  return out;
}

/**
 * Parses JSON Lines (text, or the file's bytes: then every line must be valid UTF-8); blank lines and lines starting
 * with `//` are skipped. Collects every bad line, and the warnings a file earns once (deadlines without `known`; figures
 * and events known long before their sources).
 */
export function parseFactLines(
  input: string | Uint8Array,
  context: FactRulesContext = { today: utcDay(systemClock.now()) },
): {
  facts: Array<FactLine & { line: number }>;
  errors: LineError[];
  warnings: ImportWarning[];
} {
  const facts: Array<FactLine & { line: number }> = [];
  const errors: LineError[] = [];
  const raw =
    typeof input === "string"
      ? input
          .replace(/^\uFEFF/, "")
          .split("\n")
          .map((text) => ({ text }))
      : decodeLines(input);
  raw.forEach((entry, index) => {
    const line = index + 1;
    if ("error" in entry) {
      errors.push({ line, field: "(line)", message: entry.error });
      return;
    }
    const trimmed = entry.text.replace(/\r$/, "").trim();
    if (trimmed === "" || trimmed.startsWith("//")) return;
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (error) {
      errors.push({ line, field: "(line)", message: `is not valid JSON: ${(error as Error).message}` });
      return;
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
      errors.push({ line, field: "(line)", message: `must be one fact, a JSON object {"date": …, "title": …}, not ${describeValue(json)}` });
      return;
    }
    const twice = duplicateKey(trimmed);
    if (twice !== null) {
      errors.push({ line, field: twice, message: "is given twice on this line (JSON would keep only the last one silently); give it once" });
      return;
    }
    const checked = checkFactLine(json, context);
    if ("line" in checked) facts.push({ ...checked.line, line });
    else for (const issue of checked.issues) errors.push({ line, ...issue });
  });
  const warnings: ImportWarning[] = [];
  const unknown = facts.filter((f) => f.kind === "deadline" && !f.known && !f.after).map((f) => f.line);
  if (unknown.length > 0) {
    warnings.push({
      lines: unknown,
      message:
        `${counted(unknown.length, "deadline")} ${unknown.length === 1 ? "has" : "have"} no \`known\` date (line${unknown.length === 1 ? "" : "s"} ${listLines(unknown)}): ` +
        "they count as known from the day they are stored, so historical views before then will not show them. Add `known` to say when the team learned of each.",
    });
  }
  const early = knownBeforeSources(facts);
  if (early) warnings.push(early);
  return { facts, errors, warnings };
}

/** How long before its earliest source a figure or event may be known before import warns about it. */
export const SOURCE_LAG_DAYS = 30;

/**
 * The warning for figures and events known (their `known`, else their `date`) more than {@link SOURCE_LAG_DAYS} days
 * before the earliest of their sources: an as-of view in between shows what nobody could read yet (a 2016 figure
 * known from 31 December 2016 though first published in February). Only lines whose every source carries a date
 * are judged; null when none is too early.
 */
function knownBeforeSources(facts: ReadonlyArray<FactLine & { line: number }>): ImportWarning | null {
  const early: Array<{ line: number; known: IsoDate; source: IsoDate }> = [];
  for (const f of facts) {
    const known = f.known ?? f.date;
    if ((f.kind !== "figure" && f.kind !== "event") || !known || f.sources.length === 0) continue;
    const dates = f.sources.map((s) => s.date);
    if (dates.some((d) => !d)) continue;
    const source = (dates as IsoDate[]).reduce((a, b) => (b < a ? b : a));
    if (daysBetween(known, source) > SOURCE_LAG_DAYS) early.push({ line: f.line, known, source });
  }
  if (early.length === 0) return null;
  const shown = early
    .slice(0, 3)
    .map((e) => `line ${e.line}: known ${e.known}, first source ${e.source}`)
    .join("; ");
  return {
    lines: early.map((e) => e.line),
    message:
      `${counted(early.length, "figure and event fact")} ${early.length === 1 ? "is" : "are"} known more than ${SOURCE_LAG_DAYS} days before the earliest of ${early.length === 1 ? "its" : "their"} sources (${shown}${early.length > 3 ? `; lines ${listLines(early.slice(3).map((e) => e.line))}` : ""}): ` +
      "a view as of a day in between shows what no one could read yet. Set `known` to the day it was first published, or cite the source of that day.",
  };
}

/** "3, 7, 12" or "3, 7, 12 and 40 more". */
export function listLines(lines: readonly number[], max = 10): string {
  const shown = lines.slice(0, max).join(", ");
  return lines.length > max ? `${shown} and ${lines.length - max} more` : shown;
}
