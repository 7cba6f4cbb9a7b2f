/**
 * What the feed and archive services need, and how to make it from the configuration: the database, a clock, the team's
 * time zone, the fetch policy (the operator's exceptions, a User-Agent) and the pacing.
 */
import type { Clock } from "../clock.js";
import type { Config, FetchSettings } from "../config.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Logger } from "../logger.js";
import type { FetchContext, FetchLimits } from "../net/safe-fetch.js";
import { KorusError } from "../errors.js";

/** The User-Agent every fetch sends: who is asking, so that a site's operator can tell. */
export const USER_AGENT = "korus-bot/0.1 (feed reader and page archiver for a trade-policy team; +https://github.com/korus-bot)";

/** What the feed services need. */
export interface FeedDeps {
  prisma: PrismaClient;
  clock: Clock;
  /** The team's time zone (KORUS_TZ): an item's day is its day there. */
  timeZone: string;
  fetch: FetchContext;
  settings: Pick<FetchSettings, "feedIntervalMs" | "hostIntervalMs">;
  /** Names this process in claims (several instances poll one database). */
  instanceId: string;
  logger?: Pick<Logger, "info" | "warn">;
  /** Waits (the terminal waits for a host's turn); tests pass one that does not. */
  sleep?: (ms: number) => Promise<void>;
  /** Overrides of the fetch limits (tests use small ones). */
  limits?: Partial<FetchLimits>;
}

/** The feed services' dependencies from the configuration. */
export function feedDepsFrom(config: Pick<Config, "timeZone" | "fetching">, prisma: PrismaClient, clock: Clock, instanceId: string, logger?: FeedDeps["logger"]): FeedDeps {
  return {
    prisma,
    clock,
    timeZone: config.timeZone,
    fetch: { allow: config.fetching.allow, userAgent: USER_AGENT },
    settings: { feedIntervalMs: config.fetching.feedIntervalMs, hostIntervalMs: config.fetching.hostIntervalMs },
    instanceId,
    ...(logger ? { logger } : {}),
  };
}

/** Why a feed or candidate operation was refused; `field` names the input at fault when there is one. */
export class FeedError extends KorusError<"invalid" | "not_found" | "conflict" | "unreachable"> {
  constructor(
    code: "invalid" | "not_found" | "conflict" | "unreachable",
    message: string,
    readonly field?: string,
  ) {
    super(code, message);
  }
}
