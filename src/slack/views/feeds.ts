/**
 * `/korus feeds` and `/korus candidates` as Slack messages: the watched feeds with their last poll and the candidates
 * waiting, a feed added or removed, and the candidates waiting review as their cards with buttons. Every text that
 * came from a feed (its title, an error quoting its server, an item's title) is escaped as a fact title is
 * (src/render/escape.ts).
 */
import type { KnownBlock } from "@slack/types";
import type { CandidateView } from "../../feeds/candidates.js";
import { feedKindName, type FeedCheck, type FeedView } from "../../feeds/feeds.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { mrkdwnLink, truncate } from "../../render/mrkdwn.js";
import { describeInstant } from "../../time-zone.js";
import { SLACK_CHANNEL_ID } from "../ids.js";
import { SLACK_LIMITS } from "../limits.js";
import { candidateReviewMessage } from "./candidates.js";
import type { SlackMessage } from "./status.js";
import { count, counted } from "../../render/count.js";

/** Feeds listed in one message (a section each, within Slack's 50 blocks). */
export const MAX_LISTED_FEEDS = 40;
/** Candidates listed in one message (four blocks each). */
export const MAX_LISTED_CANDIDATES = 10;

const channelRef = (id: string) => (SLACK_CHANNEL_ID.test(id) ? `<#${id}>` : escapeMrkdwn(id));
const section = (text: string): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text: truncate(text, SLACK_LIMITS.sectionText) } });
const context = (text: string): KnownBlock => ({ type: "context", elements: [{ type: "mrkdwn", text: truncate(text, 2000) }] });

/** A feed's name: its title as the feed gives it, else its kind. */
function feedName(f: FeedView): string {
  return f.title ? `“${escapeMrkdwn(truncate(f.title, 150))}”` : feedKindName(f.kind);
}

/** The watched feeds: name, URL, last poll (and its error), and the candidates waiting. */
export function feedListMessage(feeds: FeedView[], pending: Record<string, number>, timeZone: string): SlackMessage {
  if (feeds.length === 0) {
    return {
      text: "No feeds yet.",
      blocks: [section("No feeds are watched yet. Add one: `/korus feeds add URL [topic] [#channel] [keywords:Korea,KORUS]`; its new items are posted for review in that channel.")],
    };
  }
  const blocks: KnownBlock[] = [section(`*Watched feeds* (${feeds.length})`)];
  for (const f of feeds.slice(0, MAX_LISTED_FEEDS)) {
    const poll = f.lastPolledAt ? `last poll ${describeInstant(f.lastPolledAt, timeZone)}${f.lastStatus ? ` (${escapeMrkdwn(truncate(f.lastStatus, 80))})` : ""}` : "not polled yet";
    const error = f.lastError
      ? `\n:warning: Last error${f.failures > 0 ? ` (${counted(f.failures, "failure")} in a row, retried with backoff)` : ""}: ${escapeMrkdwn(truncate(f.lastError, 300))}`
      : "";
    const where = f.channels.length > 0 ? ` · reviewed in ${f.channels.map(channelRef).join(", ")}` : "";
    const keywords = f.keywords.length > 0 ? ` · keywords ${escapeMrkdwn(truncate(f.keywords.join(", "), 200))}` : "";
    blocks.push(
      section(
        `*#${f.id}* ${feedName(f)} · ${feedKindName(f.kind)} · topic \`${escapeMrkdwn(f.topic)}\`\n${mrkdwnLink(f.url, truncate(f.url, 200))}\n${poll} · *${counted(f.counts.pending, "new candidate")} waiting*, ${count(f.counts.accepted)} saved${where}${keywords}${error}`,
      ),
    );
  }
  const waiting = Object.values(pending).reduce((n, c) => n + c, 0);
  const more = feeds.length > MAX_LISTED_FEEDS ? `${feeds.length - MAX_LISTED_FEEDS} more not shown (\`npx korus feeds list\`). ` : "";
  blocks.push(
    context(`${more}${waiting > 0 ? `${counted(waiting, "candidate")} waiting for review: \`/korus candidates\`.` : "No candidates are waiting."} Stop watching one: \`/korus feeds remove ID\`.`),
  );
  return { text: `Watched feeds (${feeds.length})`, blocks };
}

/** A feed added, with what its check found. */
export function feedAddedMessage(feed: FeedView, check: FeedCheck | null): SlackMessage {
  const where = feed.channels.length > 0 ? `its new items are posted for review in ${feed.channels.map(channelRef).join(", ")}` : "its new items wait in `/korus candidates` (no review channel)";
  const keywords = feed.keywords.length > 0 ? `items naming ${escapeMrkdwn(truncate(feed.keywords.join(", "), 200))}` : "every item (no keywords)";
  const found = check
    ? `It has ${counted(check.items, "item")} now, ${count(check.matching)} matching${check.redirects.length > 0 ? `; it was redirected ${counted(check.redirects.length, "time")}, the address kept is the one given` : ""}.`
    : "";
  const text = `:white_check_mark: Watching feed *#${feed.id}* ${feedName(feed)} (${feedKindName(feed.kind)}) for topic \`${escapeMrkdwn(feed.topic)}\`: ${keywords}; ${where}. ${found} The bot polls it every ${feed.intervalMinutes} min.\n${mrkdwnLink(feed.url, truncate(feed.url, 200))}`;
  return { text: `Watching feed #${feed.id}`, blocks: [section(text)] };
}

/** A feed no longer watched. */
export function feedRemovedMessage(feed: FeedView, dismissed: number): SlackMessage {
  const text = `Stopped watching feed *#${feed.id}* ${feedName(feed)}; ${counted(dismissed, "waiting candidate")} dismissed, facts saved from it stay.`;
  return { text: `Stopped watching feed #${feed.id}`, blocks: [section(text)] };
}

/** The candidates waiting review, newest first, each as its review card with buttons. */
export function candidateListMessage(candidates: CandidateView[], total: number, topic?: string): SlackMessage {
  const of = topic ? ` in \`${escapeMrkdwn(topic)}\`` : "";
  if (total === 0) return { text: "No candidates are waiting.", blocks: [section(`No candidates are waiting for review${of}. \`/korus feeds\` shows the feeds and their last poll.`)] };
  const shown = candidates.slice(0, MAX_LISTED_CANDIDATES);
  const blocks: KnownBlock[] = [section(`*${counted(total, "candidate")} waiting for review*${of}${total > shown.length ? ` (the newest ${count(shown.length)})` : ""}`)];
  for (const c of shown) blocks.push({ type: "divider" }, ...candidateReviewMessage(c, { inList: true }).blocks);
  if (total > shown.length) blocks.push(context(`${count(total - shown.length)} more: decide these first, or \`npx korus candidates list --limit 50\`.`));
  return { text: `${counted(total, "candidate")} waiting for review`, blocks: blocks.slice(0, SLACK_LIMITS.blocksPerMessage) };
}
