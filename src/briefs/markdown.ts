/**
 * Schedules in words: shared by the terminal (Markdown) and Slack (src/slack/views/briefs.ts).
 */
import { escapeMarkdown } from "../render/escape.js";
import { describeInstant } from "../time-zone.js";
import { type ScheduleView, describeRule } from "./schedules.js";

/** The parts of one schedule's state, as plain text (no markup). */
export interface ScheduleSummary {
  /** "Mondays at 09:00 America/New_York, moved by U.S. holidays". */
  rule: string;
  /** "next: Mon 2026-01-26 09:00 EST" or "paused". */
  next: string;
  /** "last posted: 2026-01-19 (Mon 2026-01-19 09:00 EST)", or null when it never posted. */
  lastPosted: string | null;
  /** "2026-01-26 failed: ..." or "2026-01-26 skipped: missed ...", when more recent than the last post. */
  problem: string | null;
  /** "posting 2026-01-26 now". */
  inProgress: string | null;
}

/** One schedule's state in words. */
export function summarizeSchedule(view: ScheduleView): ScheduleSummary {
  const zone = view.rule.timeZone;
  return {
    rule: describeRule(view.rule),
    next: view.paused ? "paused" : view.next ? `next: ${describeInstant(view.next.dueAt, zone)}${view.next.moved?.length ? ` (moved: ${view.next.moved.join("; ")})` : ""}` : "next: not planned",
    lastPosted: view.lastPosted ? `last posted: ${view.lastPosted.period} (${describeInstant(view.lastPosted.at, zone)})` : null,
    problem: view.lastProblem ? `${view.lastProblem.period} ${view.lastProblem.state}: ${view.lastProblem.detail}` : null,
    inProgress: view.inProgress ? `posting ${view.inProgress.period} now` : null,
  };
}

/** Schedules as Markdown, for the terminal and the local console. */
export function schedulesToMarkdown(views: readonly ScheduleView[]): string {
  if (views.length === 0) return "No brief schedules. Create one with `korus schedule weekly <weekday> <HH:MM> <time zone> --channel C…`.\n";
  const lines = [`**${views.length} brief schedule${views.length === 1 ? "" : "s"}**`, ""];
  for (const view of views) lines.push(`- ${scheduleLine(view)}`);
  return `${lines.join("\n")}\n`;
}

/** One schedule on one Markdown line. */
export function scheduleLine(view: ScheduleView): string {
  const s = summarizeSchedule(view);
  const parts = [
    `#${view.id} ${s.rule}, to channel ${view.channel}, template ${view.templateId}${view.topic !== "korus" ? `, topic ${view.topic}` : ""}, owner ${escapeMarkdown(view.ownerName)}`,
    s.next,
  ];
  if (s.inProgress) parts.push(s.inProgress);
  parts.push(s.lastPosted ?? "never posted");
  if (s.problem) parts.push(s.problem);
  return parts.join("; ");
}
