/**
 * The kinds of scheduled post this bot delivers, registered in one place ({@link postKinds}: a new kind is a file
 * implementing src/delivery/post-kind.ts and one line here), and the delivery scheduler wired from the configuration:
 * its settings, its clock (with the testing offset), the tick's other work, and the Slack transport when there is a
 * bot token. Used by serve.ts (HTTP and Socket Mode) and by `korus scheduler run-once`.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { deadlineAlertKind } from "./alerts/alert-kind.js";
import type { BriefDeps } from "./briefs/brief.js";
import { briefKind } from "./briefs/brief-kind.js";
import { type Clock, systemClock } from "./clock.js";
import type { Config } from "./config.js";
import type { Database } from "./db/client.js";
import type { PostKind } from "./delivery/post-kind.js";
import { feedCandidateKind } from "./feeds/candidate-kind.js";
import { DEFAULT_SCHEDULER_SETTINGS, DeliveryScheduler, type DeliverySchedulerDeps, type SchedulerSettings } from "./delivery/scheduler.js";
import type { FactsAsOfCache } from "./facts/as-of-cache.js";
import type { Logger } from "./logger.js";
import type { TemplateStore } from "./memos/templates/store.js";
import { createSlackTransport } from "./slack/post-transport.js";

/** Every kind of scheduled post, in the order a tick plans them. */
export function postKinds(deps: BriefDeps): PostKind[] {
  return [briefKind(deps), deadlineAlertKind(deps), feedCandidateKind()] as PostKind[];
}

/** What the scheduler of the bot's posts needs: what briefs are built from, and the delivery machine's own needs. */
export type PostSchedulerDeps = BriefDeps & Omit<DeliverySchedulerDeps, "kinds" | "prisma" | "clock">;

/** The delivery scheduler with every kind of post registered. */
export function createPostScheduler(deps: PostSchedulerDeps): DeliveryScheduler {
  return new DeliveryScheduler({ ...deps, kinds: postKinds(deps) });
}

/** The scheduler's settings: the configuration's, else the defaults. */
export function schedulerSettings(config: Config): SchedulerSettings {
  return {
    tickMs: config.briefTickMs ?? DEFAULT_SCHEDULER_SETTINGS.tickMs,
    claimTimeoutMs: config.briefClaimTimeoutMs ?? DEFAULT_SCHEDULER_SETTINGS.claimTimeoutMs,
    graceMs: config.briefGraceMs ?? DEFAULT_SCHEDULER_SETTINGS.graceMs,
  };
}

/** A clock `offsetMs` ahead of `base` (KORUS_CLOCK_OFFSET_MS, for tests of real processes). */
export function offsetClock(base: Clock, offsetMs: number): Clock {
  return offsetMs === 0 ? base : { now: () => new Date(base.now().getTime() + offsetMs) };
}

/** A name for this process in claims: host, pid and a random suffix (a restarted process is someone else). */
export function newInstanceId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString("hex")}`;
}

/** The bot token, when the configuration has one. */
export function botTokenOf(config: Config): string | undefined {
  return config.slack.kind === "console" ? undefined : config.slack.botToken;
}

/**
 * The tick's web work (src/feeds/worker.ts: due feeds polled, queued cited pages archived), as lines for run-once;
 * nothing when KORUS_WEB_FETCH=off. Its modules load at the first tick: nothing of it is needed to start.
 */
export function webTickWork(config: Config, db: Database, clock: Clock, instanceId: string, logger: Logger): (now: Date) => Promise<string[]> {
  return async (now) => {
    if (!config.fetching.background) return [];
    const [{ runWebWork }, { feedDepsFrom }] = await Promise.all([import("./feeds/worker.js"), import("./feeds/deps.js")]);
    const { polled, archived } = await runWebWork(feedDepsFrom(config, db.prisma, clock, instanceId, logger), now, logger);
    if (polled.length === 0 && archived.length === 0) return [];
    // The lines' wording loads only when there is something to say (it brings the feed parsers with it).
    const { pollOutcomeLine, archiveOutcomeLine } = await import("./feeds/markdown.js");
    return [...polled.map((o) => `feed ${pollOutcomeLine(o, config.timeZone)}`), ...archived.map((o) => `cited page ${archiveOutcomeLine(o)}`)];
  };
}

/**
 * The scheduler for this process, its tick doing the web work too. Without a bot token it plans and queues posts but sends nothing (the caller says
 * so). `clock` defaults to the machine's, shifted by KORUS_CLOCK_OFFSET_MS.
 */
export function createScheduler(
  config: Config,
  db: Database,
  logger: Logger,
  templates: TemplateStore,
  options: { clock?: Clock; instanceId?: string; asOfCache?: FactsAsOfCache } = {},
): DeliveryScheduler {
  const settings = schedulerSettings(config);
  const instanceId = options.instanceId ?? newInstanceId();
  const token = botTokenOf(config);
  const clock = options.clock ?? offsetClock(systemClock, config.clockOffsetMs ?? 0);
  return createPostScheduler({
    prisma: db.prisma,
    clock,
    timeZone: config.timeZone,
    templates,
    ...(options.asOfCache ? { asOfCache: options.asOfCache } : {}),
    tickWork: webTickWork(config, db, clock, instanceId, logger),
    logger,
    instanceId,
    settings,
    ...(token
      ? {
          transport: createSlackTransport({
            token,
            ...(config.slackApiUrl ? { slackApiUrl: config.slackApiUrl } : {}),
            // A request must end well before its claim could be taken over.
            timeoutMs: Math.min(30_000, Math.floor(settings.claimTimeoutMs / 2)),
            instanceId,
          }),
        }
      : {}),
  });
}
