/**
 * Composition root: configuration -> database -> Slack (HTTP or Socket Mode) or the local console.
 * The only module that reads process.env for the bot.
 *
 * The database starts opening first; the code of the mode in use (Bolt and the listeners, or the console) loads
 * meanwhile, while PGlite reads and compiles its WebAssembly off the main thread.
 */
import "./v8-flags.js";
import { hostname } from "node:os";
import { systemClock } from "./clock.js";
import { secretsOf } from "./config.js";
import type { Database } from "./db/client.js";
import { type NotReadyHandler, startBotHttpServer } from "./health.js";
import { createLogger } from "./logger.js";
import { formatProblem } from "./memos/templates/template.js";
import { closeOnSignals, EXIT_USAGE, loadConfigOrExit, loadDotEnv, sinceStart } from "./runtime.js";
import { slackConfigCheck } from "./slack/config-checks.js";

const envFile = loadDotEnv();
// Slack checks the shape of its own ids (the bot's, the admins'), listed with every other problem.
const config = loadConfigOrExit(process.env, [slackConfigCheck]);
const consoleMode = config.slack.kind === "console";
const interactive = Boolean(process.stdin.isTTY);
// The console's answers go to stdout; keep the log to warnings there unless asked for more.
const logger = createLogger(consoleMode && config.logLevel === "info" ? "warn" : config.logLevel, "korus-bot", undefined, {
  format: config.logFormat,
  secrets: secretsOf(config),
});
/** What the operator reads at start: plain lines on a terminal's console, log lines when serving Slack. */
const say = (line: string) => (consoleMode ? process.stderr.write(`korus-bot: ${line}\n`) : logger.notice(line));

/** One line for the operator: plain on a terminal or the console, a log line when serving (it may be JSON). */
function report(line: string): void {
  if (consoleMode || process.stderr.isTTY) process.stderr.write(`${line}\n`);
  else logger.error(line);
}

let db: Database | undefined;

/** Over HTTP, what Slack's requests get before the bot is ready (src/slack/not-ready.ts, loaded on the first). */
function notReadyHandler(): NotReadyHandler | undefined {
  if (config.slack.kind !== "http") return undefined;
  const deps = { signingSecret: config.slack.signingSecret, botToken: config.slack.botToken, slackApiUrl: config.slackApiUrl, clock: systemClock, logger };
  let handler: Promise<NotReadyHandler> | undefined;
  return async (req, res, holder) => {
    handler ??= import("./slack/not-ready.js").then((m) => m.makeNotReadyHandler(deps));
    return (await handler)(req, res, holder);
  };
}

/** Runs the local console on the database until the end of input, then exits. */
async function runLocalConsole(opening: Promise<Database>): Promise<never> {
  const [{ runConsole }, { runTextCommand }, { openTemplateStore }, { localUser }, { createTerminalServices }, { cliUser }, { slackTerminalReaders }] = await Promise.all([
    import("./cli/console.js"),
    import("./cli/text-commands.js"),
    import("./template-store.js"),
    import("./cli/local-user.js"),
    import("./commands/services-cli.js"),
    import("./cli/facts.js"),
    import("./slack/terminal-readers.js"),
  ]);
  const templates = await openTemplateStore();
  for (const p of templates.problems) logger.warn(`template problem: ${formatProblem(p)}`);
  db = await opening;
  const database = db;
  say(`database: ${database.description}`);
  // Whatever the console records is shown with this name (KORUS_USER_NAME, else the account's full name).
  const user = localUser(config.userName);
  // The terminal's services, built once; the console writes facts itself, so its status is read afresh (no cache). Its
  // user has the database itself, so acts as an admin.
  const terminal = createTerminalServices({
    db: database,
    clock: systemClock,
    timeZone: config.timeZone,
    templates,
    user: cliUser(),
    fetching: config.fetching,
    instanceId: `console:${hostname()}:${process.pid}`,
    ...(config.memoBanner ? { banner: config.memoBanner } : {}),
  });
  await terminal.rememberUser(user, systemClock.now());
  say(`what you record here is shown as ${JSON.stringify(user.name)} (${config.userName ? "KORUS_USER_NAME" : "your account's name; KORUS_USER_NAME sets another"}).`);
  // `korus status` beside the console is answered by it, as beside a bot (src/cli/answers-server.ts).
  const [{ answerCommands }, { StatusCache }] = await Promise.all([import("./cli/answers-server.js"), import("./status/cache.js")]);
  // The store's version read at every status (maxStaleMs 0): the console writes facts itself and tells no cache.
  const statusCache = new StatusCache(database.prisma, 0);
  const stopAnswers = await answerCommands({ config, db: database, logger }, statusCache);
  say("no Slack credentials set, so this is the local console on the same commands and data.");
  say("to serve a Slack workspace, create the app from manifest.yml and set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET (README: Connect to Slack).");
  say("`npx korus ...` in another terminal works on the same data meanwhile (it goes through this process).");
  if (interactive) process.stderr.write("Type /korus help for the commands; exit or Ctrl-D ends.\n");
  closeOnSignals(async () => {
    await stopAnswers?.();
    await database.close();
  }, logger);
  const failures = await runConsole({ input: process.stdin, output: process.stdout, interactive }, (line, form) =>
    runTextCommand(line, { clock: systemClock, timeZone: config.timeZone, templates, terminal, chat: slackTerminalReaders, ...form, ...(config.memoBanner ? { banner: config.memoBanner } : {}) }),
  );
  await stopAnswers?.();
  await database.close();
  process.exit(failures > 0 && !interactive ? 1 : 0);
}

try {
  if (envFile) say(`read ${envFile}`);
  // Listening from the first moment: /healthz answers while the rest starts, a Slack request waits for it.
  const http = config.slack.kind === "console" ? undefined : await startBotHttpServer(config.slack.port, undefined, { logger, notReady: notReadyHandler() });
  if (http) logger.debug(`startup: listening on port ${http.port} at ${sinceStart()} ms`);
  const { openReadyDatabase } = await import("./db/ready.js");
  const opening = openReadyDatabase(config, logger, {
    role: "bot",
    command: "korus-bot",
    onWait: (m, holder) => {
      say(m);
      // A command holds the folder for its length (a long import): Slack hears that the bot is busy, not a 503.
      if (holder.role === "cli") http?.waitingFor({ command: holder.command, since: holder.since });
    },
  });
  // Awaited below; until then a failure must not count as unhandled.
  opening.catch(() => undefined).finally(() => http?.waitingFor(undefined));
  if (config.slack.kind === "console" || !http) await runLocalConsole(opening);
  else {
    const slack = config.slack;
    const server = await import("./serve.js");
    logger.debug(`startup: modules loaded at ${sinceStart()} ms`);
    /** Slack refused the bot token (at start, or on a later retry): one line, close, exit code 2. */
    const refuseToken = async (code: string): Promise<never> => {
      report(`korus-bot: ${server.refusedTokenMessage(code)}`);
      await db?.close().catch(() => undefined);
      process.exit(EXIT_USAGE);
    };
    // Ask Slack about the token while the database opens; wait at most a few seconds for the answer.
    const tokenWatch = server.watchBotToken({ token: slack.botToken, slackApiUrl: config.slackApiUrl, logger, onRefused: (code) => void refuseToken(code) });
    db = await opening;
    say(`database: ${db.description}`);
    const verdict = await Promise.race([tokenWatch.first, new Promise<undefined>((r) => setTimeout(() => r(undefined), 5000).unref())]);
    if (verdict?.state === "refused") await refuseToken(verdict.code);
    if (verdict === undefined) logger.warn("Slack has not answered the bot token check within 5 s; serving meanwhile and checking again");
    await server.serve({ config, slack, db, logger, say, http, onClose: () => tokenWatch.stop(), slackIdentity: tokenWatch.verified });
  }
} catch (error) {
  // The operator gets the reason in one line; the stack only with LOG_LEVEL=debug.
  logger.debug("korus-bot could not start:", error);
  report(`korus-bot: could not start: ${(error as Error).message}`);
  await db?.close().catch(() => undefined);
  process.exit(1);
}
