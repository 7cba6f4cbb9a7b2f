/**
 * The background web work: at each tick, poll the feeds that are due and archive a few queued cited pages.
 * {@link runWebWork} is one tick's worth; the delivery scheduler's tick calls it first (src/scheduled-posts.ts wires
 * it), in the bot and in `korus scheduler run-once`, never in a Slack request's path.
 */
import type { Logger } from "../logger.js";
import { type ArchiveOutcome, drainArchiveQueue } from "../sources/archive.js";
import type { FeedDeps } from "./deps.js";
import { type PollOutcome, pollDueFeeds } from "./poll.js";

/** Pages archived per tick at most (each may take a fetch and a parse of up to a few hundred milliseconds). */
export const ARCHIVE_PER_TICK = 3;

/** One tick of web work: due feeds polled, then queued pages archived. A failure of one half does not stop the other. */
export async function runWebWork(deps: FeedDeps, now: Date, logger?: Pick<Logger, "error">): Promise<{ polled: PollOutcome[]; archived: ArchiveOutcome[] }> {
  let polled: PollOutcome[] = [];
  let archived: ArchiveOutcome[] = [];
  try {
    polled = await pollDueFeeds(deps, now);
  } catch (error) {
    logger?.error("feeds: polling failed (will try again next tick):", error);
  }
  try {
    archived = await drainArchiveQueue(deps, now, { limit: ARCHIVE_PER_TICK });
  } catch (error) {
    logger?.error("sources: archiving failed (will try again next tick):", error);
  }
  return { polled, archived };
}
