import type { KnownBlock, ModalView } from "@slack/types";
import type { Brief } from "../../briefs/brief.js";
import { summarizeSchedule } from "../../briefs/markdown.js";
import { MAX_BRIEF_PART } from "../../briefs/messages.js";
import type { ScheduleView } from "../../briefs/schedules.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { truncate } from "../../render/mrkdwn.js";
import { splitMarkdown } from "../../render/markdown-split.js";
import { dayLabel } from "../../facts/labels.js";
import { WEEKDAY_NAMES } from "../../briefs/schedules.js";
import { isSlackUserId, SCHEDULE_BLOCKS, SLACK_CHANNEL_ID, VIEW_IDS } from "../ids.js";
import { SLACK_LIMITS } from "../limits.js";
import type { SlackMessage } from "./status.js";
import { inputBlock, markdownBlock, plain } from "./blocks.js";

/** Most schedules `schedule list` shows (one section each, within Slack's 50 blocks). */
export const MAX_LISTED_SCHEDULES = 45;

function section(text: string): KnownBlock {
  return { type: "section", text: { type: "mrkdwn", text: truncate(text, SLACK_LIMITS.sectionText) } };
}

/** The brief preview: one message per part (a `markdown` block each, well under Slack's 12,000 characters). */
export function briefPreviewMessages(brief: Brief): SlackMessage[] {
  const parts = splitMarkdown(brief.markdown, MAX_BRIEF_PART);
  const title = `${brief.title}, ${dayLabel(brief.asOf)} (preview: only you see it)`;
  return parts.map((part, i) => ({
    text: escapeMrkdwn(parts.length > 1 ? `${title}, part ${i + 1} of ${parts.length}` : title),
    blocks: [...(i === 0 ? [{ type: "context", elements: [{ type: "mrkdwn", text: `:eyes: ${escapeMrkdwn(title)}` }] } as KnownBlock] : []), markdownBlock(part)],
  }));
}

/** `<#C…>` for a channel id; anything else as escaped text. */
export function channelMention(channel: string): string {
  return SLACK_CHANNEL_ID.test(channel) ? `<#${channel}>` : escapeMrkdwn(channel);
}

/** One schedule as mrkdwn: its rule, channel, next run, and last post or problem. */
export function scheduleMrkdwn(view: ScheduleView): string {
  const s = summarizeSchedule(view);
  const lines = [
    `*#${view.id}* ${escapeMrkdwn(s.rule)} in ${channelMention(view.channel)} · \`${escapeMrkdwn(view.templateId)}\`${view.topic !== "korus" ? ` · topic \`${escapeMrkdwn(view.topic)}\`` : ""} · owner ${isSlackUserId(view.ownerId) ? `<@${view.ownerId}>` : escapeMrkdwn(view.ownerName)}`,
    view.paused ? ":double_vertical_bar: paused" : `:calendar: ${escapeMrkdwn(s.next)}`,
  ];
  if (s.inProgress) lines.push(`:outbox_tray: ${escapeMrkdwn(s.inProgress)}`);
  lines.push(s.lastPosted ? `:white_check_mark: ${escapeMrkdwn(s.lastPosted)}` : "_never posted yet_");
  if (view.lastProblem) lines.push(`${view.lastProblem.state === "failed" ? ":x:" : ":fast_forward:"} ${escapeMrkdwn(s.problem ?? "")}`);
  return lines.join("\n");
}

/** `/korus schedule list`. */
export function scheduleListMessage(views: readonly ScheduleView[]): SlackMessage {
  if (views.length === 0) {
    const text = "No brief schedules yet. Create one with `/korus schedule weekly monday 09:00 America/New_York`.";
    return { text, blocks: [section(text)] };
  }
  const shown = views.slice(0, MAX_LISTED_SCHEDULES);
  const blocks: KnownBlock[] = [section(`*${views.length} brief schedule${views.length === 1 ? "" : "s"}*`), ...shown.map((v) => section(scheduleMrkdwn(v)))];
  if (views.length > shown.length) blocks.push(section(`…and ${views.length - shown.length} more (\`korus schedule list\` in the terminal lists all).`));
  return { text: `${views.length} brief schedule${views.length === 1 ? "" : "s"}`, blocks };
}

/** A schedule just created, paused, resumed or deleted. */
export function scheduleChangedMessage(verb: "Created" | "Paused" | "Resumed" | "Deleted", view: ScheduleView): SlackMessage {
  const text = `${verb} schedule #${view.id}.`;
  return { text, blocks: [section(`:white_check_mark: *${text}*\n${scheduleMrkdwn(view)}`)] };
}

/** The new-schedule form: weekday, local time, IANA time zone, channel, holidays. */
export function scheduleModal(options: { timeZone: string; channel?: string }): ModalView {
  const weekdays = WEEKDAY_NAMES.map((name) => ({ text: plain(name), value: name.toLowerCase() }));
  const holidays = [
    { text: plain("Post on holidays too"), value: "none" },
    { text: plain("Skip U.S. public holidays"), value: "us" },
    { text: plain("Skip Korean public holidays"), value: "kr" },
    { text: plain("Skip both"), value: "both" },
  ];
  return {
    type: "modal",
    callback_id: VIEW_IDS.scheduleNew,
    title: plain("Weekly brief"),
    submit: plain("Schedule"),
    close: plain("Cancel"),
    blocks: [
      section("The brief posts a short headline in the channel and the full brief in its thread, every week at the time you pick, daylight saving included."),
      inputBlock(SCHEDULE_BLOCKS.weekday, "Day", { type: "static_select", options: weekdays, initial_option: weekdays[0] }),
      inputBlock(SCHEDULE_BLOCKS.time, "Time", { type: "timepicker", initial_time: "09:00" }),
      inputBlock(
        SCHEDULE_BLOCKS.timeZone,
        "Time zone",
        { type: "plain_text_input", initial_value: options.timeZone, max_length: 64 },
        { hint: "An IANA time zone, like America/New_York or Asia/Seoul." },
      ),
      inputBlock(SCHEDULE_BLOCKS.channel, "Channel", {
        type: "conversations_select",
        default_to_current_conversation: true,
        filter: { include: ["public", "private"], exclude_bot_users: true },
        ...(options.channel ? { initial_conversation: options.channel } : {}),
      }),
      inputBlock(
        SCHEDULE_BLOCKS.holidays,
        "Public holidays",
        { type: "static_select", options: holidays, initial_option: holidays[0] },
        { hint: "On a skipped holiday the brief posts on the next working day." },
      ),
    ],
  };
}
