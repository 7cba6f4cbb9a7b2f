/**
 * What the outbox needs from a chat service, without its types: post a message, join a channel, and find a message
 * it may already have posted. src/slack/post-transport.ts implements it over Slack's Web API.
 */
import { KorusError } from "../errors.js";
import type { NoticeData } from "./notices.js";

/**
 * The marker every outbox message carries (Slack: message metadata), so that it can be found again: its kind, its
 * outbox row, its part, and the fields its kind adds to tell a reader which post it is (a brief's schedule and period).
 */
export interface MessageMarker {
  kind: string;
  outboxId: number;
  /** 0: the post in the channel; 1..n: its thread; 100: a DM to the owner. */
  part: number;
  fields: Readonly<Record<string, string | number>>;
}

/**
 * What a message shows, as data, when it is more than text and Markdown (a review card with buttons): `kind` names the
 * shape, the rest is the kind's. The chat adapter words the shapes it knows; for another it posts the text.
 */
export type PostContent = { readonly kind: string };

/** One message to post. */
export interface OutgoingMessage {
  /** A channel id, or a user id for a direct message. */
  channel: string;
  threadTs?: string;
  /** The notification and fallback text, in plain words: the transport escapes it for its markup. */
  text: string;
  /** Standard Markdown for the message body (a Slack `markdown` block); absent for a plain-text message. */
  markdown?: string;
  /** What it shows, as data, for the transport to word in its blocks (`text` stays the plain fallback). */
  content?: PostContent;
  /** For a message to an owner: what to tell them, as data, for the transport to word in its markup (`text` is the plain fallback). */
  notice?: NoticeData;
  marker: MessageMarker;
}

/** How a delivery failed, in the outbox's terms. */
export type DeliveryFailure =
  /** Too many requests: try again after `retryAfterMs`. */
  | "rate_limited"
  /** A server or network error: try again later, after checking whether it went out. */
  | "transient"
  /** The bot is not in the channel: join it (once) and try again. */
  | "not_in_channel"
  /** Trying again will not help (channel_not_found, is_archived, invalid_auth, ...). */
  | "permanent";

/**
 * A failed call, classified. `code` is the service's error code, e.g. channel_not_found or http_503; `explanation` is
 * what it means to the people told of the failure, in the service's words (the transport knows its codes).
 */
export class DeliveryError extends KorusError {
  constructor(
    readonly kind: DeliveryFailure,
    code: string,
    readonly retryAfterMs?: number,
    readonly explanation?: string,
  ) {
    super(code, code);
  }
}

/** A chat service the outbox can post through. Every method throws DeliveryError on failure. */
export interface MessageTransport {
  /** True when `recipient` (an owner's id) can be sent a direct message: a chat user, not a terminal user. */
  canMessage(recipient: string): boolean;
  /** Posts the message; resolves to its timestamp (Slack `ts`). */
  post(message: OutgoingMessage): Promise<{ ts: string }>;
  /** Joins a public channel. */
  join(channel: string): Promise<void>;
  /**
   * Looks for a message with this marker posted at or after `since` (in the thread `threadTs` when given); resolves to
   * its timestamp, or null when it is not there.
   */
  find(channel: string, marker: MessageMarker, options: { since: Date; threadTs?: string }): Promise<string | null>;
}
