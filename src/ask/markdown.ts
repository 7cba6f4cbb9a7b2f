/**
 * An answer as Markdown (Slack `markdown` blocks, the console, `korus ask`): the answer sentence first, then each fact
 * with its date, kind, `inferred` mark, a deadline's state and basis, other readings ("sources differ") and other
 * reports of the same event, its summary cut at a sentence boundary, and numbered sources. Every text from the store
 * or the question goes through escapeMarkdown.
 */
import { citationMark, Citations } from "../facts/citations.js";
import { ALSO_REPORTED, dayLabel, deadlineBasisLabel, readingLabel, sameEventLabel, SOURCES_DIFFER } from "../facts/labels.js";
import { formatChange, formatValue } from "../figures/markdown.js";
import { changeFrom } from "../figures/series.js";
import { escapeMarkdown } from "../render/escape.js";
import { sentencesWithin } from "../render/sentences.js";
import { sourceLine } from "../render/source-line.js";
import { deadlineStateText, type AnsweredFact, type AskAnswer } from "./answer.js";

const e = escapeMarkdown;

/** A summary longer than this is cut at the last sentence that fits, with a pointer to the whole fact. */
export const SUMMARY_LIMIT = 300;

/** Where the answer is read: the commands it offers are written for there. */
export type AskSurface = "slack" | "terminal";

function command(surface: AskSurface, slack: string, terminal: string): string {
  return surface === "slack" ? `\`/korus ${slack}\`` : `\`npx korus ${terminal}\``;
}

function factLines(a: AnsweredFact, citations: Citations, surface: AskSurface): string[] {
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
    lines.push(`  ${e(text)}${cut ? ` … the whole fact: ${command(surface, `fact show ${f.id}`, `facts history ${f.id}`)}` : ""}`);
  }
  return lines;
}

/** The answer as a Markdown document. */
export function answerMarkdown(answer: AskAnswer, surface: AskSurface = "slack"): string {
  const q = answer.question;
  const lines = [`**Q:** ${e(q.text)}`, "", answer.found ? `**${e(answer.lead)}**` : e(answer.lead)];
  const citations = new Citations();
  if (!answer.found) {
    if (answer.searchText) lines.push(`Search the facts instead: ${command(surface, `facts ${answer.searchText}`, `facts search ${answer.searchText}`)}`);
    else lines.push(`See the status instead: ${command(surface, `status as-of ${q.asOf}`, `status --as-of ${q.asOf}`)}`);
    if (answer.related.length > 0) {
      lines.push("", `${answer.relatedLabel ?? "Closest on record (they share the question's subject but do not answer it)"}:`, "");
      for (const a of answer.related) lines.push(...factLines(a, citations, surface));
    }
  } else {
    lines.push("");
    for (const a of answer.facts) lines.push(...factLines(a, citations, surface));
    if (answer.more > 0) lines.push(`- … and ${answer.more} more: ${command(surface, `timeline since:${q.range?.since ?? ""} until:${q.range?.until ?? q.asOf}`, `timeline --since ${q.range?.since ?? ""} --until ${q.range?.until ?? q.asOf}`)}`);
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
    lines.push(`Every period: ${command(surface, `figures ${s.key}`, `figures ${s.key}`)}`);
  }
  if (citations.sources.length > 0) lines.push("", "**Sources**", "", ...citations.sources.map(sourceLine));
  return `${lines.join("\n")}\n`;
}
