/**
 * The words of a deadline alert, as the channel reads it. Plain data in; the notification text in plain words (the
 * chat adapter escapes and cuts it for its markup) and the body in escaped Markdown out, without emoji (Slack's
 * adapter opens it with its own, src/slack/notice-wording.ts).
 */
import { dayLabel, deadlineBasisLabel, type DeadlineBasis } from "../facts/labels.js";
import type { Fact } from "../facts/model.js";
import { dueKindOf } from "../facts/outcomes.js";
import { defuseMarkdown, escapeMarkdown, markdownLink } from "../render/escape.js";
import { truncate } from "../render/mrkdwn.js";

/** Most characters of a fact summary an alert quotes. */
const SUMMARY_MAX = 600;

/** One alert: the notification text (plain) and the message body (Markdown). */
export function alertMessage(input: { fact: Fact; leadDays: number; basis: DeadlineBasis | null }): { text: string; markdown: string } {
  const { fact, leadDays, basis } = input;
  // An effective date happens by itself: it "takes effect", nobody owes it.
  const effective = dueKindOf(fact) === "effective";
  const verb = effective ? "Takes effect" : "Due";
  const when = leadDays === 0 ? `${verb} today` : leadDays === 1 ? `${verb} tomorrow` : `${verb} in ${leadDays} days`;
  const head = `${when}: ${fact.title} (${dayLabel(fact.date)})`;
  const lines = [`**${when}:** ${escapeMarkdown(fact.title)}`, ""];
  lines.push(`**${effective ? "Takes effect" : "Due"}:** ${escapeMarkdown(dayLabel(fact.date))}${fact.topic !== "korus" ? ` · topic \`${escapeMarkdown(fact.topic)}\`` : ""}`);
  const basisLabel = deadlineBasisLabel(basis);
  if (basisLabel) lines.push(`**Basis:** ${escapeMarkdown(basisLabel)}`);
  if (fact.summary.trim()) lines.push("", defuseMarkdown(truncate(fact.summary.trim(), SUMMARY_MAX)));
  const sources = fact.sources.map((s) => (s.url ? markdownLink(s.url, s.title ?? s.url) : escapeMarkdown(s.title ?? "")));
  lines.push("", `**${sources.length > 1 ? "Sources" : "Source"}:** ${sources.join(" · ") || "none on record"} · fact #${fact.id}`);
  return { text: head, markdown: lines.join("\n") };
}
