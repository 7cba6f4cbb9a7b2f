import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Database } from "./db/client.js";

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

/** The bot's HTTP server: up from the first moment of the start, the app plugged in once it is ready. */
export interface BotHttpServer {
  readonly server: http.Server;
  /** The port it listens on (useful with port 0). */
  readonly port: number;
  /**
   * The bot is started: health checks ask `db` from now on, and every other request (those waiting meanwhile too) goes
   * to `handle`; without one (Socket Mode), to a 404.
   */
  ready(db: Database, handle?: RequestHandler, get?: GetRoute): void;
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
 * Slack's 3 s) and is answered 503 with Retry-After if it is not.
 */
export async function startBotHttpServer(port: number, host?: string): Promise<BotHttpServer> {
  let started: { db: Database; handle?: RequestHandler; get?: GetRoute } | undefined;
  let signal: () => void = () => undefined;
  const whenStarted = new Promise<void>((resolve) => (signal = resolve));

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    const get = req.method === "GET" || req.method === "HEAD";
    // Slack's requests (POSTs) go straight to the app; only health checks are read here.
    const pathname = get ? new URL(req.url ?? "/", "http://localhost").pathname : "";
    if (get && pathname === HEALTH_PATH) return send(res, 200, { ok: true });
    if (get && pathname === READY_PATH) {
      if (!started) return send(res, 503, { ok: false, database: "starting" });
      const ok = await started.db.ping();
      return send(res, ok ? 200 : 503, { ok, database: ok ? "reachable" : "unreachable" });
    }
    if (!started) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([whenStarted, new Promise<void>((resolve) => (timer = setTimeout(resolve, STARTUP_WAIT_MS)))]);
      clearTimeout(timer);
      if (!started) return send(res, 503, { ok: false, error: "starting" }, { "retry-after": "2" });
    }
    if (get && started.get && (await started.get(pathname, req, res))) return;
    if (started.handle) return started.handle(req, res);
    res.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
  };

  const server = http.createServer((req, res) => {
    route(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(503).end();
    });
  });
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
    ready: (db, handle, get) => {
      started = { db, ...(handle ? { handle } : {}), ...(get ? { get } : {}) };
      signal();
    },
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
