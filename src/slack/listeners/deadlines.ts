/**
 * `/korus alerts ...`, `/korus topics` and `/korus timeline ...` after the ack: answers only the user who typed it.
 * `alerts on` and `alerts off` without a #channel mean the channel the command was typed in.
 */
import type { RespondFn } from "@slack/bolt";
import { AlertError, type Mentions } from "../../alerts/spec.js";
import type { DeadlineCommand } from "../../commands/deadline-commands.js";
import { timelineToMarkdown, topicsToMarkdown } from "../../topics/markdown.js";
import { TopicError } from "../../topics/slug.js";
import type { SlackDeps } from "../app.js";
import { isSlackUserId, SLACK_CHANNEL_ID } from "../ids.js";
import { markdownBlock } from "../views/blocks.js";
import { subscriptionChangedMessage, subscriptionListMessage } from "../views/alerts.js";
import { noticeMessage } from "../views/facts.js";
import type { SlackMessage } from "../views/status.js";
import { escapeMrkdwn } from "../../render/escape.js";

function markdownMessage(markdown: string, text: string): SlackMessage {
  return { text: escapeMrkdwn(text), blocks: [markdownBlock(markdown)] };
}

/** Channels and people as Slack renders them: `<#C…>` and `<@U…>`; anything else as escaped text. */
const SLACK_MENTIONS: Mentions = {
  channel: (id) => (SLACK_CHANNEL_ID.test(id) ? `<#${id}>` : escapeMrkdwn(id)),
  person: (id, name) => (isSlackUserId(id) ? `<@${id}>` : escapeMrkdwn(name)),
};

/** Runs one of these commands for `user` in `channel`. */
export async function runDeadlineCommand(deps: SlackDeps, parsed: DeadlineCommand, ctx: { user: string; channel: string; respond: RespondFn }): Promise<void> {
  const reply = (message: SlackMessage) => ctx.respond({ response_type: "ephemeral", replace_original: false, text: message.text, blocks: message.blocks });
  try {
    switch (parsed.name) {
      case "alerts-on": {
        const { view, created } = await deps.services.alerts.alertsOn({ ...parsed.spec, channel: parsed.spec.channel ?? ctx.channel }, ctx.user);
        await reply(subscriptionChangedMessage(created ? "Alerts on" : "Alerts changed", view));
        return;
      }
      case "alerts-off":
        await reply(subscriptionChangedMessage("Alerts off", await deps.services.alerts.alertsOff({ channel: parsed.channel ?? ctx.channel, topic: parsed.topic }, ctx.user)));
        return;
      case "alerts-list":
        await reply(subscriptionListMessage(await deps.services.alerts.listAlerts()));
        return;
      case "topics":
        await reply(markdownMessage(topicsToMarkdown(await deps.services.topics.listTopics()), "Topics"));
        return;
      case "timeline": {
        const page = await deps.services.topics.timeline(parsed);
        await reply(markdownMessage(timelineToMarkdown(page), `Timeline of ${page.topic}, page ${page.page} of ${page.pages}`));
        return;
      }
    }
  } catch (error) {
    if (error instanceof AlertError || error instanceof TopicError) {
      const field = error instanceof AlertError && error.field ? `${error.field[0]!.toUpperCase()}${error.field.slice(1)}: ` : "";
      // Our own words, with channel and user mentions meant to render; a person's name is escaped.
      const text = error instanceof AlertError ? error.wording(SLACK_MENTIONS) : error.message;
      await reply(noticeMessage(`:thinking_face: ${field}${text}`));
      return;
    }
    throw error;
  }
}
