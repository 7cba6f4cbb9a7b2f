/**
 * Notices to an owner (src/delivery/notices.ts) as their DM says them: each kind's notice in mrkdwn, with channel
 * links and the command that helps. A notice this module does not know goes out as its plain words, escaped.
 */
import { parseAlertNotice } from "../alerts/alert-kind.js";
import { parseBriefNotice } from "../briefs/notices.js";
import type { NoticeData } from "../delivery/notices.js";
import { escapeMrkdwn } from "../render/escape.js";
import { truncate } from "../render/mrkdwn.js";
import { SLACK_LIMITS } from "./limits.js";
import { channelMention } from "./views/briefs.js";

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
  return truncate(`:warning: ${escapeMrkdwn(words)}`, SLACK_LIMITS.messageText);
}
