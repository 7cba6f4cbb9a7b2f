/**
 * `/korus feeds ...` and `/korus candidates ...`: their declarations for the registry (src/commands/registry.ts).
 * Slack lists, adds and removes feeds and lists the candidates waiting (each with its review buttons); polling now and
 * deciding a candidate by number are the console's and the `korus` command's (in Slack the bot polls on its own and
 * the buttons decide). The words are read by each adapter (src/slack/listeners/feeds.ts, src/cli/feeds-text.ts).
 */
import { type CommandSpec, rawArgs } from "./spec.js";

export const FEEDS_USAGE = "/korus feeds [list] · /korus feeds add URL [topic] [#channel] [keywords:Korea,KORUS] · /korus feeds remove ID";
export const CANDIDATES_USAGE = "/korus candidates [list] [topic]";
const BUTTONS_ELSEWHERE = "In Slack, the buttons on each card of `/korus candidates` (and in the review channel) decide it.";

/** The feed and candidate commands, in the order help lists them. */
export const FEED_COMMANDS = {
  "feeds-list": {
    path: ["feeds", "list"],
    summary: "the watched feeds with their last poll and candidates waiting",
    also: [["feeds", "ls"]],
    usage: FEEDS_USAGE,
    help: {
      usage: FEEDS_USAGE,
      description:
        "The watched feeds (RSS, Atom, JSON Feed, the Federal Register search) with their last poll and the candidates waiting; add one for a topic (it is fetched once to check it; its candidates are reviewed in the channel you name, else this one; with keywords only the items naming one); stop watching one.",
      example: "/korus feeds",
    },
    ack: "queued",
    args: rawArgs,
    groupDefault: true,
  },
  "feeds-add": { path: ["feeds", "add"], summary: "watch a feed for a topic", usage: FEEDS_USAGE, ack: "queued", args: rawArgs },
  "feeds-remove": { path: ["feeds", "remove"], summary: "stop watching a feed", also: [["feeds", "delete"]], usage: FEEDS_USAGE, ack: "queued", args: rawArgs },
  "feeds-poll": {
    path: ["feeds", "poll"],
    summary: "poll the feeds now",
    usage: "feeds poll [ID...]",
    ack: "queued",
    args: rawArgs,
    surfaces: ["console"],
    elsewhere: "The bot polls each feed on its own schedule; `npx korus feeds poll` polls now.",
  },
  "candidates-list": {
    path: ["candidates", "list"],
    summary: "feed items waiting for review",
    usage: CANDIDATES_USAGE,
    help: {
      usage: CANDIDATES_USAGE,
      description: "The feed items waiting for review (only you see them), newest first, each with Save as fact, Dismiss and Not relevant.",
      example: "/korus candidates",
    },
    ack: "queued",
    args: rawArgs,
    groupDefault: true,
  },
  "candidates-show": {
    path: ["candidates", "show"],
    summary: "one candidate and the fact it would become",
    usage: "candidates show ID",
    ack: "queued",
    args: rawArgs,
    surfaces: ["console"],
    elsewhere: BUTTONS_ELSEWHERE,
  },
  "candidates-accept": {
    path: ["candidates", "accept"],
    summary: "save a candidate as a fact",
    usage: "candidates accept ID [--kind K]",
    ack: "queued",
    args: rawArgs,
    surfaces: ["console"],
    elsewhere: BUTTONS_ELSEWHERE,
  },
  "candidates-dismiss": {
    path: ["candidates", "dismiss"],
    summary: "dismiss a candidate",
    usage: "candidates dismiss ID [--not-relevant]",
    ack: "queued",
    args: rawArgs,
    surfaces: ["console"],
    elsewhere: BUTTONS_ELSEWHERE,
  },
} as const satisfies Record<string, CommandSpec>;
