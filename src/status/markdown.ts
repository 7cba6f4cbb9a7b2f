import { escapeMarkdown } from "../render/escape.js";
import { sourceLine } from "../render/source-line.js";
import { citationMark, notesText } from "../facts/citations.js";
import { deadlineStateLabel, dueWord } from "../facts/outcomes.js";
import { actorLabel, dayLabel, deadlineBasisLabel, olderOverdueLabel } from "../facts/labels.js";
import type { CitedFact, DeadlineStatus, StatusReport } from "./status.js";

function cite(c: CitedFact): string {
  return `${citationMark(c.sourceNumbers)}${notesText(c.notes, escapeMarkdown)}`;
}

function deadlineLine(d: DeadlineStatus): string {
  const basis = deadlineBasisLabel(d.basis);
  const closedBy = d.closedBy ? ` (${escapeMarkdown(d.closedBy.fact.title)}${cite(d.closedBy)})` : "";
  return `**${escapeMarkdown(d.fact.title)}**: ${dueWord(d.fact)} ${dayLabel(d.fact.date)}, **${deadlineStateLabel(d.state)}**${closedBy}${basis ? `; ${escapeMarkdown(basis)}` : ""}${cite(d)}`;
}

/** The status as a Markdown document, for the terminal and the local console. */
export function statusToMarkdown(report: StatusReport): string {
  const out: string[] = [];
  const heading = report.agreement.topic === "korus" ? "KORUS" : `\`${report.agreement.topic}\``;
  out.push(`# ${heading} status as of ${dayLabel(report.asOf)}${report.historical ? " (historical view)" : ""}`, "");
  const { agreement } = report;
  out.push(`**Agreement:** ${escapeMarkdown(agreement.name)}${agreement.standing ? `, ${escapeMarkdown(agreement.standing)}${citationMark(agreement.sourceNumbers)}` : ""}  `);
  out.push(report.phase ? `**Current phase:** ${escapeMarkdown(report.phase.fact.title)} (since ${report.phase.fact.date})${cite(report.phase)}` : "**Current phase:** no events on record yet", "");
  out.push("## Next deadline", "");
  if (report.nextDeadline) {
    out.push(deadlineLine(report.nextDeadline));
    for (const d of report.laterDeadlines) out.push("", `Then: ${deadlineLine(d)}`);
  } else {
    out.push("No upcoming deadlines on record.");
  }
  out.push("");
  if (report.overdue.length > 0 || report.olderOverdue) {
    out.push("## Overdue", "");
    for (const d of report.overdue) out.push(`- ${deadlineLine(d)}`);
    if (report.olderOverdue) out.push(`- ${olderOverdueLabel(report.olderOverdue, report.olderOverdue.latestDaysLeft)}`);
    out.push("");
  }
  if (report.outcomes.length > 0) {
    out.push("## Recent outcomes", "");
    for (const d of report.outcomes) out.push(`- ${deadlineLine(d)}`);
    out.push("");
  }
  out.push("## Latest developments", "");
  if (report.developments.length === 0) out.push("None on record.");
  for (const c of report.developments) out.push(`- ${c.fact.date}: ${escapeMarkdown(c.fact.title)}${cite(c)}`);
  out.push("");
  out.push("## Positions", "");
  if (report.positions.length === 0) out.push("None on record.");
  for (const { actor, positions } of report.positions) {
    for (const c of positions) out.push(`- **${escapeMarkdown(actorLabel(actor))}** (${c.fact.date}): ${escapeMarkdown(c.fact.title)}${cite(c)}`);
  }
  out.push("");
  out.push("## Sources", "");
  if (report.sources.length === 0) out.push("None.");
  // Titles come from people and from feeds: escaped like every other output, links only to http(s).
  for (const s of report.sources) out.push(sourceLine(s));
  return `${out.join("\n")}\n`;
}
