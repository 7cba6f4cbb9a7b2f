/**
 * How the memo flow speaks in Slack after the work is done: the tracking message and its thread, the owners' and
 * approvers' DMs, and what the person who acted must hear when one of those could not be delivered. Nothing here
 * swallows a failure: an undeliverable DM is listed in the memo's thread ("could not DM <@U…>: …"), and what could
 * not be posted at all is told to the person who acted.
 */
import type { ChatPostMessageResponse, WebClient } from "@slack/web-api";
import type { Fact } from "../../../facts/model.js";
import type { MemoView, SectionView } from "../../../memos/read.js";
import { describeDmFailure, describePostFailure, slackErrorCode } from "../../slack-errors.js";
import { noticeMessage } from "../../views/facts.js";
import { approvalRequestMessage, ownerMessage, trackingMessage } from "../../views/memos.js";
import type { SlackMessage } from "../../views/status.js";
import type { ListenerDeps } from "../kit.js";

/** Posts in a channel, joining it once if the bot is not a member yet (public channels; channels:join). */
export async function postInChannel(client: WebClient, args: { channel: string; thread_ts?: string } & SlackMessage): Promise<ChatPostMessageResponse> {
  try {
    return await client.chat.postMessage(args);
  } catch (error) {
    if (slackErrorCode(error) !== "not_in_channel") throw error;
    await client.conversations.join({ channel: args.channel });
    return client.chat.postMessage(args);
  }
}

/** A few facts relevant to a section: full-text matches on its title, else the newest. */
export async function relevantFacts(deps: Pick<ListenerDeps, "services">, section: Pick<SectionView, "title">): Promise<Fact[]> {
  const words = section.title
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .split(/\s+/)
    .filter((w) => w.length > 3)
    .join(" or ");
  const found = words ? await deps.services.facts.searchFacts({ words }, { limit: 5 }) : { facts: [] as Fact[] };
  if (found.facts.length > 0) return found.facts;
  return (await deps.services.facts.searchFacts({ words: "" }, { limit: 5 })).facts;
}

/**
 * What went wrong while telling people about a change that itself succeeded, collected for the person who made it.
 * Each entry is mrkdwn in our own words (user text escaped by the caller).
 */
export class Undelivered {
  readonly problems: string[] = [];
  add(problem: string): void {
    this.problems.push(problem);
  }
  /** The notice for the person who acted, or undefined when everything went out. */
  notice(done: string): SlackMessage | undefined {
    if (this.problems.length === 0) return undefined;
    return noticeMessage(`:warning: ${done}, but ${this.problems.join("; ")}.`);
  }
}

/** The memo's channel-side notices, bound to the app's dependencies. */
export interface MemoNotices {
  /** Edits the tracking message in place (state, owners, sign-off). */
  refreshTracking(client: WebClient, memo: MemoView, undelivered: Undelivered): Promise<void>;
  /** A note in the tracking message's thread (the channel itself stays quiet). */
  inThread(client: WebClient, memo: MemoView, text: string, undelivered: Undelivered): Promise<void>;
  /** The owner's DM with the prompt, relevant facts and a Write button; a failure is listed in the thread. */
  dmOwner(client: WebClient, memo: MemoView, section: SectionView, undelivered: Undelivered, reminder?: boolean): Promise<void>;
  /** An approver's DM with the Approve button; a failure is listed in the thread. */
  dmApprover(client: WebClient, memo: MemoView, approver: string, requestedBy: string, undelivered: Undelivered): Promise<void>;
}

/** The memo notices over the app's client. */
export function makeMemoNotices(deps: Pick<ListenerDeps, "services" | "timeZone" | "logger">): MemoNotices {
  const inThread: MemoNotices["inThread"] = async (client, memo, text, undelivered) => {
    if (!memo.channel || !memo.trackingTs) return;
    try {
      await postInChannel(client, { channel: memo.channel, thread_ts: memo.trackingTs, ...noticeMessage(text) });
    } catch (error) {
      undelivered.add(`I couldn't post in the memo's thread in <#${memo.channel}>: ${describePostFailure(slackErrorCode(error))}`);
    }
  };

  /** A DM that could not go out: said in the memo's thread, or to the person who acted when there is no thread. */
  const dmFailed = async (client: WebClient, memo: MemoView, user: string, error: unknown, undelivered: Undelivered) => {
    const reason = describeDmFailure(slackErrorCode(error));
    deps.logger.warn(`DM to ${user} for memo #${memo.id} failed: ${slackErrorCode(error)}`);
    const line = `could not DM <@${user}>: ${reason}`;
    if (memo.channel && memo.trackingTs) await inThread(client, memo, `:warning: I ${line}.`, undelivered);
    else undelivered.add(`I ${line}`);
  };

  return {
    refreshTracking: async (client, memo, undelivered) => {
      if (!memo.channel || !memo.trackingTs) return;
      try {
        await client.chat.update({ channel: memo.channel, ts: memo.trackingTs, ...trackingMessage(memo, deps.timeZone, await deps.services.memos.memoNames(memo)) });
      } catch (error) {
        undelivered.add(`I couldn't update the tracking message in <#${memo.channel}>: ${describePostFailure(slackErrorCode(error))}`);
      }
    },
    inThread,
    dmOwner: async (client, memo, section, undelivered, reminder = false) => {
      if (!section.ownerId) return;
      const [facts, names] = await Promise.all([relevantFacts(deps, section), deps.services.memos.memoNames(memo)]);
      try {
        await client.chat.postMessage({ channel: section.ownerId, ...ownerMessage(memo, section, facts, deps.timeZone, names, reminder) });
      } catch (error) {
        await dmFailed(client, memo, section.ownerId, error, undelivered);
      }
    },
    dmApprover: async (client, memo, approver, requestedBy, undelivered) => {
      try {
        await client.chat.postMessage({ channel: approver, ...approvalRequestMessage(memo, requestedBy, await deps.services.memos.memoNames(memo)) });
      } catch (error) {
        await dmFailed(client, memo, approver, error, undelivered);
      }
    },
  };
}
