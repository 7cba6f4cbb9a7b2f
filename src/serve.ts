/**
 * Serving Slack (HTTP or Socket Mode) on an open database: the Bolt app, the health checks, the scheduler (src/delivery) and
 * the memo reminders, and how they close. main.ts loads this module only when it serves Slack, while the database
 * opens.
 */
import { Cron } from "croner";
import { createScheduler, schedulerSettings } from "./scheduled-posts.js";
import { formatDuration } from "./delivery/scheduler.js";
import { systemClock } from "./clock.js";
import type { Config, SlackMode } from "./config.js";
import type { Database } from "./db/client.js";
import type { BotHttpServer, GetRoute } from "./health.js";
import type { Logger } from "./logger.js";
import { analyzeGrownTables } from "./db/maintenance.js";
import { closeOnSignals, sinceStart } from "./runtime.js";
import { createSlackHttpApp, createSlackSocketApp, type SlackJobs } from "./slack/app.js";
import { BotIdentity, type SlackIdentity } from "./slack/identity.js";
import type { TemplateStore } from "./memos/templates/store.js";
import { formatProblem } from "./memos/templates/template.js";
import { deferredTemplateStore } from "./template-store.js";
import { CALENDAR_PREFIX } from "./calendar/feed.js";
import { createBotFactsAsOfCache, type FactsAsOfCache } from "./facts/as-of-cache.js";
import { answerCommands } from "./cli/answers-server.js";
import { StatusCache } from "./status/cache.js";
import { createSlackServices } from "./commands/services-slack.js";

export { refusedTokenMessage, watchBotToken } from "./slack/token-check.js";

/** What serving needs from main.ts. */
export interface ServeContext {
  config: Config;
  slack: Exclude<SlackMode, { kind: "console" }>;
  db: Database;
  logger: Logger;
  /** Lines the operator reads whatever LOG_LEVEL says. */
  say: (line: string) => void;
  /** The HTTP server main.ts started before the database opened (health checks, and Slack's requests in HTTP mode). */
  http: BotHttpServer;
  /** Stops whatever else main.ts started (the token check) when the bot closes. */
  onClose: () => void;
  /** The bot's identity once Slack accepts the token (main.ts's token check): kept, and used by Bolt's authorize. */
  slackIdentity?: Promise<SlackIdentity>;
}

/**
 * GET /calendar/<token>.ics, its code (ical-generator) loaded with the first such request rather than at start: a
 * status needs none of it.
 */
function calendarRoute(ctx: ServeContext): GetRoute {
  let route: Promise<GetRoute> | undefined;
  return async (pathname, req, res) => {
    if (!pathname.startsWith(CALENDAR_PREFIX)) return false;
    route ??= import("./calendar/http.js").then(({ makeCalendarRoute }) => makeCalendarRoute({ prisma: () => ctx.db.prisma, clock: systemClock, timeZone: ctx.config.timeZone, logger: ctx.logger }));
    return (await route)(pathname, req, res);
  };
}

/** Nudges owners of unfinished memo sections every five minutes (the database makes it once per section per day). */
function startReminders(ctx: ServeContext, jobs: SlackJobs): { stop(): void } {
  const job = new Cron("*/5 * * * *", { protect: true }, async () => {
    try {
      const sent = await jobs.sendMemoReminders(ctx.config.memoReminderLeadHours * 3600_000);
      if (sent > 0) ctx.logger.info(`sent ${sent} memo reminder(s)`);
    } catch (error) {
      ctx.logger.error("memo reminders failed:", error);
    }
  });
  return { stop: () => job.stop() };
}

/**
 * Looks up people's names not known yet or stale, every five minutes and once at start (users.info, paced by
 * src/slack/people.ts): names the console or the `korus` command asked about, and lookups that failed.
 */
function startPeopleRefresh(ctx: ServeContext, jobs: SlackJobs): { stop(): void } {
  const round = async () => {
    try {
      const looked = await jobs.refreshPeople();
      if (looked > 0) ctx.logger.debug(`looked up ${looked} name(s)`);
    } catch (error) {
      ctx.logger.error("looking up people's names failed:", error);
    }
  };
  const job = new Cron("*/5 * * * *", { protect: true }, round);
  void round();
  return { stop: () => job.stop() };
}

/**
 * The embedded database's planner statistics, refreshed hourly when a fact table has grown past them (PGlite runs no
 * autovacuum; a PostgreSQL server does this itself).
 */
function startStatistics(ctx: ServeContext): { stop(): void } {
  const job = new Cron("17 * * * *", { protect: true }, async () => {
    try {
      const analyzed = await analyzeGrownTables(ctx.db);
      if (analyzed.length > 0) ctx.logger.info(`refreshed the planner's statistics of ${analyzed.join(", ")}`);
    } catch (error) {
      ctx.logger.error("refreshing the planner's statistics failed:", error);
    }
  });
  return { stop: () => job.stop() };
}

/**
 * Starts the scheduler of briefs, deadline alerts and the web work (feeds polled, cited pages archived) (HTTP and
 * Socket Mode alike; never in the local console).
 */
function startScheduler(ctx: ServeContext, templates: TemplateStore, asOfCache: FactsAsOfCache) {
  const scheduler = createScheduler(ctx.config, ctx.db, ctx.logger, templates, { asOfCache });
  scheduler.start();
  const s = schedulerSettings(ctx.config);
  const kinds = scheduler.kinds.map((k) => k.name).join(", ");
  const web = ctx.config.fetching.background ? "feeds and cited pages" : "none (KORUS_WEB_FETCH=off)";
  ctx.say(
    `scheduler started as ${scheduler.instanceId} (posts: ${kinds}; web work: ${web}; tick ${formatDuration(s.tickMs)}, claim timeout ${formatDuration(s.claimTimeoutMs)}, grace ${formatDuration(s.graceMs)})`,
  );
  return scheduler;
}

/** Serves Slack until SIGTERM or SIGINT, then closes everything, the database last. */
export async function serve(ctx: ServeContext): Promise<void> {
  const { config, db, logger } = ctx;
  // Read and checked once the first status can be answered (below); a memo or brief asked for sooner reads them then.
  const templates = deferredTemplateStore();
  // The facts as known on a day, read once per store version and shared by Slack's memos and briefs and the scheduler.
  // While a `korus` command holds the embedded database, the version read before the hold stands (src/facts/as-of-cache.ts).
  const asOfCache = createBotFactsAsOfCache(db, { timeZone: config.timeZone, clock: systemClock });
  // One status cache for Slack and the answers socket: the status Slack's start warms is the one `korus status` gets.
  const statusCache = new StatusCache(asOfCache.version);
  const settings = { clock: systemClock, logger, timeZone: config.timeZone, admins: config.admins, templates, ...(config.memoBanner ? { memoBanner: config.memoBanner } : {}) };
  // The Slack adapter's services and stores, built once here: src/slack never holds the database.
  const services = createSlackServices({ db, ...settings, asOfCache, statusCache, fetching: config.fetching });
  const deps = { ...settings, services };
  // What has started so far, stopped in reverse when a signal comes (it may come before everything has started).
  const stops: Array<() => Promise<void> | void> = [() => db.close(), () => ctx.http.close(), () => ctx.onClose()];
  closeOnSignals(async () => {
    for (const stop of stops.reverse()) await stop();
  }, logger);
  if (config.watchTemplates) {
    const stopWatching = templates.watch((result) => {
      if (result instanceof Error) logger.error(`templates: reload failed, keeping the last good set: ${result.message}`);
      else {
        logger.info(`templates: reloaded (${result.problems.length} problem${result.problems.length === 1 ? "" : "s"})`);
        for (const p of result.problems) logger.warn(`template problem: ${formatProblem(p)}`);
      }
    });
    stops.push(stopWatching);
  }
  // Requests are authorized from what is known of the bot (configuration, else the last auth.test), never by waiting
  // for Slack; Slack's answer to the token check replaces it when it comes.
  const identity = await BotIdentity.open({ token: ctx.slack.botToken, logger, store: services.identityStore, configured: ctx.slack.botIdentity });
  logger.info(`bot identity: ${identity.describe()}`);
  void ctx.slackIdentity?.then((answer) => identity.learned(answer, new Date()));
  // Before Slack is said to be served: from then on a `korus status` beside this bot is answered by it.
  const stopAnswers = await answerCommands(ctx, statusCache);
  if (stopAnswers) stops.push(stopAnswers);
  let jobs: SlackJobs;
  const calendar = calendarRoute(ctx);
  if (ctx.slack.kind === "http") {
    const slack = createSlackHttpApp(deps, { ...ctx.slack, slackApiUrl: config.slackApiUrl, identity });
    stops.push(() => slack.close());
    ctx.http.ready(db, slack.handle, calendar);
    ctx.say(`serving Slack over HTTP on port ${ctx.http.port}: POST /slack/events, GET /healthz, GET /readyz, GET /calendar/<token>.ics`);
    jobs = slack.jobs;
  } else {
    const { app, jobs: socketJobs } = createSlackSocketApp(deps, { ...ctx.slack, slackApiUrl: config.slackApiUrl, identity });
    stops.push(async () => {
      await app.stop();
    });
    await app.start();
    ctx.http.ready(db, undefined, calendar);
    ctx.say(`connected to Slack over Socket Mode; health checks on port ${ctx.http.port}: GET /healthz, GET /readyz, GET /calendar/<token>.ics`);
    jobs = socketJobs;
  }
  logger.debug(`startup: serving at ${sinceStart()} ms`);
  // What the first user asks for is ready before the scheduler's first tick takes its turn.
  await jobs.warmUp();
  logger.debug(`startup: status warmed up at ${sinceStart()} ms`);
  const loaded = await templates.ready();
  for (const p of loaded.problems) logger.warn(`template problem: ${formatProblem(p)}`);
  logger.debug(`startup: ${loaded.templates.length} templates loaded and checked at ${sinceStart()} ms`);
  const scheduler = startScheduler(ctx, templates, asOfCache);
  stops.push(() => scheduler.stop());
  const reminders = startReminders(ctx, jobs);
  stops.push(() => reminders.stop());
  const people = startPeopleRefresh(ctx, jobs);
  stops.push(() => people.stop());
  if (db.kind === "pglite") {
    const statistics = startStatistics(ctx);
    stops.push(() => statistics.stop());
  }
}
