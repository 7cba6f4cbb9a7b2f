/** Deadline alert subscriptions as Slack messages: channel mentions render, user text is escaped. */
import { leadLabel, plannedLine } from "../../alerts/markdown.js";
import type { SubscriptionView } from "../../alerts/subscriptions.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { truncate } from "../../render/mrkdwn.js";
import { SLACK_LIMITS } from "../limits.js";
import { isSlackUserId } from "../ids.js";
import type { SlackMessage } from "./status.js";

/** Whoever turned the alerts on: a mention for a Slack member, else their name. */
function owner(v: SubscriptionView): string {
  return isSlackUserId(v.ownerId) ? `<@${v.ownerId}>` : escapeMrkdwn(v.ownerName);
}

function subscriptionText(v: SubscriptionView): string {
  const head = `<#${v.channel}>, topic \`${escapeMrkdwn(v.topic)}\`: ${v.leads.map(leadLabel).join(", ")}, at ${v.time} ${escapeMrkdwn(v.timeZone)} · turned on by ${owner(v)} · ${v.posted} posted`;
  const next = v.next.map((p) => `• ${escapeMrkdwn(plannedLine(p))}`);
  const problem = v.lastProblem ? [`:warning: Last problem (fact #${v.lastProblem.factId}): ${escapeMrkdwn(v.lastProblem.detail)}`] : [];
  return [head, ...(next.length > 0 ? next : ["• no upcoming deadline to alert"]), ...problem].join("\n");
}

/** The answer to `alerts on` / `alerts off`. */
export function subscriptionChangedMessage(verb: "Alerts on" | "Alerts changed" | "Alerts off", v: SubscriptionView): SlackMessage {
  const text = `${verb}: ${subscriptionText(v)}`;
  return { text: truncate(text, SLACK_LIMITS.messageText), blocks: [{ type: "section", text: { type: "mrkdwn", text: truncate(`:alarm_clock: ${text}`, SLACK_LIMITS.sectionText) } }] };
}

/** The answer to `alerts list`. */
export function subscriptionListMessage(views: readonly SubscriptionView[]): SlackMessage {
  if (views.length === 0) {
    const text = "No channel has deadline alerts. Turn them on with `/korus alerts on #channel days 7,1`.";
    return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
  }
  // Slack allows 50 blocks in a message: the first 45 channels, then how many more.
  const shown = views.slice(0, 45);
  const blocks: SlackMessage["blocks"] = [{ type: "section", text: { type: "mrkdwn", text: "*Deadline alerts*" } }];
  for (const v of shown) blocks.push({ type: "section", text: { type: "mrkdwn", text: truncate(subscriptionText(v), SLACK_LIMITS.sectionText) } });
  if (views.length > shown.length) blocks.push({ type: "context", elements: [{ type: "mrkdwn", text: `…and ${views.length - shown.length} more: \`korus alerts list\` shows them all.` }] });
  return { text: `Deadline alerts in ${views.length} channel(s)`, blocks };
}
