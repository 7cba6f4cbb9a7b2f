/**
 * The app's Messages tab: a person who writes to the bot directly gets the list of commands (the bot answers
 * /korus, not free text). Only people's own messages in a DM with the bot are answered, once each: not the bot's
 * own, not edits or other subtypes, not Slack's retries of an event already delivered.
 */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { helpMessage } from "../views/help.js";
import type { ListenerDeps } from "./kit.js";
import { requestLogger } from "../reference.js";

/** A DM to the bot: answer with the help text, in the same DM. */
export function makeDirectMessageHandler(deps: Pick<ListenerDeps, "logger">) {
  return async ({ event, client, context }: SlackEventMiddlewareArgs<"message"> & AllMiddlewareArgs): Promise<void> => {
    const message = event as { channel_type?: string; subtype?: string; bot_id?: string; user?: string; channel: string; thread_ts?: string };
    if (message.channel_type !== "im" || message.subtype !== undefined || message.bot_id !== undefined || !message.user) return;
    if (context.retryNum !== undefined && context.retryNum > 0) {
      requestLogger(context, deps.logger).info(`DM from ${message.user}: Slack's retry ${context.retryNum} (${context.retryReason ?? "?"}) not answered again`);
      return;
    }
    const help = helpMessage();
    await client.chat.postMessage({
      channel: message.channel,
      ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
      text: `I answer the /korus command (type it here or in any channel), not messages. ${help.text}`,
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "I answer the `/korus` command (type it here or in any channel), not messages. Here is what it does:" } }, ...help.blocks].slice(0, 50),
    });
  };
}
