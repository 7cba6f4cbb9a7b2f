/**
 * The delivery machine's transport (src/delivery/transport.ts) over Slack's Web API, for every kind of post: a
 * message's marker becomes its metadata (event type `korus_<kind>`), its notice is worded in mrkdwn
 * (notice-wording.ts), and Slack's error codes are classified and explained here. Its own WebClient, so that the scheduler works the same in HTTP and
 * Socket Mode and without Bolt: `rejectRateLimitedCalls` and no retries, because the outbox owns every retry (a client
 * that slept through a Retry-After would hold the message's claim meanwhile, and lose it on a restart).
 */
import { ErrorCode, LogLevel, WebClient } from "@slack/web-api";
import { DeliveryError, type MessageMarker, type MessageTransport, type OutgoingMessage } from "../delivery/transport.js";
import { isSlackUserId } from "./ids.js";
import { contentMessage, kindMarkdown, noticeMrkdwn } from "./notice-wording.js";
import { SLACK_LIMITS } from "./limits.js";
import { escapeMrkdwn } from "../render/escape.js";
import { truncate } from "../render/mrkdwn.js";
import { markdownBlock } from "./views/blocks.js";

/** The metadata event type of a kind's messages (korus_brief, korus_deadline_alert): how the outbox finds a post it did not record. */
export function eventTypeOf(kind: string): string {
  return `korus_${kind}`;
}

/** Slack error codes in words, for the owner's DM and `schedule list`; undefined for a code without words. */
export function explainSlackError(code: string): string | undefined {
  const known: Record<string, string> = {
    channel_not_found: "the channel does not exist, or it is private and the bot is not in it (invite it with /invite)",
    is_archived: "the channel is archived",
    not_in_channel: "the bot is not in the channel and could not join it (for a private channel, invite it with /invite)",
    invalid_auth: "the bot's Slack token is not valid (reinstall the app and update SLACK_BOT_TOKEN)",
    not_authed: "no Slack token was sent (set SLACK_BOT_TOKEN)",
    token_revoked: "the bot's Slack token was revoked (reinstall the app)",
    account_inactive: "the bot's Slack account is deactivated (reinstall the app)",
    missing_scope: "the app lacks a permission it needs (reinstall it from manifest.yml)",
    restricted_action: "the workspace does not let the bot post there",
    msg_too_long: "Slack refused the message as too long",
    invalid_blocks: "Slack refused the message's blocks",
    channel_not_joinable: "the channel cannot be joined",
  };
  return Object.hasOwn(known, code) ? known[code] : undefined;
}

/** A DeliveryError with Slack's words for its code. */
function deliveryError(kind: DeliveryError["kind"], code: string, retryAfterMs?: number): DeliveryError {
  return new DeliveryError(kind, code, retryAfterMs, explainSlackError(code));
}

/** Slack errors worth retrying: Slack's own trouble, not the request's. */
const TRANSIENT_ERRORS = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout", "team_added_to_org"]);

/** Pages of history searched for a message before deciding it was never posted. */
const MAX_HISTORY_PAGES = 5;

/** Turns a WebClient error into the outbox's terms. */
export function classifySlackError(error: unknown): DeliveryError {
  const e = error as { code?: string; retryAfter?: number; statusCode?: number; data?: { error?: string }; original?: { name?: string; code?: string; message?: string } };
  switch (e?.code) {
    case ErrorCode.RateLimitedError:
      return deliveryError("rate_limited", "ratelimited", Math.max(1, e.retryAfter ?? 1) * 1000);
    case ErrorCode.HTTPError:
      return deliveryError((e.statusCode ?? 500) >= 500 ? "transient" : "permanent", `http_${e.statusCode ?? "error"}`);
    case ErrorCode.RequestError:
      return deliveryError("transient", `network_error (${e.original?.code ?? e.original?.name ?? e.original?.message ?? "unknown"})`);
    case ErrorCode.PlatformError: {
      const code = e.data?.error ?? "unknown_error";
      if (code === "not_in_channel") return deliveryError("not_in_channel", code);
      if (code === "ratelimited") return deliveryError("rate_limited", code, 1000);
      return deliveryError(TRANSIENT_ERRORS.has(code) ? "transient" : "permanent", code);
    }
    default:
      return deliveryError("transient", (error as Error)?.message ?? String(error));
  }
}

interface HistoryMessage {
  ts?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
}

/** Options of the Slack transport. */
export interface SlackTransportOptions {
  token: string;
  /** Web API base URL (SLACK_API_URL); default Slack's. */
  slackApiUrl?: string;
  /** Per-request timeout: keep it below the outbox's claim timeout. */
  timeoutMs: number;
  /** Sent as X-Korus-Instance, so that logs (and tests) can tell instances apart. */
  instanceId?: string;
}

/** The message metadata that marks an outbox message in Slack. */
function metadataOf(marker: MessageMarker): { event_type: string; event_payload: Record<string, string | number> } {
  return { event_type: eventTypeOf(marker.kind), event_payload: { outbox_id: marker.outboxId, ...marker.fields, part: marker.part } };
}

/** A MessageTransport posting through Slack's Web API. */
export function createSlackTransport(options: SlackTransportOptions): MessageTransport {
  const client = new WebClient(options.token, {
    ...(options.slackApiUrl ? { slackApiUrl: options.slackApiUrl.endsWith("/") ? options.slackApiUrl : `${options.slackApiUrl}/` } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    timeout: options.timeoutMs,
    logLevel: LogLevel.ERROR,
    ...(options.instanceId ? { headers: { "X-Korus-Instance": options.instanceId } } : {}),
  });
  const dmChannels = new Map<string, string>();

  const call = async <T>(fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (error) {
      throw classifySlackError(error);
    }
  };

  /** A user id becomes the id of the bot's DM with them (conversations.open, im:write). */
  const resolve = async (channel: string): Promise<string> => {
    if (!isSlackUserId(channel)) return channel;
    let dm = dmChannels.get(channel);
    if (!dm) {
      const opened = await call(() => client.conversations.open({ users: channel }));
      dm = opened.channel?.id;
      if (!dm) throw new DeliveryError("permanent", "dm_not_opened");
      dmChannels.set(channel, dm);
    }
    return dm;
  };

  const matches = (m: HistoryMessage, marker: MessageMarker) => m.metadata?.event_type === eventTypeOf(marker.kind) && Number(m.metadata.event_payload?.outbox_id) === marker.outboxId;

  return {
    canMessage: isSlackUserId,
    async post(message: OutgoingMessage) {
      const channel = await resolve(message.channel);
      const shaped = message.content ? contentMessage(message.content) : null;
      const text = message.notice ? noticeMrkdwn(message.notice, message.text) : truncate(escapeMrkdwn(message.text), SLACK_LIMITS.messageText);
      const result = await call(() =>
        client.chat.postMessage({
          channel,
          text: shaped?.text ?? text,
          ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
          ...(shaped ? { blocks: shaped.blocks } : message.markdown !== undefined ? { blocks: [markdownBlock(kindMarkdown(message.marker.kind, message.markdown))] } : {}),
          unfurl_links: false,
          unfurl_media: false,
          metadata: metadataOf(message.marker),
        }),
      );
      if (!result.ts) throw new DeliveryError("transient", "no_ts_in_response");
      return { ts: result.ts };
    },

    async join(channel: string) {
      await call(() => client.conversations.join({ channel }));
    },

    async find(channel: string, marker: MessageMarker, options: { since: Date; threadTs?: string }) {
      const id = await resolve(channel);
      const oldest = (options.since.getTime() / 1000).toFixed(6);
      let cursor: string | undefined;
      for (let page = 0; page < MAX_HISTORY_PAGES; page++) {
        const result = await call(() =>
          options.threadTs
            ? client.conversations.replies({ channel: id, ts: options.threadTs, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) })
            : client.conversations.history({ channel: id, oldest, include_all_metadata: true, limit: 200, ...(cursor ? { cursor } : {}) }),
        );
        const found = ((result.messages ?? []) as HistoryMessage[]).find((m) => matches(m, marker));
        if (found?.ts) return found.ts;
        cursor = result.response_metadata?.next_cursor || undefined;
        if (!cursor) break;
      }
      return null;
    },
  };
}
