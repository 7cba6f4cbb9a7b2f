/**
 * Composition root: configuration -> database -> Slack (HTTP or Socket Mode) or the local console.
 * The only module that reads process.env for the bot.
 */
import { systemClock } from "./clock.js";
import { createLogger } from "./logger.js";
import { closeOnSignals, loadConfigOrExit, openReadyDatabase } from "./runtime.js";
import { runConsole } from "./cli/console.js";
import { runTextCommand } from "./cli/text-commands.js";
import { Cron } from "croner";
import { createSlackHttpServer, createSlackSocketApp, type SlackJobs } from "./slack/app.js";
import { createBriefScheduler, schedulerSettings } from "./brief-scheduler.js";
import { formatDuration } from "./briefs/scheduler.js";
import type { Database } from "./db/client.js";

const config = loadConfigOrExit(process.env);
const interactive = Boolean(process.stdin.isTTY);
// The console's answers go to stdout; keep the log to warnings there unless asked for more.
const logger = createLogger(config.slack.kind === "console" && config.logLevel === "info" ? "warn" : config.logLevel);
const say = (line: string) => process.stderr.write(`${line}\n`);

/** Nudges owners of unfinished memo sections every five minutes (the database makes it once per section per day). */
function startReminders(jobs: SlackJobs): { stop(): void } {
  const job = new Cron("*/5 * * * *", { protect: true }, async () => {
    try {
      const sent = await jobs.sendMemoReminders(config.memoReminderLeadHours * 3600_000);
      if (sent > 0) logger.info(`sent ${sent} memo reminder(s)`);
    } catch (error) {
      logger.error("memo reminders failed:", error);
    }
  });
  return { stop: () => job.stop() };
}

/** Starts the weekly-brief scheduler (HTTP and Socket Mode alike; never in the local console). */
function startBriefScheduler(db: Database) {
  const scheduler = createBriefScheduler(config, db, logger);
  scheduler.start();
  const s = schedulerSettings(config);
  say(`korus-bot: brief scheduler started as ${scheduler.instanceId} (tick ${formatDuration(s.tickMs)}, claim timeout ${formatDuration(s.claimTimeoutMs)}, grace ${formatDuration(s.graceMs)})`);
  return scheduler;
}

try {
  const db = await openReadyDatabase(config, logger);
  say(`korus-bot: database: ${db.description}`);
  const deps = { db, clock: systemClock, logger, timeZone: config.timeZone, admins: config.admins, memoBanner: config.memoBanner };

  switch (config.slack.kind) {
    case "console": {
      say("korus-bot: no Slack credentials set, so this is the local console on the same commands and data.");
      say("korus-bot: to serve a Slack workspace, create the app from manifest.yml and set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (README: Connect to Slack).");
      if (interactive) say("Type /korus help for the commands; exit or Ctrl-D ends.");
      closeOnSignals(() => db.close(), logger);
      const failures = await runConsole({ input: process.stdin, output: process.stdout, interactive }, (line) =>
        runTextCommand(line, { prisma: db.prisma, clock: systemClock, timeZone: config.timeZone }),
      );
      await db.close();
      process.exit(failures > 0 && !interactive ? 1 : 0);
      break;
    }
    case "http": {
      const slack = createSlackHttpServer(deps, { ...config.slack, slackApiUrl: config.slackApiUrl });
      const port = await slack.listen(config.slack.port);
      const briefs = startBriefScheduler(db);
      say(`korus-bot: serving Slack over HTTP on port ${port}: POST /slack/events, GET /healthz`);
      const reminders = startReminders(slack.jobs);
      closeOnSignals(async () => {
        reminders.stop();
        await slack.close();
        await briefs.stop();
        await db.close();
      }, logger);
      break;
    }
    case "socket": {
      const { app, jobs } = createSlackSocketApp(deps, { ...config.slack, slackApiUrl: config.slackApiUrl });
      await app.start();
      const briefs = startBriefScheduler(db);
      say("korus-bot: connected to Slack over Socket Mode");
      const reminders = startReminders(jobs);
      closeOnSignals(async () => {
        reminders.stop();
        await app.stop();
        await briefs.stop();
        await db.close();
      }, logger);
      break;
    }
  }
} catch (error) {
  // The operator gets the reason in one line; the stack only with LOG_LEVEL=debug.
  logger.debug("korus-bot could not start:", error);
  say(`korus-bot: could not start: ${(error as Error).message}`);
  process.exit(1);
}
