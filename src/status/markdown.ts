import { describeDaysLeft, formatDate, type IsoDate } from "../facts/dates.js";
import { actorLabel, type CitedFact, type DeadlineStatus, type StatusReport } from "./status.js";

/** "2017-08-11 (Fri)": the ISO date people can search for, with the weekday. */
export function dayLabel(date: IsoDate): string {
  return `${date} (${formatDate(date).slice(0, 3)})`;
}

function cite(c: CitedFact): string {
  return c.sourceNumber === null ? "" : ` [${c.sourceNumber}]`;
}

/** "30 days after “U.S. requests …” (2017-07-12)". */
export function deadlineBasis(d: DeadlineStatus): string | null {
  if (!d.basis) return null;
  const { days, from } = d.basis;
  const n = Math.abs(days);
  return `${n} day${n === 1 ? "" : "s"} ${days >= 0 ? "after" : "before"} “${from.title}” (${from.date})`;
}

function deadlineLine(d: DeadlineStatus): string {
  const basis = deadlineBasis(d);
  return `**${d.fact.title}**: due ${dayLabel(d.fact.date)}, **${describeDaysLeft(d.daysLeft)}**${basis ? `; ${basis}` : ""}${cite(d)}`;
}

/** The status as a Markdown document, for the terminal and the local console. */
export function statusToMarkdown(report: StatusReport): string {
  const out: string[] = [];
  out.push(`# KORUS status as of ${dayLabel(report.asOf)}${report.historical ? " (historical view)" : ""}`, "");
  out.push(`**Agreement:** ${report.agreement.name}, in force since ${report.agreement.inForceSince}  `);
  out.push(
    report.phase
      ? `**Current phase:** ${report.phase.fact.title} (since ${report.phase.fact.date})${cite(report.phase)}`
      : "**Current phase:** no events on record yet",
    "",
  );
  out.push("## Next deadline", "");
  if (report.nextDeadline) {
    out.push(deadlineLine(report.nextDeadline));
    for (const d of report.laterDeadlines) out.push("", `Then: ${deadlineLine(d)}`);
  } else {
    out.push("No upcoming deadlines on record.");
  }
  out.push("");
  if (report.overdue.length > 0) {
    out.push("## Overdue", "");
    for (const d of report.overdue) out.push(`- ${deadlineLine(d)}`);
    out.push("");
  }
  out.push("## Latest developments", "");
  if (report.developments.length === 0) out.push("None on record.");
  for (const c of report.developments) out.push(`- ${c.fact.date}: ${c.fact.title}${cite(c)}`);
  out.push("");
  out.push("## Positions", "");
  if (report.positions.length === 0) out.push("None on record.");
  for (const { actor, positions } of report.positions) {
    for (const c of positions) out.push(`- **${actorLabel(actor)}** (${c.fact.date}): ${c.fact.title}${cite(c)}`);
  }
  out.push("");
  out.push("## Sources", "");
  if (report.sources.length === 0) out.push("None.");
  for (const s of report.sources) {
    const title = s.title ?? s.url ?? "";
    out.push(`${s.number}. ${s.url ? `[${title}](${s.url})` : title}`);
  }
  return `${out.join("\n")}\n`;
}
