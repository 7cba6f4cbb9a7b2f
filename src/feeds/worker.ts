/**
 * The background web work: at each tick, poll the feeds that are due and archive a few queued cited pages.
 * {@link runWebWork} is one tick's worth; the delivery scheduler's tick calls it first (src/scheduled-posts.ts wires
 * it), in the bot and in `korus scheduler run-once`, never in a Slack request's path.
 */
import type { Logger } from "../logger.js";
import type { ArchiveOutcome } from "../sources/archive.js";
import type { FeedDeps } from "./deps.js";
import type { PollOutcome } from "./poll.js";

/** Pages archived per tick at most (each may take a fetch and a parse of up to a few hundred milliseconds). */
export const ARCHIVE_PER_TICK = 3;

/**
 * Whether any feed is due for a poll and any cited page due for archiving at `now` (claimed ones not counted): a tick
 * with nothing to do loads neither the feed parsers nor the page reader (about 4 MB of code and its heap, measured in
 * the bot's heap snapshot after the bench's load: issue 25).
 */
async function dueWork(deps: FeedDeps, now: Date): Promise<{ feeds: boolean; pages: boolean }> {
  const unclaimed = [{ claimedUntil: null }, { claimedUntil: { lt: now } }];
  const [feed, page] = await Promise.all([
    deps.prisma.feed.findFirst({ where: { removedAt: null, nextPollAt: { lte: now }, OR: unclaimed }, select: { id: true } }),
    deps.prisma.sourcePage.findFirst({ where: { state: "queued", nextAttemptAt: { lte: now }, OR: unclaimed }, select: { id: true } }),
  ]);
  return { feeds: feed !== null, pages: page !== null };
}

/** One tick of web work: due feeds polled, then queued pages archived. A failure of one half does not stop the other. */
export async function runWebWork(deps: FeedDeps, now: Date, logger?: Pick<Logger, "error">): Promise<{ polled: PollOutcome[]; archived: ArchiveOutcome[] }> {
  let polled: PollOutcome[] = [];
  let archived: ArchiveOutcome[] = [];
  let due = { feeds: true, pages: true };
  try {
    due = await dueWork(deps, now);
  } catch (error) {
    logger?.error("feeds: could not read what is due (will try again next tick):", error);
    return { polled, archived };
  }
  try {
    if (due.feeds) polled = await (await import("./poll.js")).pollDueFeeds(deps, now);
  } catch (error) {
    logger?.error("feeds: polling failed (will try again next tick):", error);
  }
  try {
    if (due.pages) archived = await (await import("../sources/archive.js")).drainArchiveQueue(deps, now, { limit: ARCHIVE_PER_TICK });
  } catch (error) {
    logger?.error("sources: archiving failed (will try again next tick):", error);
  }
  return { polled, archived };
}
