import { escapeMarkdown } from "../render/escape.js";
import { splitMarkdown } from "../render/markdown-split.js";
import { dayLabel } from "../facts/labels.js";
import type { Brief } from "./brief.js";

/**
 * Most Markdown in one thread message: a chat message takes about this much, with room for its text and the rest.
 * test/unit/slack/limits.test.ts holds it to the chat service's limits.
 */
export const MAX_BRIEF_PART = 10_000;

/** The brief's kind of post in the outbox (src/briefs/brief-kind.ts; Slack's metadata event type korus_brief). */
export const BRIEF_KIND = "brief";

/** One message of a posted brief: seq 0 is the headline in the channel, 1..n the brief in its thread. */
export interface BriefMessage {
  seq: number;
  /** Notification and fallback text, plain (the chat adapter escapes and cuts it). */
  text: string;
  markdown: string;
}

/** The headline message and the brief in thread-sized parts. */
export function briefMessages(brief: Brief): BriefMessage[] {
  const title = `${brief.title}, ${dayLabel(brief.asOf)}`;
  const parts = splitMarkdown(brief.markdown, MAX_BRIEF_PART);
  const head: BriefMessage = {
    seq: 0,
    text: `${title}: ${brief.headline}`,
    markdown: `**${escapeMarkdown(title)}**\n\n${escapeMarkdown(brief.headline)}\n\n_The full brief is in the thread._`,
  };
  return [
    head,
    ...parts.map((markdown, i) => ({
      seq: i + 1,
      text: parts.length > 1 ? `${title} (part ${i + 1} of ${parts.length})` : title,
      markdown,
    })),
  ];
}
