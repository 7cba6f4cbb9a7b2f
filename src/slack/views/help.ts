import type { KnownBlock } from "@slack/types";
import { COMMANDS, SLACK_ONLY_HELP } from "../../commands/parse.js";
import { escapeMrkdwn } from "../../render/escape.js";
import type { SlackMessage } from "./status.js";

/** The list of commands with an example of each; `problem` (plain text) heads it when the text was not understood. */
export function helpMessage(problem?: string): SlackMessage {
  const blocks: KnownBlock[] = [];
  if (problem) blocks.push({ type: "section", text: { type: "mrkdwn", text: `:thinking_face: ${escapeMrkdwn(problem)}` } });
  blocks.push({ type: "section", text: { type: "mrkdwn", text: "*korus-bot commands*" } });
  for (const c of COMMANDS) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: `\`${escapeMrkdwn(c.usage)}\`\n${escapeMrkdwn(c.description)}\nExample: \`${escapeMrkdwn(c.example)}\`` },
    });
  }
  blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: escapeMrkdwn(SLACK_ONLY_HELP) }] });
  const text = `${problem ? `${escapeMrkdwn(problem)} ` : ""}Commands: ${COMMANDS.map((c) => c.usage).join(", ")}`;
  return { text, blocks };
}

/** A short message for a command whose text was wrong: what went wrong and how to write it. */
export function usageMessage(problem: string, usage: string): SlackMessage {
  const text = `${escapeMrkdwn(problem)}\nUsage: \`${escapeMrkdwn(usage)}\` (see \`/korus help\`)`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: `:thinking_face: ${text}` } }] };
}

/** What a user sees when something failed on our side: no stack trace, a reference to find the log line. */
export function failureMessage(what: string, reference: string): SlackMessage {
  const text = `Sorry, I couldn't ${what}. It has been logged (reference \`${reference}\`); please try again in a moment.`;
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text: `:x: ${text}` } }] };
}
