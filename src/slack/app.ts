import type { IncomingMessage, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import type { App, Logger as BoltLogger, LogLevel } from "@slack/bolt";
import { WebClient, type WebClientOptions } from "@slack/web-api";
// Bolt's parts, not its index (src/slack/bolt.ts says why): loaded once, when this module is.
import { loadBoltClasses } from "./bolt.js";

const { App: BoltApp, HTTPReceiver } = await loadBoltClasses();
import type { Clock } from "../clock.js";
import type { SlackServices } from "../commands/services-slack.js";
import type { TemplateStore } from "../memos/templates/store.js";
import { type BotHttpServer, type RequestHandler, startBotHttpServer } from "../health.js";
import type { HttpLimits } from "../http-guard.js";
import { type Logger, newRequestId } from "../logger.js";
import { HTTP_RESPONSE } from "./ack-json.js";
import { SLACK_EVENTS_PATH } from "./ids.js";
import { BotIdentity } from "./identity.js";
import { installLastResort } from "./last-resort.js";
import { registerListeners } from "./listeners/index.js";
import { checkSlackBody, checkSlackPayload } from "./payloads.js";
import { peopleClient, SlackPeople } from "./people.js";
import { readSlackBody, verify } from "./request.js";

/** What the Slack side of the bot needs. */

/** Where `handle` leaves a request's id and logger on the request object, for customPropertiesExtractor. */
const REQUEST = Symbol("korus.request");
type TaggedRequest = IncomingMessage & { [REQUEST]?: { reqId: string; log: Logger; [HTTP_RESPONSE]: ServerResponse } };
export interface SlackDeps {
  /** The domain's services and the adapter's stores, built once by the composition root (src/commands/services-slack.ts). */
  services: SlackServices;
  clock: Clock;
  logger: Logger;
  timeZone: string;
  admins: readonly string[];
  /** How long a command may work before its ack (default ACK_BUDGET_MS); tests set 0 to take the slow path. */
  ackBudgetMs?: number;
  /** A handling line heading every assembled memo (KORUS_MEMO_BANNER). */
  memoBanner?: string;
  /** The memo and brief templates, loaded and checked at start (the memo form lists them). */
  templates: TemplateStore;
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

/** Jobs the app offers its host (main.ts runs them on a clock). */
export interface SlackJobs {
  /** DMs owners of unfinished sections due within `leadMs`; at most once a day each. @returns how many. */
  sendMemoReminders(leadMs: number): Promise<number>;
  /** Builds today's status into the cache (and so loads the database's query compiler): the first /korus status is quick. */
  warmUp(): Promise<void>;
  /** Looks up the names not known yet, or stale (users.info, paced). @returns how many people were looked up. */
  refreshPeople(): Promise<number>;
}

/** The Bolt app over HTTP, as a request handler for the bot's HTTP server (health.ts). */
export interface SlackHttpApp {
  app: App;
  jobs: SlackJobs;
  /** Handles one request: POST /slack/events (verified, checked, handed to Bolt); 404 for anything else. */
  handle: RequestHandler;
  /** Stops logging from the last-resort process handlers on this app's behalf. */
  close(): void;
}

/** The Bolt app on a server of its own (tests, and anything that wants both in one): listen, then close. */
export interface SlackHttpServer {
  app: App;
  jobs: SlackJobs;
  /** Starts listening; resolves to the port (useful with port 0). `limits` bound connections (health.ts). */
  listen(port: number, host?: string, limits?: Partial<HttpLimits>): Promise<number>;
  close(): Promise<void>;
}

/**
 * Builds the Bolt app on an HTTP receiver. Requests to /slack/events are verified here (v0 HMAC; a timestamp more than
 * 5 minutes old or ahead of the injected clock is refused with 401), then checked against the shapes the bot handles
 * (payloads.ts; 400 with the reason logged), then handed to Bolt, all under a request id that every log line of the
 * request carries. The health checks are the server's (health.ts). While the app exists, the last-resort process
 * handlers log anything that escapes (last-resort.ts).
 */
export function createSlackHttpApp(deps: SlackDeps, options: { botToken: string; signingSecret: string; slackApiUrl?: string; identity?: BotIdentity }): SlackHttpApp {
  const logger = boltLogger(deps.logger);
  const receiver = new HTTPReceiver({
    signingSecret: options.signingSecret,
    // Verification happens in `listener` below, where the clock can be injected.
    signatureVerification: false,
    endpoints: [SLACK_EVENTS_PATH],
    logger,
    processBeforeResponse: false,
    // Listener errors end in app.error, which answers them; this only sees an error inside Bolt itself, for a body
    // that passed payloads.ts: refused, never a 5xx.
    // The request's id and logger, made by `handle` below, go into Bolt's context (the request-log middleware keeps them).
    customPropertiesExtractor: (req) => ({ ...(req as TaggedRequest)[REQUEST] }),
    processEventErrorHandler: async ({ error, request, response }) => {
      ((request as TaggedRequest)[REQUEST]?.log ?? deps.logger).error("Bolt could not process a checked request:", error);
      if (response.headersSent) return false;
      response.writeHead(400).end();
      return false;
    },
  });
  const app = boltApp(options, deps, {
    receiver,
    logger,
    extendedErrorHandler: true,
    // Bolt's default conversation store answers every request's lookup with a new Error ("Conversation not found"),
    // a stack trace per request for a feature korus-bot does not use.
    convoStore: false,
  });
  const people = slackPeople(options, deps);
  const jobs = registerListeners(app, deps, people);
  const leaveLastResort = installLastResort(deps.logger);

  const listener = async (req: IncomingMessage, res: ServerResponse, log: Logger) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (url.pathname === SLACK_EVENTS_PATH && req.method === "POST") {
      const rawBody = await readSlackBody(req, res, deps.clock);
      if (!rawBody) return;
      const buffered = Object.assign(req, { rawBody });
      const body = rawBody.toString("utf8");
      const contentType = req.headers["content-type"];
      // Read once: for the ssl_check test here and for the shape check below.
      const form = contentType === "application/x-www-form-urlencoded" ? parseQuery(body) : undefined;
      if (form?.ssl_check === "1") {
        // Slack's SSL probe is unsigned: answer it, and drop anything else smuggled in its body.
        buffered.rawBody = Buffer.from("ssl_check=1");
      } else if (!verify(req, body, options.signingSecret, deps.clock)) {
        log.warn(`rejected a request to ${SLACK_EVENTS_PATH} with a missing, wrong, stale or future-dated signature`);
        res.writeHead(401).end();
        return;
      } else {
        const checked = checkSlackBody(body, contentType, form);
        if (!checked.ok) {
          log.warn(`rejected a signed request to ${SLACK_EVENTS_PATH} (400): ${checked.reason}`);
          res.writeHead(400, { "content-type": "text/plain" }).end("This request is not one this app handles.\n");
          return;
        }
        if (checked.kind === "app_rate_limited") {
          log.warn(`Slack dropped events over the app's rate limit (minute ${checked.body.minute_rate_limited ?? "?"})`);
          res.writeHead(200).end();
          return;
        }
      }
      receiver.requestListener(buffered, res);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
  };

  return {
    app,
    jobs,
    // Each request gets an id here: on the lines logged about it (ours; Bolt's own lines go through deps.logger), and
    // in Bolt's context through customPropertiesExtractor.
    handle: (req, res) => {
      const reqId = newRequestId();
      const log = deps.logger.child({ reqId });
      // The response too: an answer in the ack is written as JSON serialised once (ack-json.ts).
      (req as TaggedRequest)[REQUEST] = { reqId, log, [HTTP_RESPONSE]: res };
      return listener(req, res, log).catch((error: unknown) => {
        log.error("HTTP listener failed:", error);
        if (!res.headersSent) res.writeHead(500).end();
      });
    },
    close: () => {
      people.close();
      leaveLastResort();
    },
  };
}

/** createSlackHttpApp on the bot's HTTP server, ready as soon as it listens. */
export function createSlackHttpServer(deps: SlackDeps, options: { botToken: string; signingSecret: string; slackApiUrl?: string; identity?: BotIdentity }): SlackHttpServer {
  const slack = createSlackHttpApp(deps, options);
  let http: BotHttpServer | undefined;
  return {
    app: slack.app,
    jobs: slack.jobs,
    listen: async (port, host, limits) => {
      http = await startBotHttpServer(port, host, { limits, logger: deps.logger });
      http.ready(deps.services, slack.handle);
      return http.port;
    },
    close: async () => {
      slack.close();
      await http?.close();
    },
  };
}

function withSlash(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

/** The name lookups (users.info) of the app's workspace, on a client of their own (src/slack/people.ts). */
function slackPeople(options: { botToken: string; slackApiUrl?: string }, deps: SlackDeps): SlackPeople {
  const client = peopleClient(options.botToken, options.slackApiUrl ? { slackApiUrl: withSlash(options.slackApiUrl) } : {});
  return new SlackPeople({ client, store: deps.services.personStore, directory: deps.services.people, logger: deps.logger, now: () => deps.clock.now() });
}

type BoltAppOptions = NonNullable<ConstructorParameters<typeof BoltApp>[0]>;

/**
 * The Bolt app with `authorize` answering from the bot's identity as known (identity.ts) instead of `token`: given a
 * token, Bolt calls auth.test before the first listener runs, and while Slack's Web API cannot be reached no request
 * is acked. `app.client` (reminders, the error handler) still carries the token.
 */
function boltApp(
  options: { botToken: string; slackApiUrl?: string; identity?: BotIdentity },
  deps: SlackDeps,
  rest: Omit<BoltAppOptions, "token" | "authorize" | "clientOptions" | "botId" | "botUserId">,
): App {
  const identity = options.identity ?? BotIdentity.unknown(options.botToken, deps.logger);
  // Bolt adds its logger to this object; the token's client below shares both.
  const clientOptions: WebClientOptions = options.slackApiUrl ? { slackApiUrl: withSlash(options.slackApiUrl) } : {};
  const app = new BoltApp({ ...rest, authorize: identity.authorize, clientOptions });
  app.client = new WebClient(options.botToken, clientOptions);
  return app;
}

/**
 * The Bolt app over Socket Mode (development: no public URL needed). Each payload is checked against the shapes the
 * bot handles before Bolt routes it, as over HTTP; one that does not match is acked (a socket has no 400) and logged.
 */
export function createSlackSocketApp(deps: SlackDeps, options: { botToken: string; appToken: string; slackApiUrl?: string; identity?: BotIdentity }): { app: App; jobs: SlackJobs } {
  const app = boltApp(options, deps, {
    appToken: options.appToken,
    socketMode: true,
    logger: boltLogger(deps.logger),
    extendedErrorHandler: true,
    convoStore: false,
  });
  const route = app.processEvent.bind(app);
  // The receiver hands every payload to processEvent: this instance checks it first.
  app.processEvent = async (event) => {
    const checked = checkSlackPayload(event.body);
    if (!checked.ok) {
      deps.logger.warn(`refused a Socket Mode payload: ${checked.reason}`);
      await event.ack();
      return;
    }
    await route(event);
  };
  installLastResort(deps.logger);
  return { app, jobs: registerListeners(app, deps, slackPeople(options, deps)) };
}
