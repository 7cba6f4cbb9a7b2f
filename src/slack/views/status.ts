import type { ContextBlock, KnownBlock, SectionBlock } from "@slack/types";
import { deadlineStateLabel, dueWord } from "../../facts/outcomes.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { mrkdwnLink, truncate } from "../../render/mrkdwn.js";
import { citationMark, notesText } from "../../facts/citations.js";
import { actorLabel, dayLabel, deadlineBasisLabel, olderOverdueLabel } from "../../facts/labels.js";
import type { CitedFact, DeadlineStatus, StatusReport } from "../../status/status.js";
import { SLACK_LIMITS } from "../limits.js";
import { archiveNoteText } from "../../render/source-line.js";
import { counted } from "../../render/count.js";

/** A Slack message: blocks plus the fallback text shown in notifications. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

function section(text: string): SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text: truncate(text, SLACK_LIMITS.sectionText) } };
}

function context(text: string): ContextBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text: truncate(text, SLACK_LIMITS.sectionText) }] };
}

function cite(c: CitedFact): string {
  return `${citationMark(c.sourceNumbers)}${notesText(c.notes, escapeMrkdwn)}`;
}

function deadlineText(d: DeadlineStatus): string {
  const basis = deadlineBasisLabel(d.basis);
  const label = deadlineStateLabel(d.state);
  const mark = d.state.state === "overdue" ? ":warning: " : d.state.outcome?.outcome === "met" ? ":white_check_mark: " : d.state.outcome ? ":heavy_minus_sign: " : "";
  const closedBy = d.closedBy ? ` (${escapeMrkdwn(d.closedBy.fact.title)}${cite(d.closedBy)})` : "";
  const when = `${dueWord(d.fact) === "due" ? "Due" : "On"} ${dayLabel(d.fact.date)}`;
  return `*${escapeMrkdwn(d.fact.title)}*\n${when} · ${mark}*${escapeMrkdwn(label)}*${closedBy}${basis ? `\n_${escapeMrkdwn(basis)}_` : ""}${cite(d)}`;
}

const built = new WeakMap<StatusReport, SlackMessage>();

/** The `/korus status` answer as Block Kit, within Slack's limits (built once per report: reports are cached). */
export function statusMessage(report: StatusReport): SlackMessage {
  let message = built.get(report);
  if (!message) {
    message = buildStatusMessage(report);
    built.set(report, message);
  }
  return message;
}

function buildStatusMessage(report: StatusReport): SlackMessage {
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: report.agreement.topic === "korus" ? "KORUS status" : truncate(`Status: ${report.agreement.topic}`, 150), emoji: true } },
    context(`As of *${dayLabel(report.asOf)}*${report.historical ? " · historical view: facts learned later are hidden" : ""} · from ${counted(report.factCount, "fact")}`),
    section(
      `*Agreement:* ${escapeMrkdwn(report.agreement.name)}${report.agreement.standing ? `, ${escapeMrkdwn(report.agreement.standing)}${citationMark(report.agreement.sourceNumbers)}` : ""}\n*Current phase:* ${
        report.phase ? `${escapeMrkdwn(report.phase.fact.title)} (since ${report.phase.fact.date})${cite(report.phase)}` : "no events on record yet"
      }`,
    ),
    { type: "divider" },
  ];
  if (report.nextDeadline) {
    blocks.push(section(`:calendar: *Next deadline*\n${deadlineText(report.nextDeadline)}`));
    if (report.laterDeadlines.length > 0) {
      blocks.push(section(`*Then*\n${report.laterDeadlines.map((d) => `• ${deadlineText(d).replace(/\n/g, " · ")}`).join("\n")}`));
    }
  } else {
    blocks.push(section(":calendar: *Next deadline*\nNo upcoming deadlines on record."));
  }
  if (report.overdue.length > 0 || report.olderOverdue) {
    const lines = report.overdue.map((d) => `• ${deadlineText(d).replace(/\n/g, " · ")}`);
    if (report.olderOverdue) lines.push(`• ${escapeMrkdwn(olderOverdueLabel(report.olderOverdue, report.olderOverdue.latestDaysLeft))}`);
    blocks.push(section(`:warning: *Overdue*\n${lines.join("\n")}`));
  }
  if (report.outcomes.length > 0) {
    blocks.push(section(`:ballot_box_with_check: *Recent outcomes*\n${report.outcomes.map((d) => `• ${deadlineText(d).replace(/\n/g, " · ")}`).join("\n")}`));
  }
  blocks.push(
    section(
      `:newspaper: *Latest developments*\n${
        report.developments.length === 0 ? "None on record." : report.developments.map((c) => `• ${c.fact.date}: ${escapeMrkdwn(c.fact.title)}${cite(c)}`).join("\n")
      }`,
    ),
  );
  blocks.push(
    section(
      `:scales: *Positions*\n${
        report.positions.length === 0
          ? "None on record."
          : report.positions.flatMap(({ actor, positions }) => positions.map((c) => `*${escapeMrkdwn(actorLabel(actor))}* (${c.fact.date}): ${escapeMrkdwn(c.fact.title)}${cite(c)}`)).join("\n")
      }`,
    ),
  );
  if (report.sources.length > 0) {
    blocks.push({ type: "divider" });
    blocks.push(
      context(
        `*Sources*\n${report.sources
          .map(
            (s) =>
              `[${s.number}] ${s.url ? mrkdwnLink(s.url, s.title ?? s.url) : escapeMrkdwn(s.title ?? "")}${s.date ? ` (${s.date})` : ""}${s.archive ? ` _${escapeMrkdwn(archiveNoteText(s.archive))}_` : ""}`,
          )
          .join("\n")}`,
      ),
    );
  }
  const next = report.nextDeadline;
  const text = truncate(
    `${report.agreement.topic === "korus" ? "KORUS" : escapeMrkdwn(report.agreement.topic)} status as of ${report.asOf}: ${report.phase ? report.phase.fact.title : "no events on record"}${
      next ? `. Next deadline: ${next.fact.title}, ${next.fact.date} (${deadlineStateLabel(next.state)})` : ""
    }`,
    SLACK_LIMITS.messageText,
  );
  return { text: escapeMrkdwn(text), blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage) };
}
