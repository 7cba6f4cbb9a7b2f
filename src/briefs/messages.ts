import { escapeMarkdown, escapeMrkdwn } from "../render/escape.js";
import { truncate } from "../render/mrkdwn.js";
import { splitMarkdown } from "../render/markdown-split.js";
import { dayLabel } from "../facts/labels.js";
import type { Brief } from "./brief.js";

/**
 * Most Markdown in one thread message. A chat message takes about this much (Slack allows 12,000 characters of
 * `markdown` blocks per message, but reports msg_blocks_too_long from about 13,000 in all, docs/slack-platform.md): 10,000
 * leaves room for the text and the rest. test/unit/slack/limits.test.ts holds it to Slack's limits.
 */
export const MAX_BRIEF_PART = 10_000;
/** Most characters of a message's notification text (Slack's `text` is cut at 4,000). */
export const MAX_MESSAGE_TEXT = 4000;

/** One message of a posted brief: seq 0 is the headline in the channel, 1..n the brief in its thread. */
export interface BriefMessage {
  seq: number;
  /** Notification and fallback text (mrkdwn, escaped). */
  text: string;
  markdown: string;
}

/** The headline message and the brief in thread-sized parts. */
export function briefMessages(brief: Brief): BriefMessage[] {
  const title = `${brief.title}, ${dayLabel(brief.asOf)}`;
  const parts = splitMarkdown(brief.markdown, MAX_BRIEF_PART);
  const head: BriefMessage = {
    seq: 0,
    text: truncate(escapeMrkdwn(`${title}: ${brief.headline}`), MAX_MESSAGE_TEXT),
    markdown: `**${escapeMarkdown(title)}**\n\n${escapeMarkdown(brief.headline)}\n\n_The full brief is in the thread._`,
  };
  return [
    head,
    ...parts.map((markdown, i) => ({
      seq: i + 1,
      text: escapeMrkdwn(parts.length > 1 ? `${title} (part ${i + 1} of ${parts.length})` : title),
      markdown,
    })),
  ];
}
