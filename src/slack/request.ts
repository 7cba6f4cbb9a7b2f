/**
 * Reading and verifying a request to /slack/events, for the Bolt app (app.ts) and for the answers given while the bot
 * is not ready yet (not-ready.ts). Small on purpose: the latter is loaded before Bolt.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { BOLT_BODY_LIMIT, isValidBoltRequest } from "./bolt.js";
import type { Clock } from "../clock.js";
import { answerAndClose, BodyError, readBody } from "../http-guard.js";

/** How far a request's timestamp may be from our clock, either way (replays; docs/slack-platform.md). */
const MAX_CLOCK_SKEW_SECONDS = 5 * 60;
/** A request without a signature can only be Slack's ssl_check probe, a few dozen bytes. */
const UNSIGNED_BODY_LIMIT = 4096;

/**
 * Reads the body of a request to /slack/events, or answers it and resolves undefined: 413 and a closed connection
 * for a body over the limit (the rest of it is never read), nothing for one that was cut off or dropped over the
 * process's body budget (its connection is gone). The limit is Bolt's (4 MB) for a request that carries a signature
 * and a timestamp within 5 minutes, 4 KB for any other: nothing unsigned gets to hold memory.
 */
export async function readSlackBody(req: IncomingMessage, res: ServerResponse, clock: Clock): Promise<Buffer | undefined> {
  try {
    return await readBody(req, signatureHeaders(req, clock) ? BOLT_BODY_LIMIT : UNSIGNED_BODY_LIMIT);
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    if (error.reason === "too_large") answerAndClose(res, 413);
    else res.destroy();
    return undefined;
  }
}

/** The request's signature and timestamp, when both are there and the timestamp is within 5 minutes of `clock`. */
function signatureHeaders(req: IncomingMessage, clock: Clock): { signature: string; timestamp: number } | undefined {
  const signature = req.headers["x-slack-signature"];
  const timestamp = req.headers["x-slack-request-timestamp"];
  if (typeof signature !== "string" || typeof timestamp !== "string" || !/^\d{1,12}$/.test(timestamp)) return undefined;
  // Bolt refuses only old timestamps; one from the future is refused here as well.
  if (Math.abs(Number(timestamp) - clock.now().getTime() / 1000) > MAX_CLOCK_SKEW_SECONDS) return undefined;
  return { signature, timestamp: Number(timestamp) };
}

/** Whether a request carries Slack's v0 signature of `body`, made within 5 minutes of `clock` either way. */
export function verify(req: IncomingMessage, body: string, signingSecret: string, clock: Clock): boolean {
  const headers = signatureHeaders(req, clock);
  if (!headers) return false;
  return isValidBoltRequest({
    signingSecret,
    body,
    headers: { "x-slack-signature": headers.signature, "x-slack-request-timestamp": headers.timestamp },
    nowMilliseconds: clock.now().getTime(),
  });
}
