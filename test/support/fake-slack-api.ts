import http, { type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parse as parseQuery } from "node:querystring";

/** One request the bot made to the fake: a Web API method, or a POST to a response_url. */
export interface RecordedCall {
  /** "chat.postMessage", or "response_url" for posts to /respond/... */
  method: string;
  /** The parameters, decoded from form or JSON; JSON-valued form fields (blocks, ...) are parsed. */
  body: Record<string, unknown>;
  headers: http.IncomingHttpHeaders;
  path: string;
  at: number;
}

/** A canned failure: an HTTP status (429 with Retry-After, 500) or a Slack error body (`ok: false`). */
export type Failure = { status: 429; retryAfter: number } | { status: 500 | 502 | 503 } | { error: string };

type Handler = (body: Record<string, unknown>, call: RecordedCall) => Record<string, unknown>;

let tsCounter = 1_500_000_000;
const nextTs = () => `${++tsCounter}.000100`;

/** Slack-shaped answers for the methods the bot calls. */
const DEFAULT_HANDLERS: Record<string, Handler> = {
  "auth.test": () => ({ ok: true, url: "https://example.slack.com/", team: "Example", user: "korus", team_id: "T0001", user_id: "UBOT", bot_id: "BBOT" }),
  "chat.postMessage": (b) => ({ ok: true, channel: b.channel, ts: nextTs(), message: { text: b.text, bot_id: "BBOT", type: "message" } }),
  "chat.postEphemeral": () => ({ ok: true, message_ts: nextTs() }),
  "chat.update": (b) => ({ ok: true, channel: b.channel, ts: b.ts, text: b.text }),
  "conversations.open": (b) => ({ ok: true, channel: { id: `D${String(b.users ?? "X").replace(/\W/g, "")}` } }),
  "conversations.join": (b) => ({ ok: true, channel: { id: b.channel, is_member: true } }),
  "conversations.history": () => ({ ok: true, messages: [] }),
  "views.open": (b) => ({ ok: true, view: { id: `V${++tsCounter}`, ...(typeof b.view === "object" ? b.view : {}) } }),
  "views.update": (b) => ({ ok: true, view: { id: b.view_id ?? `V${++tsCounter}`, ...(typeof b.view === "object" ? b.view : {}) } }),
  "views.push": () => ({ ok: true, view: { id: `V${++tsCounter}` } }),
  "views.publish": (b) => ({ ok: true, view: { id: `V${++tsCounter}`, ...(typeof b.view === "object" ? b.view : {}) } }),
  // files.uploadV2: get an upload URL, POST the bytes there, then complete the upload.
  "files.getUploadURLExternal": (b, call) => {
    const id = `F${++tsCounter}`;
    return { ok: true, file_id: id, upload_url: `http://${call.headers.host}/upload/${id}?filename=${encodeURIComponent(String(b.filename))}` };
  },
  "files.completeUploadExternal": (b) => ({
    ok: true,
    files: (Array.isArray(b.files) ? b.files : []).map((f: { id: string; title?: string }) => ({ id: f.id, title: f.title ?? "", name: f.title ?? "" })),
  }),
  "users.info": (b) => ({ ok: true, user: { id: b.user, name: String(b.user).toLowerCase(), real_name: `User ${b.user}`, tz: "America/New_York" } }),
};

/**
 * A fake of the Slack Web API on loopback (port 0): answers the methods the bot calls with Slack-shaped JSON,
 * records every call, and fails on request (429 with Retry-After, 5xx, or a Slack error).
 * Point the bot at `apiUrl`; give slash commands `responseUrl()` as their response_url.
 */
export class FakeSlackApi {
  readonly calls: RecordedCall[] = [];
  private readonly failures = new Map<string, Failure[]>();
  private readonly handlers = new Map<string, Handler>(Object.entries(DEFAULT_HANDLERS));
  private readonly waiters: Array<{ test: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void }> = [];
  private server?: http.Server;
  private port = 0;

  /** Starts listening on 127.0.0.1 at an ephemeral port. */
  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  /** The Web API base URL, with its trailing slash, for SLACK_API_URL. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  /** A response_url that records what is posted to it. */
  responseUrl(id = "1"): string {
    return `http://127.0.0.1:${this.port}/respond/${id}`;
  }

  /** Makes the next `times` calls of `method` fail with `failure`. */
  failNext(method: string, failure: Failure, times = 1): void {
    const queue = this.failures.get(method) ?? [];
    for (let i = 0; i < times; i++) queue.push(failure);
    this.failures.set(method, queue);
  }

  /** Replaces the answer of `method`. */
  on(method: string, handler: Handler): void {
    this.handlers.set(method, handler);
  }

  /** The recorded calls of one method. */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Resolves with the first call (already made or future) that passes `test`; rejects after `timeoutMs`. */
  waitFor(test: (c: RecordedCall) => boolean, timeoutMs = 5000): Promise<RecordedCall> {
    const found = this.calls.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const waiter = { test, resolve: (c: RecordedCall) => (clearTimeout(timer), resolve(c)) };
      const timer = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        reject(new Error(`no matching Slack call within ${timeoutMs} ms; calls so far: ${this.calls.map((c) => c.method).join(", ") || "none"}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Resolves with the next post to a response_url. */
  waitForResponse(timeoutMs?: number): Promise<RecordedCall> {
    const seen = this.callsTo("response_url").length;
    return this.waitFor((c) => c.method === "response_url" && this.callsTo("response_url").indexOf(c) >= seen, timeoutMs);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const method = path.startsWith("/api/") ? path.slice(5) : path.startsWith("/respond/") ? "response_url" : path.startsWith("/upload/") ? "file_upload" : path;
    // An upload carries the file's bytes, whatever its content type.
    const body = method === "file_upload" ? { content: raw } : decode(raw, req.headers["content-type"]);
    const call: RecordedCall = { method, body, headers: req.headers, path, at: Date.now() };

    const failure = this.failures.get(method)?.shift();
    if (failure && "status" in failure) {
      // A 429 or 5xx is not a recorded delivery: the sender must retry.
      this.calls.push({ ...call, method: `${method}!${failure.status}` });
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (failure.status === 429) headers["retry-after"] = String(failure.retryAfter);
      res.writeHead(failure.status, headers).end(JSON.stringify({ ok: false, error: failure.status === 429 ? "ratelimited" : "internal_error" }));
      return;
    }
    this.calls.push(call);
    for (const waiter of [...this.waiters]) {
      if (waiter.test(call)) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve(call);
      }
    }
    if (failure) {
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: false, error: failure.error }));
      return;
    }
    if (method === "response_url" || method === "file_upload") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    const handler = this.handlers.get(method);
    const answer = handler ? handler(body, call) : { ok: false, error: "unknown_method" };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
  }
}

function decode(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (!raw) return {};
  if (contentType?.includes("application/json")) return JSON.parse(raw) as Record<string, unknown>;
  const fields = parseQuery(raw) as Record<string, string>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[key] = /^[[{]/.test(value) ? tryJson(value) : value;
  }
  return out;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
