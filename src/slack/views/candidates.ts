/**
 * A feed candidate's review card in a review channel (posted by the delivery machine: src/feeds/candidate-kind.ts):
 * title (linked to the item), date, source, a summary line, what it duplicates, and the Save as fact, Dismiss and Not
 * relevant buttons; once decided, the same card saying who decided what, without buttons. A feed's text is never
 * markup: every word of it is escaped as a fact title is.
 */
import type { KnownBlock } from "@slack/types";
import type { CandidateView } from "../../feeds/candidates.js";
import { duplicateLabel } from "../../feeds/duplicates.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { mrkdwnLink, truncate } from "../../render/mrkdwn.js";
import { ACTION_IDS, isSlackUserId } from "../ids.js";
import { SLACK_LIMITS } from "../limits.js";
import { plain } from "./blocks.js";
import type { SlackMessage } from "./status.js";

/** Most characters of the summary line a card shows. */
const SUMMARY_LINE = 280;

/** How a decision reads on the card. */
export type CandidateDecision = { how: "accepted"; factId: number } | { how: "dismissed" | "irrelevant" };

/** The card's head: the title (linked when the item has an http(s) URL), its day, source and topic, and a summary line. */
function head(c: CandidateView): string {
  const title = escapeMrkdwn(truncate(c.title, 300));
  const linked = c.url && /^https?:\/\//i.test(c.url) ? mrkdwnLink(c.url, truncate(c.title, 300)) : `*${title}*`;
  const meta = [c.publishedOn ?? "no date", escapeMrkdwn(truncate(c.sourceTitle, 200)), `topic \`${escapeMrkdwn(c.topic)}\``].join(" · ");
  const summary = c.summary.trim() ? `\n${escapeMrkdwn(truncate(c.summary.replace(/\s+/g, " ").trim(), SUMMARY_LINE))}` : "";
  return truncate(`:inbox_tray: ${linked}\n${meta}${summary}`, SLACK_LIMITS.sectionText);
}

function context(lines: string[]): KnownBlock[] {
  return lines.length === 0 ? [] : [{ type: "context", elements: lines.slice(0, SLACK_LIMITS.contextElements).map((text) => ({ type: "mrkdwn", text: truncate(text, 2000) })) }];
}

/** Text for the candidate's duplicates: "same as fact #12 (the same page) “title”". */
function duplicateLines(c: CandidateView): string[] {
  return c.duplicates.slice(0, 3).map((d) => `:warning: ${escapeMrkdwn(duplicateLabel(d))}: “${escapeMrkdwn(truncate(d.title, 120))}”`);
}

/** The block id of a card's buttons in `/korus candidates`' list (several cards in one message only the viewer sees). */
export const LIST_BUTTONS_PREFIX = "candidate-list:";

/** The card as posted (or, `inList`, as listed by `/korus candidates`): what to review and the three buttons. */
export function candidateReviewMessage(c: CandidateView, options: { inList?: boolean } = {}): SlackMessage {
  const value = JSON.stringify({ c: c.id });
  return {
    text: truncate(escapeMrkdwn(`New candidate for ${c.topic}: ${c.title}`), SLACK_LIMITS.messageText),
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: head(c) } },
      ...context([...duplicateLines(c), `Candidate #${c.id}${c.matched.length ? ` · matched ${escapeMrkdwn(c.matched.slice(0, 5).join(", "))}` : ""}`]),
      {
        type: "actions",
        block_id: `${options.inList ? LIST_BUTTONS_PREFIX : "candidate:"}${c.id}`,
        elements: [
          { type: "button", action_id: ACTION_IDS.candidateSave, text: plain("Save as fact"), style: "primary", value },
          { type: "button", action_id: ACTION_IDS.candidateDismiss, text: plain("Dismiss"), value },
          { type: "button", action_id: ACTION_IDS.candidateIrrelevant, text: plain("Not relevant to this topic"), value },
        ],
      },
    ],
  };
}

/** The card once decided: who decided what, no buttons. */
export function candidateDecidedMessage(c: CandidateView, decision: CandidateDecision, user: string): SlackMessage {
  const who = isSlackUserId(user) ? `<@${user}>` : escapeMrkdwn(user);
  const what =
    decision.how === "accepted"
      ? `:white_check_mark: Saved as fact #${decision.factId} by ${who}`
      : decision.how === "irrelevant"
        ? `:no_entry_sign: Marked not relevant to \`${escapeMrkdwn(c.topic)}\` by ${who}`
        : `:heavy_multiplication_x: Dismissed by ${who}`;
  return {
    text: truncate(escapeMrkdwn(`Candidate #${c.id}: ${c.title}`), SLACK_LIMITS.messageText),
    blocks: [{ type: "section", text: { type: "mrkdwn", text: head(c) } }, ...context([`${what} · candidate #${c.id}`])],
  };
}
