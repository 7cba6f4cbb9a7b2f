/**
 * An answer as Markdown (Slack `markdown` blocks, the console, `korus ask`): a few lines, each fact with its date and
 * numbered source. Every fact text goes through escapeMarkdown.
 */
import { citationMark, Citations } from "../facts/citations.js";
import { describeDaysLeft } from "../facts/dates.js";
import { actorLabel, dayLabel, deadlineBasisLabel } from "../facts/labels.js";
import { formatChange, formatValue } from "../figures/markdown.js";
import { changeFrom } from "../figures/series.js";
import { escapeMarkdown } from "../render/escape.js";
import { sourceLine } from "../render/source-line.js";
import type { AnsweredFact, AskAnswer } from "./answer.js";

const e = escapeMarkdown;

function factLine(a: AnsweredFact, answer: AskAnswer, citations: Citations): string[] {
  const f = a.fact;
  const cite = citationMark(citations.cite(f));
  if (a.deadline) {
    const left = answer.question.asOfGiven || a.deadline.daysLeft >= -60 ? ` · ${describeDaysLeft(a.deadline.daysLeft)} as of ${answer.question.asOf}` : "";
    const basis = deadlineBasisLabel(a.deadline.basis);
    return [`- **Due ${dayLabel(f.date)}**: ${e(f.title)}${cite}${left}`, ...(basis ? [`  Basis: ${e(basis)}.`] : [`  Basis: a date of its own (not counted from another fact).`])];
  }
  const who = answer.question.kind === "who" ? `**${e(actorLabel(f.actor))}** · ` : "";
  const figure = f.figure?.value != null && f.figure.unit ? ` (**${e(formatValue(f.figure.value, f.figure.unit))}**${f.figure.period ? ` for ${e(f.figure.period)}` : ""})` : "";
  const lines = [`- ${who}**${dayLabel(f.date)}**: ${e(f.title)}${figure}${cite}`];
  if (f.summary.trim()) lines.push(`  ${e(f.summary.length > 300 ? `${f.summary.slice(0, 299)}…` : f.summary)}`);
  return lines;
}

/** Where the answer is read: the search it offers is written for there. */
export type AskSurface = "slack" | "terminal";

function searchHint(words: string, surface: AskSurface): string {
  const w = words || "WORDS";
  return surface === "slack" ? `\`/korus facts ${w}\`` : `\`npx korus facts search ${w}\``;
}

/** The answer as a Markdown document. */
export function answerMarkdown(answer: AskAnswer, surface: AskSurface = "slack"): string {
  const q = answer.question;
  const lines = [`**Q:** ${e(q.text)}`, ""];
  const asOf = q.asOfGiven ? ` as of ${q.asOf}` : "";
  if (answer.facts.length === 0) {
    lines.push(`Nothing on record answers this${asOf}.`);
    lines.push(`Search the facts instead: ${searchHint(answer.searchText, surface)}`);
    return `${lines.join("\n")}\n`;
  }
  const citations = new Citations();
  const lead =
    q.kind === "what-changed" || (q.words.length === 0 && q.range)
      ? `On record for ${e(q.range?.label ?? "the period")}${asOf}${answer.more ? ` (the newest ${answer.facts.length} of ${answer.facts.length + answer.more})` : ""}:`
      : `Best match${answer.facts.length > 1 ? "es" : ""}${asOf}:`;
  lines.push(lead, "");
  for (const a of answer.facts) lines.push(...factLine(a, answer, citations));
  for (const d of answer.differ) {
    const readings = d.point.readings.map((r) => `${e(formatValue(r.value, r.unit))}${citationMark(citations.cite(r.fact))}`);
    lines.push("", `**Sources differ** on ${e(d.point.period.label)} (\`${d.series}\`): ${readings.join(" vs ")}.`);
  }
  if (answer.series && answer.series.points.length > 1) {
    const s = answer.series;
    const points = s.points.map((p) => {
      const v = p.disputed ? p.readings.map((r) => r.value).join(" or ") : String(p.value);
      return `${e(p.period.label)}: ${e(v)}`;
    });
    const latest = s.points.at(-1)!;
    const change = changeFrom(s, latest);
    lines.push("", `Series \`${s.key}\` (${e(s.unit)}): ${points.join(" · ")}${change ? `; latest ${e(formatChange(change))}` : ""}.`);
    lines.push(`Every period: \`/korus figures ${s.key}\` · chart: \`/korus chart ${s.key}\``);
  }
  if (citations.sources.length > 0) lines.push("", "**Sources**", "", ...citations.sources.map(sourceLine));
  return `${lines.join("\n")}\n`;
}
