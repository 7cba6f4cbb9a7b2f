import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Database } from "./db/client.js";

/** Liveness: 200 while the process serves at all. Container health checks and supervisors poll it. */
export const HEALTH_PATH = "/healthz";
/** Readiness: 200 when the database answers, else 503. Load balancers route to ready instances only. */
export const READY_PATH = "/readyz";

/**
 * Answers GET/HEAD /healthz and /readyz; returns false for any other request (the caller handles those).
 * Readiness asks the database a trivial question each time.
 */
export async function answerHealth(req: IncomingMessage, res: ServerResponse, db: Database): Promise<boolean> {
  if (req.method !== "GET" && req.method !== "HEAD") return false;
  const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
  if (pathname === HEALTH_PATH) {
    send(res, 200, { ok: true });
    return true;
  }
  if (pathname === READY_PATH) {
    const ok = await db.ping();
    send(res, ok ? 200 : 503, { ok, database: ok ? "reachable" : "unreachable" });
    return true;
  }
  return false;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store" });
  res.end(JSON.stringify(body));
}

/**
 * A server that answers only the health checks (Socket Mode has no HTTP server of its own).
 * @returns the port it listens on, and how to close it.
 */
export async function startHealthServer(db: Database, port: number, host?: string): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    answerHealth(req, res, db)
      .then((handled) => {
        if (!handled) res.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(503).end();
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
