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
let tsSequence = 0;
// Like Slack's: seconds of the wall clock, then a part that makes it unique (and ordered) within the second.
const nextTs = () => `${Math.floor(Date.now() / 1000)}.${String(++tsSequence % 1_000_000).padStart(6, "0")}`;

/** A message the fake holds after chat.postMessage, as conversations.history and .replies return it. */
export interface StoredMessage {
  ts: string;
  channel: string;
  text?: unknown;
  blocks?: unknown;
  thread_ts?: string;
  metadata?: unknown;
  bot_id: string;
  type: "message";
}

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
  // Canvases: a new canvas gets an id; an edit of an unknown one fails as Slack's does.
  "canvases.create": () => ({ ok: true, canvas_id: `F${++tsCounter}` }),
  "canvases.edit": (b) => (typeof b.canvas_id === "string" && b.canvas_id.startsWith("F") ? { ok: true } : { ok: false, error: "canvas_not_found" }),
};

/** A person in the fake workspace, as users.info returns them (Slack's user object, the fields the bot reads and a few more). */
export interface FakeUser {
  realName?: string;
  displayName?: string;
  /** The handle (`name`); default: the id in lower case. */
  handle?: string;
  deleted?: boolean;
  isBot?: boolean;
  /** The profile's `updated` (seconds); default: 1500000000. */
  updated?: number;
}

/** A Slack-shaped user object. */
export function slackUser(id: string, user: FakeUser = {}): Record<string, unknown> {
  const handle = user.handle ?? id.toLowerCase();
  const realName = user.realName ?? "";
  return {
    id,
    team_id: "T0001",
    name: handle,
    deleted: user.deleted ?? false,
    real_name: realName,
    tz: "America/New_York",
    is_bot: user.isBot ?? false,
    is_app_user: false,
    updated: user.updated ?? 1_500_000_000,
    profile: { real_name: realName, real_name_normalized: realName, display_name: user.displayName ?? "", display_name_normalized: user.displayName ?? "", team: "T0001" },
  };
}

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
  /** Messages posted, per channel, oldest first. */
  readonly messages = new Map<string, StoredMessage[]>();
  private channelInterval = 0;
  private readonly lastPost = new Map<string, number>();
  private readonly outsideChannels = new Set<string>();
  private readonly channelErrors = new Map<string, string>();
  private readonly delays = new Map<string, number>();
  /**
   * The people users.info knows. Someone not here is answered as "User <id>" (every member of a real workspace has a
   * name), unless `unknownUsers` makes them user_not_found.
   */
  readonly users = new Map<string, FakeUser>();
  unknownUsers: "named" | "not_found" = "named";

  constructor() {
    this.handlers.set("users.info", (b) => {
      const id = String(b.user ?? "");
      const user = this.users.get(id);
      if (!user && this.unknownUsers === "not_found") return { ok: false, error: "user_not_found" };
      return { ok: true, user: slackUser(id, user ?? { realName: `User ${id}` }) };
    });
    // Posts are kept, so that history and replies can return them (with metadata when asked, as Slack does).
    this.handlers.set("chat.postMessage", (b) => {
      const channel = String(b.channel);
      const message: StoredMessage = {
        type: "message",
        ts: nextTs(),
        channel,
        text: b.text,
        bot_id: "BBOT",
        ...(b.blocks !== undefined ? { blocks: b.blocks } : {}),
        ...(typeof b.thread_ts === "string" ? { thread_ts: b.thread_ts } : {}),
        ...(b.metadata !== undefined ? { metadata: b.metadata } : {}),
      };
      const list = this.messages.get(channel) ?? [];
      list.push(message);
      this.messages.set(channel, list);
      return { ok: true, channel, ts: message.ts, message: { text: b.text, bot_id: "BBOT", type: "message" } };
    });
    this.handlers.set("conversations.history", (b) => {
      const parents = (this.messages.get(String(b.channel)) ?? []).filter((m) => m.thread_ts === undefined || m.thread_ts === m.ts);
      return this.page(parents.reverse(), b);
    });
    this.handlers.set("conversations.replies", (b) => {
      const thread = (this.messages.get(String(b.channel)) ?? []).filter((m) => m.ts === b.ts || m.thread_ts === b.ts);
      return this.page(thread, b);
    });
    this.handlers.set("conversations.join", (b) => {
      this.outsideChannels.delete(String(b.channel));
      return { ok: true, channel: { id: b.channel, is_member: true } };
    });
  }

  /** One page of messages as Slack returns them: `oldest` and `limit` applied, metadata only when asked for. */
  private page(list: StoredMessage[], b: Record<string, unknown>): Record<string, unknown> {
    const oldest = typeof b.oldest === "string" ? Number(b.oldest) : 0;
    const withMetadata = b.include_all_metadata === true || b.include_all_metadata === "true";
    const offset = typeof b.cursor === "string" ? Number(b.cursor) : 0;
    const limit = Number(b.limit ?? 100);
    const matching = list.filter((m) => Number(m.ts) >= oldest);
    const messages = matching.slice(offset, offset + limit).map(({ metadata, ...m }) => (withMetadata && metadata !== undefined ? { ...m, metadata } : m));
    const next = offset + limit < matching.length ? String(offset + limit) : "";
    return { ok: true, messages, has_more: next !== "", response_metadata: { next_cursor: next } };
  }

  /** Like Slack (about 1 message/s/channel): a chat.postMessage sooner than `intervalMs` after the last one to the same channel gets 429 with Retry-After. */
  limitPostsPerChannel(intervalMs = 1000): void {
    this.channelInterval = intervalMs;
  }

  /** chat.postMessage to `channel` answers not_in_channel until conversations.join joins it. */
  notInChannel(channel: string): void {
    this.outsideChannels.add(channel);
  }

  /** Every call naming `channel` fails with the Slack error `error` (channel_not_found, is_archived, ...). */
  failChannel(channel: string, error: string): void {
    this.channelErrors.set(channel, error);
  }

  /** Answers `method` only after `ms` (the call counts as made, e.g. posted, before the answer). */
  delay(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  /** Successful posts carrying brief metadata (event_type korus_brief), e.g. to count each brief's posts. */
  briefPosts(): Array<{ call: RecordedCall; payload: { outbox_id: number; run_id: number; schedule_id: number; period: string; part: number } }> {
    return this.callsTo("chat.postMessage").flatMap((call) => {
      const metadata = call.body.metadata as { event_type?: string; event_payload?: Record<string, unknown> } | undefined;
      if (metadata?.event_type !== "korus_brief" || !metadata.event_payload) return [];
      const p = metadata.event_payload;
      return [{ call, payload: { outbox_id: Number(p.outbox_id), run_id: Number(p.run_id), schedule_id: Number(p.schedule_id), period: String(p.period), part: Number(p.part) } }];
    });
  }

  /** Starts listening on 127.0.0.1 at an ephemeral port, or at `port` (to come back where a stopped fake was). */
  async start(port = 0): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve, reject) => {
      this.server!.once("error", reject);
      this.server!.listen(port, "127.0.0.1", resolve);
    });
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

  /** Adds (or renames) a person users.info knows. */
  addUser(id: string, user: FakeUser): this {
    this.users.set(id, user);
    return this;
  }

  /** Replaces the answer of `method`. */
  on(method: string, handler: Handler): void {
    this.handlers.set(method, handler);
  }

  /** The recorded calls of one method. */
  callsTo(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * Resolves with the first call (already made or future) that passes `test`; rejects after `timeoutMs`. The timeout is
   * a hang guard, not a speed check (speed is the bench's): 20 s, because on a loaded 2-core machine the first
   * `/korus ask` or chart of a worker (loading the tagger, drawing) took more than the 5 s it was and failed its file.
   */
  waitFor(test: (c: RecordedCall) => boolean, timeoutMs = 20_000): Promise<RecordedCall> {
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
    const bytes = Buffer.concat(chunks);
    const raw = bytes.toString("utf8");
    const path = new URL(req.url ?? "/", "http://x").pathname;
    const method = path.startsWith("/api/") ? path.slice(5) : path.startsWith("/respond/") ? "response_url" : path.startsWith("/upload/") ? "file_upload" : path;
    // An upload carries the file's bytes, whatever its content type.
    const body = method === "file_upload" ? { content: raw, bytes: uploadedBytes(Buffer.concat(chunks), req.headers["content-type"]) } : decode(raw, req.headers["content-type"]);
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
    if (method === "chat.postMessage" && this.channelInterval > 0) {
      const channel = String(body.channel);
      const wait = (this.lastPost.get(channel) ?? -Infinity) + this.channelInterval - Date.now();
      if (wait > 0) {
        this.calls.push({ ...call, method: `${method}!429` });
        res.writeHead(429, { "content-type": "application/json", "retry-after": String(Math.ceil(wait / 1000)) }).end(JSON.stringify({ ok: false, error: "ratelimited" }));
        return;
      }
    }
    const channelError = this.channelErrors.get(String(body.channel)) ?? (method === "chat.postMessage" && this.outsideChannels.has(String(body.channel)) ? "not_in_channel" : undefined);
    if (channelError && method !== "conversations.join") {
      this.calls.push({ ...call, method: `${method}!${channelError}` });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: false, error: channelError }));
      return;
    }
    if (channelError && method === "conversations.join" && this.channelErrors.has(String(body.channel))) {
      this.calls.push(call);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ok: false, error: channelError }));
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
    // A message posted (not one refused: not_in_channel, an error asked for) starts the channel's interval.
    if (method === "chat.postMessage" && this.channelInterval > 0) this.lastPost.set(String(body.channel), Date.now());
    if (method === "response_url" || method === "file_upload") {
      res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      return;
    }
    const handler = this.handlers.get(method);
    const answer = handler ? handler(body, call) : { ok: false, error: "unknown_method" };
    const delay = this.delays.get(method);
    if (delay) await new Promise((resolve) => setTimeout(resolve, delay));
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

/**
 * The file's bytes in an upload: the body itself, or, for multipart/form-data (what files.uploadV2 sends), the first
 * part's content.
 */
function uploadedBytes(body: Buffer, contentType: string | undefined): Buffer {
  const boundary = /multipart\/form-data;.*boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? "");
  if (!boundary) return body;
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const start = body.indexOf(delimiter);
  const headersEnd = body.indexOf("\r\n\r\n", start);
  const end = body.indexOf(Buffer.concat([Buffer.from("\r\n"), delimiter]), headersEnd);
  return start < 0 || headersEnd < 0 || end < 0 ? body : body.subarray(headersEnd + 4, end);
}
