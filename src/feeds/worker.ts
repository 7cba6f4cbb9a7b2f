/**
 * The background web work of a serving bot: at each tick, poll the feeds that are due and archive a few queued cited
 * pages. {@link runWebWork} is one tick (the entry point `korus scheduler run-once` uses, and the one the delivery
 * scheduler's tick should call once it drives every kind of job); {@link startWebWork} runs it on a timer beside the
 * brief scheduler (serve.ts), never in a Slack request's path.
 */
import { Cron } from "croner";
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

/** Runs {@link runWebWork} every `tickMs` (at least a second) until stopped; a tick still running is not doubled. */
export function startWebWork(deps: FeedDeps, tickMs: number, logger: Pick<Logger, "error">): { stop(): Promise<void> } {
  let running: Promise<unknown> | undefined;
  let stopped = false;
  const tick = () => {
    if (stopped || running) return;
    running = runWebWork(deps, deps.clock.now(), logger).finally(() => {
      running = undefined;
    });
  };
  const job = new Cron("* * * * * *", { interval: Math.max(1, Math.round(tickMs / 1000)), protect: true, unref: true }, tick);
  tick();
  return {
    stop: async () => {
      stopped = true;
      job.stop();
      await running?.catch(() => undefined);
    },
  };
}
