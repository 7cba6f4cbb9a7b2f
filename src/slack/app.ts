import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseQuery } from "node:querystring";
import {
  App,
  HTTPModuleFunctions,
  HTTPReceiver,
  isValidSlackRequest,
  type Logger as BoltLogger,
  LogLevel,
  type Middleware,
  type AnyMiddlewareArgs,
} from "@slack/bolt";
import pLimit from "p-limit";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import { answerHealth } from "../health.js";
import { currentRequestId, type Logger, newRequestId, withRequestId } from "../logger.js";
import { StatusCache } from "../status/cache.js";
import { registerCommands } from "./listeners/commands.js";
import { registerFactListeners } from "./listeners/facts.js";
import { registerMemoListeners } from "./listeners/memos.js";
import { registerScheduleForm } from "./listeners/briefs.js";
import { COMMAND, KNOWN_VIEW_CALLBACK_IDS, SLACK_EVENTS_PATH } from "./ids.js";
import { expiredViewResponse } from "./views/expired.js";

/** What the Slack side of the bot needs. */
export interface SlackDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  timeZone: string;
  admins: readonly string[];
  /** How long a command may work before its ack (default ACK_BUDGET_MS); tests set 0 to take the slow path. */
  ackBudgetMs?: number;
  /** A handling line heading every assembled memo (KORUS_MEMO_BANNER). */
  memoBanner?: string;
}

/** A short id for a failure, shown to the user and logged beside the error: the request's id when there is one. */
export function newReference(): string {
  return currentRequestId() ?? newRequestId();
}

/**
 * Gives every Slack request an id (kept if the HTTP server already set one) that each log line written while it is
 * handled carries, and logs one line per request: what it was, who sent it, how long the listeners took.
 */
function requestLog(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const run = async () => {
      const started = performance.now();
      try {
        await args.next();
      } finally {
        logger.info({ slack: describeRequest(args.body), ms: Math.round(performance.now() - started) }, "slack request");
      }
    };
    await (currentRequestId() ? run() : withRequestId(newRequestId(), run));
  };
}

/** What a request is, in a few safe fields (never its token, response_url or text). */
function describeRequest(body: unknown): Record<string, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  const pick = (v: unknown) => (typeof v === "string" ? v.slice(0, 80) : undefined);
  const user = b.user as { id?: unknown } | undefined;
  const team = b.team as { id?: unknown } | undefined;
  const view = b.view as { callback_id?: unknown } | undefined;
  const event = b.event as { type?: unknown } | undefined;
  const actions = b.actions as Array<{ action_id?: unknown }> | undefined;
  const out: Record<string, string | undefined> = {
    type: pick(b.type) ?? (typeof b.command === "string" ? "slash_command" : undefined),
    command: pick(b.command),
    event: pick(event?.type),
    callback_id: pick(view?.callback_id) ?? pick(b.callback_id),
    action_id: Array.isArray(actions) ? pick(actions[0]?.action_id) : undefined,
    user: pick(b.user_id) ?? pick(user?.id),
    team: pick(b.team_id) ?? pick(team?.id),
  };
  return Object.fromEntries(Object.entries(out).filter((e): e is [string, string] => e[1] !== undefined));
}

function boltLogger(logger: Logger): BoltLogger {
  return {
    debug: (...m) => logger.debug(...m),
    info: (...m) => logger.info(...m),
    warn: (...m) => logger.warn(...m),
    error: (...m) => logger.error(...m),
    // The level is LOG_LEVEL's; Bolt sets one of its own (INFO unless told) on any logger it is given.
    setLevel: () => undefined,
    getLevel: () => logger.level as LogLevel,
    setName: () => undefined,
  };
}

/**
 * Answers requests the bot has no listener for, so that nobody waits 3 s for a 404: another slash command gets a
 * pointer to /korus, and a modal the bot never opened (or opened before an update) gets a polite "expired" view.
 */
function strayRequests(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as { type?: string; command?: string; view?: { callback_id?: string } };
    const ack = (args as { ack?: (response?: unknown) => Promise<void> }).ack;
    if (typeof body.command === "string" && body.command !== COMMAND && ack) {
      // A manifest may route another command here by mistake; say so instead of leaving the user waiting.
      await ack({ response_type: "ephemeral", text: `This app answers ${COMMAND} only. Try \`${COMMAND} help\`.` });
      return;
    }
    if (body.type === "view_submission" && ack && !KNOWN_VIEW_CALLBACK_IDS.has(body.view?.callback_id ?? "")) {
      logger.warn(`view_submission for unknown view ${JSON.stringify(body.view?.callback_id ?? null)}`);
      await ack(expiredViewResponse());
      return;
    }
    await args.next();
  };
}

/** Work done after an ack runs at most this many at a time, so a burst of commands cannot starve the acks. */
const BACKGROUND_CONCURRENCY = 4;

/** Jobs the app offers its host (main.ts runs them on a clock). */
export interface SlackJobs {
  /** DMs owners of unfinished sections due within `leadMs`; at most once a day each. @returns how many. */
  sendMemoReminders(leadMs: number): Promise<number>;
}

function registerAll(app: App, deps: SlackDeps): SlackJobs {
  app.use(requestLog(deps.logger));
  app.use(strayRequests(deps.logger));
  const statusCache = new StatusCache(deps.db.prisma);
  // A `korus` command beside this bot writes through it: forget cached statuses as soon as it has.
  deps.db.onExternalWork?.(() => statusCache.invalidate());
  const runFactCommand = registerFactListeners(app, deps, { onFactsChanged: () => statusCache.invalidate() });
  const memos = registerMemoListeners(app, deps, { statusCache });
  registerScheduleForm(app, deps);
  registerCommands(app, deps, { runFactCommand, runMemoCommand: memos.runMemoCommand, statusCache, background: pLimit(BACKGROUND_CONCURRENCY) });
  return { sendMemoReminders: (leadMs) => memos.sendReminders(app.client, leadMs) };
  app.error(async (error) => {
    deps.logger.error("unhandled error in a Slack listener:", error);
  });
}

/** The Bolt app over HTTP: our own server, so that health checks and signature checks use our clock and database. */
export interface SlackHttpServer {
  app: App;
  jobs: SlackJobs;
  server: http.Server;
  /** Starts listening; resolves to the port (useful with port 0). */
  listen(port: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

/**
 * Builds the Bolt app on an HTTP receiver. Requests to /slack/events are verified here (v0 HMAC, 5-minute window)
 * with Bolt's own verifier and the injected clock, then handed to Bolt under a request id; GET /healthz (liveness)
 * and /readyz (the database answers) are answered here too.
 */
export function createSlackHttpServer(
  deps: SlackDeps,
  options: { botToken: string; signingSecret: string; slackApiUrl?: string },
): SlackHttpServer {
  const logger = boltLogger(deps.logger);
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    // Verification happens in `listener` below, where the clock can be injected.
    signatureVerification: false,
    endpoints: [SLACK_EVENTS_PATH],
    logger,
    processBeforeResponse: false,
  });
  const app = new App({
    token: options.botToken,
    receiver,
    logger,
    clientOptions: options.slackApiUrl ? { slackApiUrl: withSlash(options.slackApiUrl) } : {},
  });
  const jobs = registerAll(app, deps);

  const listener = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (await answerHealth(req, res, deps.db)) return;
    if (url.pathname === SLACK_EVENTS_PATH && req.method === "POST") {
      let buffered: Awaited<ReturnType<typeof HTTPModuleFunctions.bufferIncomingMessage>>;
      try {
        buffered = await HTTPModuleFunctions.bufferIncomingMessage(req, HTTPModuleFunctions.defaultBodyLimit);
      } catch (error) {
        const tooLarge = HTTPModuleFunctions.isRawBodyError(error) && (error as { statusCode?: number }).statusCode === 413;
        res.writeHead(tooLarge ? 413 : 400).end();
        return;
      }
      const body = buffered.rawBody.toString("utf8");
      if (req.headers["content-type"] === "application/x-www-form-urlencoded" && parseQuery(body).ssl_check === "1") {
        // Slack's SSL probe is unsigned: answer it, and drop anything else smuggled in its body.
        buffered.rawBody = Buffer.from("ssl_check=1");
      } else if (!verify(req, body, options.signingSecret, deps.clock)) {
        deps.logger.warn(`rejected a request to ${SLACK_EVENTS_PATH} with a missing, wrong or stale signature`);
        res.writeHead(401).end();
        return;
      }
      receiver.requestListener(buffered, res);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
  };

  const server = http.createServer((req, res) => {
    // Every line logged while this request is handled (ours and Bolt's) carries its id.
    withRequestId(newRequestId(), () => listener(req, res)).catch((error) => {
      deps.logger.error("HTTP listener failed:", error);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  return {
    app,
    jobs,
    server,
    listen: (port, host) =>
      new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function verify(req: IncomingMessage, body: string, signingSecret: string, clock: Clock): boolean {
  const signature = req.headers["x-slack-signature"];
  const timestamp = req.headers["x-slack-request-timestamp"];
  if (typeof signature !== "string" || typeof timestamp !== "string" || !/^\d+$/.test(timestamp)) return false;
  return isValidSlackRequest({
    signingSecret,
    body,
    headers: { "x-slack-signature": signature, "x-slack-request-timestamp": Number(timestamp) },
    nowMilliseconds: clock.now().getTime(),
  });
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

/** The Bolt app over Socket Mode (development: no public URL needed). */
export function createSlackSocketApp(
  deps: SlackDeps,
  options: { botToken: string; appToken: string; slackApiUrl?: string },
): { app: App; jobs: SlackJobs } {
  const app = new App({
    token: options.botToken,
    appToken: options.appToken,
    socketMode: true,
    logger: boltLogger(deps.logger),
    clientOptions: options.slackApiUrl ? { slackApiUrl: withSlash(options.slackApiUrl) } : {},
  });
  return { app, jobs: registerAll(app, deps) };
}
