import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Database } from "./db/client.js";
import { DEFAULT_HTTP_LIMITS, guardConnections, type GuardCounts, type HttpLimits, serverOptions } from "./http-guard.js";
import type { Logger } from "./logger.js";

/** Liveness: 200 while the process serves. Container health checks and supervisors poll it. */
export const HEALTH_PATH = "/healthz";
/** Readiness: 200 when the bot is started and its database answers, else 503. Load balancers route to ready ones only. */
export const READY_PATH = "/readyz";

/** How long a request that arrives while the bot starts waits for it, before it is answered 503 (Slack acks need 3 s). */
export const STARTUP_WAIT_MS = 2500;

/** Handles the requests that are not health checks (Slack's, in HTTP mode). */
export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Answers a GET (or HEAD) by its path when it is one of its own (the calendar feed); resolves false otherwise. */
export type GetRoute = (pathname: string, req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** The one-off `korus` command that owns the data folder while the bot waits for it. */
export interface FolderHolder {
  /** "korus facts import" */
  command: string;
  /** ISO time it took the folder. */
  since: string;
}

/**
 * Answers a request that comes before the bot is ready (Slack's, with words for the person waiting): `holder` is set
 * while the bot waits for a command to free the data folder. Resolves false for a request it does not answer.
 */
export type NotReadyHandler = (req: IncomingMessage, res: ServerResponse, holder: FolderHolder | undefined) => Promise<boolean>;

/** How the server is started, beyond its port. */
export interface BotHttpOptions {
  /** Bounds on connections, timeouts and bodies (DEFAULT_HTTP_LIMITS unless told). */
  limits?: Partial<HttpLimits>;
  /** Told once a minute when the bounds closed connections or dropped bodies. */
  logger?: Logger;
  notReady?: NotReadyHandler;
}

/** The bot's HTTP server: up from the first moment of the start, the app plugged in once it is ready. */
export interface BotHttpServer {
  readonly server: http.Server;
  /** The port it listens on (useful with port 0). */
  readonly port: number;
  /** The bot waits for `holder` to free the data folder (undefined: no longer); requests are answered meanwhile. */
  waitingFor(holder: FolderHolder | undefined): void;
  /** What the connection cap and body budget did so far. */
  counts(): GuardCounts;
  /**
   * The bot is started: health checks ask `db` from now on, and every other request (those waiting meanwhile too) goes
   * to `handle`; without one (Socket Mode), to a 404.
   */
  ready(db: Pick<Database, "ping">, handle?: RequestHandler, get?: GetRoute): void;
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...headers });
  res.end(JSON.stringify(body));
}

/**
 * Listens on `port` at once, before the database opens: /healthz answers 200 from the first moment (the process is
 * alive), /readyz answers 503 until `ready()`, then whatever the database says; any other request waits up to
 * STARTUP_WAIT_MS for the bot to be ready (a Slack request that comes in during a restart is then still acked within
 * Slack's 3 s), or not at all while the bot waits for a command that owns the data folder, and goes to `notReady`
 * (which tells a Slack user the bot is busy), else is answered 503 with Retry-After.
 *
 * Connections, header and request times and request bodies are bounded (http-guard.ts), so that thousands of slow
 * connections neither exhaust the heap nor lock out /healthz.
 */
export async function startBotHttpServer(port: number, host?: string, options: BotHttpOptions = {}): Promise<BotHttpServer> {
  const limits = { ...DEFAULT_HTTP_LIMITS, ...options.limits };
  let started: { db: Pick<Database, "ping">; handle?: RequestHandler; get?: GetRoute } | undefined;
  let holder: FolderHolder | undefined;
  let signal: () => void = () => undefined;
  const whenStarted = new Promise<void>((resolve) => (signal = resolve));

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const get = req.method === "GET" || req.method === "HEAD";
    // Slack's requests (POSTs) go straight to the app; only health checks are read here.
    const pathname = get ? new URL(req.url ?? "/", "http://localhost").pathname : "";
    if (get && pathname === HEALTH_PATH) return send(res, 200, { ok: true });
    if (get && pathname === READY_PATH) {
      if (!started) return send(res, 503, { ok: false, database: "starting", ...(holder ? { waiting_for: holder.command } : {}) });
      const ok = await started.db.ping();
      return send(res, ok ? 200 : 503, { ok, database: ok ? "reachable" : "unreachable" });
    }
    if (!started && !holder) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([whenStarted, new Promise<void>((resolve) => (timer = setTimeout(resolve, STARTUP_WAIT_MS)))]);
      clearTimeout(timer);
    }
    if (!started) {
      if (options.notReady && (await options.notReady(req, res, holder))) return;
      return send(res, 503, { ok: false, error: holder ? "busy" : "starting" }, { "retry-after": "2" });
    }
    if (get && started.get && (await started.get(pathname, req, res))) return;
    if (started.handle) return started.handle(req, res);
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
  };

  const server = http.createServer(serverOptions(limits), (req, res) => {
    guard.track(req, res);
    route(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(503).end();
    });
  });
  const guard = guardConnections(server, limits);
  const reporting = options.logger ? reportGuard(guard.counts, options.logger) : undefined;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    server,
    port: (server.address() as AddressInfo).port,
    waitingFor: (h) => {
      holder = h;
    },
    counts: guard.counts,
    ready: (db, handle, get) => {
      started = { db, ...(handle ? { handle } : {}), ...(get ? { get } : {}) };
      holder = undefined;
      signal();
    },
    close: () =>
      new Promise((resolve) => {
        clearInterval(reporting);
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Logs, once a minute at most, what the bounds did since the last line (an attack, or a cap too low). */
function reportGuard(counts: () => GuardCounts, logger: Logger): NodeJS.Timeout {
  let last = counts();
  const timer = setInterval(() => {
    const now = counts();
    const evicted = now.evicted - last.evicted;
    const refused = now.refused - last.refused;
    const dropped = now.bodiesDropped - last.bodiesDropped;
    if (evicted + refused + dropped > 0) {
      logger.warn(
        `HTTP connection cap reached in the last minute: ${evicted} idle or slow connections closed for new ones, ${refused} new ones refused, ${dropped} request bodies dropped over the body budget; ${now.open} open now`,
      );
    }
    last = now;
  }, 60_000);
  timer.unref();
  return timer;
}
