/**
 * What the delivery machine hands the Slack transport as data, in Slack's words: notices to an owner
 * (src/delivery/notices.ts) as their DM says them, each kind's notice in mrkdwn with channel links and the command
 * that helps (a notice this module does not know goes out as its plain words, escaped); and a post's content
 * (a feed candidate's review card) as Block Kit.
 */
import { ALERT_KIND, parseAlertNotice } from "../alerts/alert-kind.js";
import { parseBriefNotice } from "../briefs/notices.js";
import type { PostContent } from "../delivery/transport.js";
import { isCandidateReview, parseCandidateNotice } from "../feeds/candidate-kind.js";
import { candidateReviewMessage } from "./views/candidates.js";
import type { SlackMessage } from "./views/status.js";
import type { NoticeData } from "../delivery/notices.js";
import { escapeMrkdwn } from "../render/escape.js";
import { truncate } from "../render/mrkdwn.js";
import { SLACK_LIMITS } from "./limits.js";
import { channelMention } from "./views/briefs.js";

/** The emoji a kind's posts open with in Slack: the domain's Markdown carries none (it is Slack's wording). */
const KIND_EMOJI: Readonly<Record<string, string>> = { [ALERT_KIND]: ":alarm_clock:" };

/**
 * A post's Markdown as Slack shows it: its kind's emoji first. (A post queued before the emoji moved here already
 * opens with it, and keeps one.)
 */
export function kindMarkdown(kind: string, markdown: string): string {
  const emoji = KIND_EMOJI[kind];
  return emoji && !markdown.startsWith(emoji) ? `${emoji} ${markdown}` : markdown;
}

/** The DM's text of `notice`; `words` (the stored plain words) for a notice of a kind not worded here. */
export function noticeMrkdwn(notice: NoticeData, words: string): string {
  const alert = parseAlertNotice(notice);
  if (alert) {
    const lead = alert.leadDays === 0 ? "due today" : `${alert.leadDays} day${alert.leadDays === 1 ? "" : "s"} ahead`;
    const where = channelMention(alert.channel);
    return truncate(
      `:warning: A deadline alert (fact #${alert.factId}, ${lead}) could not be posted to ${where}: ${escapeMrkdwn(alert.detail)}. \`/korus alerts list\` shows the channel's alerts; \`/korus alerts off ${where}\` stops them.`,
      SLACK_LIMITS.messageText,
    );
  }
  const brief = parseBriefNotice(notice);
  if (brief) {
    const head = `The weekly brief of schedule #${brief.scheduleId} for ${escapeMrkdwn(brief.period)}`;
    const detail = escapeMrkdwn(brief.detail);
    return truncate(
      brief.kind === "brief_not_built"
        ? `:warning: ${head} could not be built: ${detail}. \`/korus schedule list\` shows it.`
        : `:warning: ${head} could not be posted to ${channelMention(brief.channel)}: ${detail}. \`/korus schedule list\` shows it; \`/korus schedule pause ${brief.scheduleId}\` stops it.`,
      SLACK_LIMITS.messageText,
    );
  }
  const candidate = parseCandidateNotice(notice);
  if (candidate) {
    return truncate(
      `:warning: Feed candidate #${candidate.candidateId} (feed #${candidate.feedId}) could not be posted to its review channel ${channelMention(candidate.channel)}: ${escapeMrkdwn(candidate.detail)}. \`/korus candidates\` and \`korus candidates list\` show the queue; \`korus feeds list\` shows the feed's channels.`,
      SLACK_LIMITS.messageText,
    );
  }
  return truncate(`:warning: ${escapeMrkdwn(words)}`, SLACK_LIMITS.messageText);
}

/** A post's content as a Slack message; null for content of a shape not worded here (the stored text is posted). */
export function contentMessage(content: PostContent): SlackMessage | null {
  if (isCandidateReview(content)) return candidateReviewMessage(content.candidate);
  return null;
}
