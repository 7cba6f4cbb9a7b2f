/**
 * The `/korus ask` answer in Slack: the Markdown answer (sentence first, then the facts with their sources) in
 * `markdown` blocks, then buttons: open each fact of the answer, and the status as of the day the answer is about.
 */
import type { ActionsBlock, Button } from "@slack/types";
import type { AskAnswer } from "../../ask/answer.js";
import { answerMarkdown } from "../../ask/markdown.js";
import { SLASH_ASK_COMMANDS } from "../../commands/ask-commands.js";
import type { IsoDate } from "../../facts/dates.js";
import { escapeMarkdown } from "../../render/escape.js";
import { markdownToMrkdwn } from "../../render/slack-mrkdwn.js";
import { splitMarkdown } from "../../render/markdown-split.js";
import { truncate } from "../../render/mrkdwn.js";
import { ACTION_IDS } from "../ids.js";
import { SLACK_LIMITS } from "../limits.js";
import { plain, markdownBlock } from "./blocks.js";
import type { SlackMessage } from "./status.js";

/** Each markdown message stays well under Slack's 12,000 characters per message. */
const PART = 10_000;
/** Buttons for at most this many facts. */
const FACT_BUTTONS = 3;

/** The buttons under an answer: "Open fact #12" per fact shown, and "Status as of DAY" (not after today). */
export function askButtons(answer: AskAnswer, today: IsoDate): ActionsBlock | null {
  const facts = (answer.found ? answer.facts : answer.related).slice(0, FACT_BUTTONS);
  const elements: Button[] = facts.map((a, i) => ({
    type: "button",
    action_id: `${ACTION_IDS.askFact}:${i}`,
    text: plain(`Open fact #${a.fact.id}`),
    value: JSON.stringify({ f: a.fact.id }),
  }));
  const day = answer.statusDay <= today ? answer.statusDay : today;
  elements.push({ type: "button", action_id: ACTION_IDS.askStatus, text: plain(`Status as of ${day}`), value: JSON.stringify({ d: day }) });
  return { type: "actions", elements };
}

/** The answer as one or more ephemeral messages; the buttons go with the last. */
export function askMessages(answer: AskAnswer, today: IsoDate): SlackMessage[] {
  // The notification text: the answer sentence, escaped as Markdown then turned into mrkdwn (as chart captions are).
  const fallback = truncate(markdownToMrkdwn(escapeMarkdown(answer.lead)), SLACK_LIMITS.messageText);
  const messages: SlackMessage[] = splitMarkdown(answerMarkdown(answer, SLASH_ASK_COMMANDS), PART).map((part) => ({ text: fallback, blocks: [markdownBlock(part)] }));
  const buttons = askButtons(answer, today);
  if (buttons) messages.at(-1)!.blocks.push(buttons);
  return messages;
}
