/**
 * `/korus feeds ...` and `/korus candidates ...` after the ack, answered to the user who typed them: the feeds with
 * their last poll and the candidates waiting, a feed added (checked by fetching it once, which may take seconds: the
 * user hears it is being checked first) or removed, and the candidates waiting as their review cards. A feed's review
 * channel is the one named, else the one the command was typed in.
 */
import type { RespondFn } from "@slack/bolt";
import type { CommandOf } from "../../commands/registry.js";
import { CANDIDATES_USAGE, FEEDS_USAGE } from "../../commands/feed-commands.js";
import { FeedError } from "../../feeds/deps.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { parseTopic, TopicError } from "../../topics/slug.js";
import type { SlackDeps } from "../app.js";
import { SLACK_CHANNEL_ID, SLACK_CHANNEL_MENTION, SLACK_CONVERSATION_ID } from "../ids.js";
import { candidateListMessage, feedAddedMessage, feedListMessage, feedRemovedMessage, MAX_LISTED_CANDIDATES } from "../views/feeds.js";
import { noticeMessage } from "../views/facts.js";
import { usageMessage } from "../views/help.js";
import type { SlackMessage } from "../views/status.js";

type FeedCommand = CommandOf<"feeds-list" | "feeds-add" | "feeds-remove" | "candidates-list">;

/** What `/korus feeds add` was given, read from its words; a string says what is wrong. */
export function readFeedAdd(words: readonly string[], typedIn: string): { url: string; topic?: string; channels: string[]; keywords?: string } | string {
  const [first, ...rest] = words;
  if (!first) return "`feeds add` needs the feed's address.";
  // Slack sends a typed link as <https://…> or <https://…|label>.
  const url = /^<(https?:\/\/[^|>]+)(?:\|[^>]*)?>$/i.exec(first)?.[1] ?? first;
  const out: { url: string; topic?: string; channels: string[]; keywords?: string } = { url, channels: [] };
  for (const word of rest) {
    const option = /^(keywords|topic|channel)[:=](.*)$/is.exec(word);
    if (option) {
      const key = option[1]!.toLowerCase();
      if (key === "keywords") out.keywords = out.keywords ? `${out.keywords},${option[2]}` : option[2]!;
      else if (key === "topic") out.topic = option[2]!;
      else {
        // channel:C0123ABCD or channel:<#C0123ABCD|name> (a mention inside a word stays as Slack wrote it), comma-separated.
        for (const typed of option[2]!
          .split(",")
          .map((c) => c.trim())
          .filter(Boolean)) {
          const id = SLACK_CHANNEL_MENTION.exec(typed)?.[1] ?? typed;
          if (!SLACK_CONVERSATION_ID.test(id)) return `\`${typed.slice(0, 40)}\` is not a Slack channel id: write it like C0123ABCD, or pick the channel from the # menu.`;
          out.channels.push(id);
        }
      }
    } else if (SLACK_CONVERSATION_ID.test(word)) out.channels.push(word);
    else if (out.topic === undefined) out.topic = word;
    else return `\`${word.slice(0, 40)}\`: a feed has one topic (\`${out.topic.slice(0, 40)}\` is given); a channel is written #channel, keywords as keywords:Korea,KORUS.`;
  }
  if (out.channels.length === 0 && SLACK_CHANNEL_ID.test(typedIn)) out.channels.push(typedIn);
  return out;
}

/** Runs one of these commands for `user` in `channel`. */
export async function runFeedCommand(deps: Pick<SlackDeps, "services" | "timeZone">, command: FeedCommand, ctx: { user: string; channel: string; respond: RespondFn }): Promise<void> {
  const reply = (message: SlackMessage) => ctx.respond({ response_type: "ephemeral", replace_original: false, text: message.text, blocks: message.blocks });
  const usage = command.name === "candidates-list" ? CANDIDATES_USAGE : FEEDS_USAGE;
  try {
    switch (command.name) {
      case "feeds-list": {
        if (command.words.length > 0) return void (await reply(usageMessage(`\`feeds\` takes nothing more; \`${command.words[0]!.slice(0, 40)}\` is not a feeds command.`, FEEDS_USAGE)));
        const [feeds, pending] = await Promise.all([deps.services.feeds.listFeeds(), deps.services.feeds.pendingCounts()]);
        await reply(feedListMessage(feeds, pending, deps.timeZone));
        return;
      }
      case "feeds-add": {
        const input = readFeedAdd(command.words, ctx.channel);
        if (typeof input === "string") return void (await reply(usageMessage(input, FEEDS_USAGE)));
        const addFeed = deps.services.feeds.addFeed;
        if (!addFeed) throw new FeedError("invalid", "this bot was started without its fetch settings; add the feed with `npx korus feeds add`");
        await reply(noticeMessage(`:hourglass_flowing_sand: Checking ${escapeMrkdwn(input.url.slice(0, 200))} (fetched once: a feed the bot cannot read is refused now, not at its first poll)…`));
        const { feed, check } = await addFeed(
          { url: input.url, channels: input.channels, ...(input.topic ? { topic: input.topic } : {}), ...(input.keywords ? { keywords: input.keywords } : {}) },
          ctx.user,
        );
        await reply(feedAddedMessage(feed, check));
        return;
      }
      case "feeds-remove": {
        const id = /^#?(\d{1,9})$/.exec(command.words[0] ?? "")?.[1];
        if (!id || command.words.length > 1) return void (await reply(usageMessage("`feeds remove` takes the feed's number (`/korus feeds` shows them).", FEEDS_USAGE)));
        const { feed, dismissed } = await deps.services.feeds.removeFeed(Number(id), ctx.user);
        await reply(feedRemovedMessage(feed, dismissed));
        return;
      }
      case "candidates-list": {
        if (command.words.length > 1) return void (await reply(usageMessage("`candidates` takes at most a topic.", CANDIDATES_USAGE)));
        const topic = command.words[0] ? parseTopic(command.words[0]) : undefined;
        const { candidates, total } = await deps.services.feeds.listCandidates({ state: "pending", limit: MAX_LISTED_CANDIDATES, ...(topic ? { topic } : {}) });
        await reply(candidateListMessage(candidates, total, topic));
        return;
      }
    }
  } catch (error) {
    if (error instanceof FeedError && error.code !== "not_found" && error.code !== "conflict") {
      const field = error.field ? `${error.field === "url" ? "URL" : `${error.field[0]!.toUpperCase()}${error.field.slice(1)}`}: ` : "";
      return void (await reply(noticeMessage(`:no_entry: ${escapeMrkdwn(`${field}${error.message}`)}`)));
    }
    if (error instanceof FeedError) return void (await reply(noticeMessage(`:thinking_face: ${escapeMrkdwn(error.message.replace(/korus (feeds|candidates) list/g, "/korus $1"))}`)));
    if (error instanceof TopicError) return void (await reply(usageMessage(error.message, usage)));
    throw error;
  }
}
