/**
 * What bounds the bot's HTTP server under load: a cap on open connections, short header and request timeouts, and a
 * budget for request bodies being read. Without them, ~19,600 slow connections (no signature needed) once filled a
 * 256 MB heap: each held a parser and up to 16 KB of headers, and a body of up to 4 MB could be trickled into each
 * (5,000 such connections took the bot to 1.16 GiB resident; bench/slow-connections.ts).
 */
import type http from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Socket } from "node:net";

/** The bounds; tests shrink them. */
export interface HttpLimits {
  /**
   * Open connections at most; past it, the oldest one not being answered is closed for a new one. Well above the
   * listen backlog (511), so that a new connection has sent its request before as many newer ones can push it out.
   */
  maxConnections: number;
  /** Time to receive a request's headers (Slack sends them at once); Node answers 408 and closes after it. */
  headersTimeoutMs: number;
  /** Time to receive a whole request, body included. */
  requestTimeoutMs: number;
  /** How long an idle kept-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Bytes of request bodies held at once, all requests together; past it the oldest unfinished body is dropped. */
  bodyBudgetBytes: number;
}

/**
 * Sized for a 256 MB heap with PGlite beside it (bench/slow-connections.ts). Slack's requests are a few kilobytes:
 * 8 MiB of bodies still takes two of the largest Slack may send (4 MB, Bolt's limit) at once.
 */
export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  maxConnections: 1024,
  headersTimeoutMs: 5000,
  requestTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5000,
  bodyBudgetBytes: 8 * 1024 * 1024,
};

/** The options of http.createServer that carry the timeouts (Node checks them every second, not every 30 s). */
export function serverOptions(limits: HttpLimits): http.ServerOptions {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: 1000,
  };
}

/** What the guard did, for the operator's log. */
export interface GuardCounts {
  open: number;
  /** Open connections answering a request they have fully received (these are never closed for a new one). */
  answering: number;
  /** Connections closed to make room for a new one. */
  evicted: number;
  /** New connections closed at once: every open one was being answered. */
  refused: number;
  /** Request bodies dropped to keep within the body budget. */
  bodiesDropped: number;
}

interface Connection {
  /** The request being answered on it, if any. */
  request?: IncomingMessage;
}

/**
 * Caps the server's connections with its own accounting rather than `server.maxConnections`, which refuses every new
 * connection once full: here a new one (a health check, Slack's next request) takes the place of the oldest one that
 * is only waiting for its headers or body, or idle, so slow connections cannot lock the others out.
 * @returns the request listener's wrapper (marks which connections are being answered) and the counts.
 */
export function guardConnections(server: http.Server, limits: HttpLimits): { track(req: IncomingMessage, res: ServerResponse): void; counts(): GuardCounts } {
  const open = new Map<Socket, Connection>();
  const counts = { evicted: 0, refused: 0 };
  server.on("connection", (socket: Socket) => {
    if (open.size >= limits.maxConnections) {
      const victim = oldestIdle(open);
      if (victim) {
        open.delete(victim);
        victim.destroy();
        counts.evicted++;
      } else {
        socket.destroy();
        counts.refused++;
        return;
      }
    }
    open.set(socket, {});
    socket.once("close", () => open.delete(socket));
  });
  return {
    track(req, res) {
      const connection = open.get(req.socket);
      if (!connection) return;
      connection.request = req;
      res.once("close", () => {
        if (connection.request === req) connection.request = undefined;
      });
    },
    counts: () => ({ open: open.size, answering: [...open.values()].filter(isAnswering).length, ...counts, bodiesDropped: bodies.dropped }),
  };
}

const isAnswering = (connection: Connection) => connection.request?.complete === true;

/** The oldest connection that is not answering a request it has fully received. */
function oldestIdle(open: Map<Socket, Connection>): Socket | undefined {
  // A Map iterates in insertion order: oldest first.
  for (const [socket, connection] of open) if (!isAnswering(connection)) return socket;
  return undefined;
}

/** The body could not be read: too large (answer 413), or dropped or cut off (answer nothing: the socket is gone). */
export class BodyError extends Error {
  constructor(readonly reason: "too_large" | "dropped" | "aborted") {
    super(`request body ${reason.replace("_", " ")}`);
  }
}

/** Bodies being read now, oldest first, and the bytes they hold. One budget for the process: memory is one. */
const bodies = { reading: new Set<{ req: IncomingMessage; held: number; drop(): void }>(), held: 0, dropped: 0 };

/**
 * Reads a request's body up to `limit` bytes, within the process's body budget: past the budget, the oldest body
 * still arriving is dropped (its connection closed), as a trickled body is what holds memory longest.
 * @throws BodyError
 */
export function readBody(req: IncomingMessage, limit: number, budget = DEFAULT_HTTP_LIMITS.bodyBudgetBytes): Promise<Buffer> {
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) return Promise.reject(new BodyError("too_large"));
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const entry = {
      req,
      held: 0,
      drop() {
        finish(new BodyError("dropped"));
        bodies.dropped++;
        req.socket.destroy();
      },
    };
    const finish = (error?: BodyError) => {
      if (settled) return;
      settled = true;
      bodies.reading.delete(entry);
      bodies.held -= entry.held;
      req.off("data", onData).off("end", onEnd).off("close", onClose);
      if (error) reject(error);
      else resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      entry.held += chunk.length;
      bodies.held += chunk.length;
      chunks.push(chunk);
      if (entry.held > limit) return finish(new BodyError("too_large"));
      while (bodies.held > budget) {
        const oldest = bodies.reading.values().next().value;
        if (!oldest) break;
        oldest.drop();
      }
    };
    const onEnd = () => finish();
    const onClose = () => finish(new BodyError("aborted"));
    bodies.reading.add(entry);
    req.on("data", onData).on("end", onEnd).on("close", onClose);
  });
}

/**
 * Answers a request whose body was not read (or not all of it) and closes the connection: the client's next request
 * on it would otherwise be read as the rest of this body, and hang.
 */
export function answerAndClose(res: ServerResponse, status: number): void {
  if (res.headersSent) res.destroy();
  else res.writeHead(status, { connection: "close" }).end();
}
