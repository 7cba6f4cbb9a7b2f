/**
 * Wires the brief scheduler from the configuration: its settings, its clock (with the testing offset), and the Slack
 * transport when there is a bot token. Used by main.ts (HTTP and Socket Mode) and by `korus scheduler run-once`.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { BriefScheduler, DEFAULT_SCHEDULER_SETTINGS, type SchedulerSettings } from "./briefs/scheduler.js";
import { type Clock, systemClock } from "./clock.js";
import type { Config } from "./config.js";
import type { Database } from "./db/client.js";
import type { FactsAsOfCache } from "./facts/as-of-cache.js";
import type { Logger } from "./logger.js";
import type { TemplateStore } from "./memos/templates/store.js";
import { createSlackTransport } from "./slack/brief-transport.js";

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
 * The scheduler for this process. Without a bot token it plans and builds briefs but posts nothing (the caller says
 * so). `clock` defaults to the machine's, shifted by KORUS_CLOCK_OFFSET_MS.
 */
export function createBriefScheduler(
  config: Config,
  db: Database,
  logger: Logger,
  templates: TemplateStore,
  options: { clock?: Clock; instanceId?: string; asOfCache?: FactsAsOfCache } = {},
): BriefScheduler {
  const settings = schedulerSettings(config);
  const instanceId = options.instanceId ?? newInstanceId();
  const token = botTokenOf(config);
  return new BriefScheduler({
    prisma: db.prisma,
    clock: options.clock ?? offsetClock(systemClock, config.clockOffsetMs ?? 0),
    timeZone: config.timeZone,
    templates,
    ...(options.asOfCache ? { asOfCache: options.asOfCache } : {}),
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
