import { createHmac } from "node:crypto";

/** What the bot's HTTP receiver answered. */
export interface BotResponse {
  status: number;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON (or empty). */
  json: unknown;
  /** The content-type header of the answer, if any. */
  contentType: string | null;
}

/** Computes Slack's v0 signature: `v0=` + hex(HMAC-SHA256(secret, `v0:{timestamp}:{body}`)). */
export function signature(secret: string, timestamp: number | string, body: string): string {
  return `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
}

/** Options for one request; by default it is signed correctly with the current time. */
export interface SendOptions {
  contentType?: string;
  /** Seconds since the epoch for X-Slack-Request-Timestamp. */
  timestamp?: number;
  /** Overrides the computed signature (`null` sends none). */
  signature?: string | null;
  secret?: string;
  headers?: Record<string, string>;
}

/** Sends correctly signed requests to the bot's real HTTP receiver, as Slack does. */
export class SlackClient {
  constructor(
    readonly baseUrl: string,
    readonly secret: string,
    /** `now`: the clock requests are signed by (milliseconds), default the machine's; a bot on a fixed clock refuses others. */
    readonly defaults: { responseUrl?: string; userId?: string; channelId?: string; now?: () => number } = {},
  ) {}

  /** POSTs a raw body to /slack/events, signed unless told otherwise. */
  async send(body: string, options: SendOptions = {}): Promise<BotResponse> {
    const timestamp = options.timestamp ?? Math.floor((this.defaults.now?.() ?? Date.now()) / 1000);
    const headers: Record<string, string> = {
      "content-type": options.contentType ?? "application/x-www-form-urlencoded",
      "x-slack-request-timestamp": String(timestamp),
      ...options.headers,
    };
    const sig = options.signature === undefined ? signature(options.secret ?? this.secret, timestamp, body) : options.signature;
    if (sig !== null) headers["x-slack-signature"] = sig;
    const res = await fetch(`${this.baseUrl}/slack/events`, { method: "POST", headers, body });
    const text = await res.text();
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: res.status, text, json, contentType: res.headers.get("content-type") };
  }

  /** A slash command, form-encoded as Slack sends it. */
  command(text: string, fields: Record<string, string> = {}, options?: SendOptions): Promise<BotResponse> {
    const body = new URLSearchParams({
      token: "legacy-verification-token",
      team_id: "T0001",
      team_domain: "example",
      channel_id: this.defaults.channelId ?? "C0TEAM",
      channel_name: "korus-team",
      user_id: this.defaults.userId ?? "U0ANALYST",
      user_name: "analyst",
      command: "/korus",
      text,
      api_app_id: "A0KORUS",
      response_url: this.defaults.responseUrl ?? "http://127.0.0.1:9/unused",
      trigger_id: `${Date.now()}.1234.abcdef`,
      ...fields,
    }).toString();
    return this.send(body, options);
  }

  /** An interaction (block_actions, view_submission, ...), as `payload=<json>` form-encoded. */
  interaction(payload: unknown, options?: SendOptions): Promise<BotResponse> {
    return this.send(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), options);
  }

  /** An Events API request (JSON). */
  event(envelope: unknown, options?: SendOptions): Promise<BotResponse> {
    return this.send(JSON.stringify(envelope), { contentType: "application/json", ...options });
  }
}
