/**
 * Composition root: configuration -> database -> Slack (HTTP or Socket Mode) or the local console.
 * The only module that reads process.env for the bot.
 */
import { Cron } from "croner";
import { createBriefScheduler, schedulerSettings } from "./brief-scheduler.js";
import { formatDuration } from "./briefs/scheduler.js";
import { runConsole } from "./cli/console.js";
import { runTextCommand } from "./cli/text-commands.js";
import { systemClock } from "./clock.js";
import { secretsOf } from "./config.js";
import type { Database } from "./db/client.js";
import { startHealthServer } from "./health.js";
import { createLogger } from "./logger.js";
import { closeOnSignals, EXIT_USAGE, loadConfigOrExit, loadDotEnv, openReadyDatabase } from "./runtime.js";
import { createSlackHttpServer, createSlackSocketApp, type SlackJobs } from "./slack/app.js";
import { refusedTokenMessage, watchBotToken } from "./slack/token-check.js";

const envFile = loadDotEnv();
const config = loadConfigOrExit(process.env);
const consoleMode = config.slack.kind === "console";
const interactive = Boolean(process.stdin.isTTY);
// The console's answers go to stdout; keep the log to warnings there unless asked for more.
const logger = createLogger(consoleMode && config.logLevel === "info" ? "warn" : config.logLevel, "korus-bot", undefined, {
  format: config.logFormat,
  secrets: secretsOf(config),
});
/** What the operator reads at start: plain lines on a terminal's console, log lines when serving Slack. */
const say = (line: string) => (consoleMode ? process.stderr.write(`korus-bot: ${line}\n`) : logger.notice(line));

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
  say(`brief scheduler started as ${scheduler.instanceId} (tick ${formatDuration(s.tickMs)}, claim timeout ${formatDuration(s.claimTimeoutMs)}, grace ${formatDuration(s.graceMs)})`);
  return scheduler;
}

/** One line for the operator: plain on a terminal or the console, a log line when serving (it may be JSON). */
function report(line: string): void {
  if (consoleMode || process.stderr.isTTY) process.stderr.write(`${line}\n`);
  else logger.error(line);
}

let db: Database | undefined;

/** Slack refused the bot token (at start, or on a later retry): one line, close, exit code 2. */
async function refuseToken(code: string): Promise<never> {
  report(`korus-bot: ${refusedTokenMessage(code)}`);
  await db?.close().catch(() => undefined);
  process.exit(EXIT_USAGE);
}

try {
  if (envFile) say(`read ${envFile}`);
  // Ask Slack about the token while the database opens; wait at most a few seconds for the answer.
  const tokenWatch =
    config.slack.kind === "console"
      ? undefined
      : watchBotToken({ token: config.slack.botToken, slackApiUrl: config.slackApiUrl, logger, onRefused: (code) => void refuseToken(code) });
  db = await openReadyDatabase(config, logger, { role: "bot", command: "korus-bot", onWait: (m) => say(m) });
  say(`database: ${db.description}`);
  if (tokenWatch) {
    const verdict = await Promise.race([tokenWatch.first, new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000).unref())]);
    if (verdict?.state === "refused") await refuseToken(verdict.code);
    if (verdict === undefined) logger.warn("Slack has not answered the bot token check within 5 s; serving meanwhile and checking again");
  }
  const deps = { db, clock: systemClock, logger, timeZone: config.timeZone, admins: config.admins, memoBanner: config.memoBanner };
  const database = db;

  switch (config.slack.kind) {
    case "console": {
      say("no Slack credentials set, so this is the local console on the same commands and data.");
      say("to serve a Slack workspace, create the app from manifest.yml and set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (README: Connect to Slack).");
      say("`npx korus ...` in another terminal works on the same data meanwhile (it goes through this process).");
      if (interactive) process.stderr.write("Type /korus help for the commands; exit or Ctrl-D ends.\n");
      closeOnSignals(() => database.close(), logger);
      const failures = await runConsole({ input: process.stdin, output: process.stdout, interactive }, (line) =>
        runTextCommand(line, { prisma: database.prisma, clock: systemClock, timeZone: config.timeZone }),
      );
      await database.close();
      process.exit(failures > 0 && !interactive ? 1 : 0);
      break;
    }
    case "http": {
      const slack = createSlackHttpServer(deps, { ...config.slack, slackApiUrl: config.slackApiUrl });
      const port = await slack.listen(config.slack.port);
      const briefs = startBriefScheduler(database);
      say(`serving Slack over HTTP on port ${port}: POST /slack/events, GET /healthz, GET /readyz`);
      const reminders = startReminders(slack.jobs);
      closeOnSignals(async () => {
        tokenWatch?.stop();
        reminders.stop();
        await slack.close();
        await briefs.stop();
        await database.close();
      }, logger);
      break;
    }
    case "socket": {
      const { app, jobs } = createSlackSocketApp(deps, { ...config.slack, slackApiUrl: config.slackApiUrl });
      // Socket Mode has no HTTP server of its own: the health checks get one on PORT.
      const health = await startHealthServer(database, config.slack.port);
      await app.start();
      const briefs = startBriefScheduler(database);
      say(`connected to Slack over Socket Mode; health checks on port ${health.port}: GET /healthz, GET /readyz`);
      const reminders = startReminders(jobs);
      closeOnSignals(async () => {
        tokenWatch?.stop();
        reminders.stop();
        await app.stop();
        await health.close();
        await briefs.stop();
        await database.close();
      }, logger);
      break;
    }
  }
} catch (error) {
  // The operator gets the reason in one line; the stack only with LOG_LEVEL=debug.
  logger.debug("korus-bot could not start:", error);
  report(`korus-bot: could not start: ${(error as Error).message}`);
  await db?.close().catch(() => undefined);
  process.exit(1);
}
