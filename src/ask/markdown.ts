/**
 * An answer as Markdown (Slack `markdown` blocks, the console, `korus ask`): the answer sentence first, then each fact
 * with its date, kind, `inferred` mark, a deadline's state and basis, other readings ("sources differ") and other
 * reports of the same event, its summary cut at a sentence boundary, and numbered sources. Every text from the store
 * or the question goes through escapeMarkdown. The commands it points to (the whole fact, the search to try) are worded
 * by the surface that shows it: src/slack/views/ask.ts for Slack and the console, src/cli/ask-commands.ts for a terminal.
 */
import { citationMark, Citations } from "../facts/citations.js";
import { ALSO_REPORTED, dayLabel, deadlineBasisLabel, readingLabel, sameEventLabel, SOURCES_DIFFER } from "../facts/labels.js";
import { formatChange, formatValue } from "../figures/markdown.js";
import { changeFrom } from "../figures/series.js";
import type { IsoDate } from "../facts/dates.js";
import { escapeMarkdown } from "../render/escape.js";
import { sentencesWithin } from "../render/sentences.js";
import { sourceLine } from "../render/source-line.js";
import type { AnsweredFact, AskAnswer } from "./answer.js";
import { deadlineStateText } from "./deadlines.js";

const e = escapeMarkdown;

/** A summary longer than this is cut at the last sentence that fits, with a pointer to the whole fact. */
export const SUMMARY_LIMIT = 300;

/**
 * The commands an answer offers, as the reader types them where it is read: plain text (no escaping, no backticks).
 * Arguments come from the store or the question; a wording passes them through as they are.
 */
export interface AskCommands {
  /** The whole fact. */
  fact(id: number): string;
  /** A search of the facts for words. */
  search(words: string): string;
  /** The status as of a day. */
  status(day: IsoDate): string;
  /** The facts of a span of days. */
  timeline(since: string, until: string): string;
  /** Every period of a figure series. */
  figures(series: string): string;
}

/** A command as Markdown code (its text may not hold a backtick: one becomes an apostrophe). */
const code = (text: string) => `\`${text.replace(/`/g, "'")}\``;

function factLines(a: AnsweredFact, citations: Citations, commands: AskCommands): string[] {
  const f = a.fact;
  const cite = citationMark(citations.cite(f));
  const marks = [f.kind, ...(f.confidence === "inferred" ? ["inferred"] : [])].map((m) => `\`${m}\``).join(" ");
  const figure = f.figure?.value != null && f.figure.unit ? ` (**${e(formatValue(f.figure.value, f.figure.unit))}**${f.figure.period ? ` for ${e(f.figure.period)}` : ""})` : "";
  const day = a.deadline ? `${a.deadline.dueKind === "effective" ? "On" : "Due"} ${dayLabel(f.date)}` : dayLabel(f.date);
  const lines = [`- **${day}**: ${e(f.title)}${figure}${cite} · ${marks} · #${f.id}`];
  if (a.deadline) {
    const basis = deadlineBasisLabel(a.deadline.basis);
    lines.push(`  ${e(deadlineStateText(a.deadline))}. Basis: ${basis ? e(basis) : "a date of its own (not counted from another fact)"}.`);
  }
  const readings = citations.readings(f);
  if (readings.length > 0) lines.push(`  **${SOURCES_DIFFER}**: ${readings.map((r) => `${e(readingLabel(r))}${citationMark(r.number)}`).join("; ")}.`);
  if (a.sameEvent.length > 0) lines.push(`  ${ALSO_REPORTED}: ${a.sameEvent.map((s) => `${e(sameEventLabel(s))}${citationMark(citations.cite(s))}`).join("; ")}.`);
  if (f.summary.trim()) {
    const { text, cut } = sentencesWithin(f.summary, SUMMARY_LIMIT);
    lines.push(`  ${e(text)}${cut ? ` … the whole fact: ${code(commands.fact(f.id))}` : ""}`);
  }
  return lines;
}

/** The answer as a Markdown document. */
export function answerMarkdown(answer: AskAnswer, commands: AskCommands): string {
  const q = answer.question;
  const lines = [`**Q:** ${e(q.text)}`, "", answer.found ? `**${e(answer.lead)}**` : e(answer.lead)];
  const citations = new Citations();
  if (!answer.found) {
    if (answer.searchText) lines.push(`Search the facts instead: ${code(commands.search(answer.searchText))}`);
    else lines.push(`See the status instead: ${code(commands.status(q.asOf))}`);
    if (answer.related.length > 0) {
      lines.push("", `${answer.relatedLabel ?? "Closest on record (they share the question's subject but do not answer it)"}:`, "");
      for (const a of answer.related) lines.push(...factLines(a, citations, commands));
    }
  } else {
    lines.push("");
    for (const a of answer.facts) lines.push(...factLines(a, citations, commands));
    if (answer.more > 0) lines.push(`- … and ${answer.more} more: ${code(commands.timeline(q.range?.since ?? "", q.range?.until ?? q.asOf))}`);
  }
  for (const d of answer.differ) {
    const readings = d.point.readings.map((r) => `${e(formatValue(r.value, r.unit))}${citationMark(citations.cite(r.fact))}`);
    lines.push("", `**Sources differ** on ${e(d.point.period.label)} (\`${e(d.series)}\`): ${readings.join(" vs ")}.`);
  }
  if (answer.series && answer.series.points.length > 1) {
    const s = answer.series;
    const points = s.points.map((p) => `${e(p.period.label)}: ${e(p.disputed ? p.readings.map((r) => r.value).join(" or ") : String(p.value))}`);
    const latest = s.points.at(-1)!;
    const change = changeFrom(s, latest);
    lines.push("", `Series \`${e(s.key)}\` (${e(s.unit)}), as known ${q.asOf}: ${points.join(" · ")}${change ? `; latest ${e(formatChange(change))}` : ""}.`);
    lines.push(`Every period: ${code(commands.figures(s.key))}`);
  }
  if (citations.sources.length > 0) lines.push("", "**Sources**", "", ...citations.sources.map(sourceLine));
  return `${lines.join("\n")}\n`;
}
