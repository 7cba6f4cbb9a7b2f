/**
 * What Slack's requests get before the bot is ready: while it starts (after health.ts has let them wait a moment), and
 * for as long as a `korus` command (a long `korus facts import`) owns the embedded data folder and the bot waits for
 * it. Each kind of request gets what Slack shows best, never a 503 a person would see as "/korus failed":
 * - a slash command: 200 with an ephemeral message saying the bot is busy and with what;
 * - a modal's submission: the message under its first field, the modal and what was typed in it kept (a modal with no
 *   field gets a small modal pushed on top of it);
 * - a button or a message shortcut: acked, and the message posted to its response_url, or shown in a small modal;
 * - an event (the Home tab, a DM): 503 with Retry-After, so that Slack delivers it again (after about 1 and 5 minutes);
 * - Slack's URL verification and SSL probe: answered as always.
 * Loaded before Bolt: it needs only the signature check and the payload shapes.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../clock.js";
import type { FolderHolder, NotReadyHandler } from "../health.js";
import type { Logger } from "../logger.js";
import { escapeMrkdwn } from "../render/escape.js";
import { SLACK_EVENTS_PATH } from "./ids.js";
import { checkSlackBody } from "./payloads.js";
import { readSlackBody, verify } from "./request.js";

/** What the handler needs: the app's signing secret and, to open a modal or post, its token and Slack's address. */
export interface NotReadyDeps {
  signingSecret: string;
  botToken: string;
  slackApiUrl?: string;
  clock: Clock;
  logger: Logger;
}

/** "an import", or "a command from the terminal": what holds the data folder, in the team's words. */
const busyWith = (holder: FolderHolder) => (holder.command.startsWith("korus facts import") ? "an import" : "a command from the terminal");

/** "busy with an import (`korus facts import`, running for 4 min)", or "starting up". */
export function busyReason(holder: FolderHolder | undefined, now: Date): string {
  if (!holder) return "starting up";
  const minutes = Math.floor((now.getTime() - Date.parse(holder.since)) / 60_000);
  const running = Number.isFinite(minutes) && minutes >= 1 ? `running for ${minutes} min` : "started just now";
  return `busy with ${busyWith(holder)} (\`${escapeMrkdwn(holder.command)}\`, ${running})`;
}

/** The words a person reads: what the bot is doing, and that it is back in a moment. */
export function busyMessage(holder: FolderHolder | undefined, now: Date): string {
  return `:hourglass_flowing_sand: korus-bot is ${busyReason(holder, now)} and will answer again in a moment. Nothing was done; please try again shortly.`;
}

/** Under a modal's field: at most a line, and Slack shows no markup there. */
function busyFieldError(holder: FolderHolder | undefined): string {
  return `korus-bot is ${holder ? `busy with ${busyWith(holder)}` : "starting up"}; nothing was saved. Your entries are kept: submit again in a moment.`;
}

/** A small modal with the message, for requests that can only show one. */
function busyModal(text: string) {
  return {
    type: "modal" as const,
    title: { type: "plain_text" as const, text: "korus-bot is busy" },
    close: { type: "plain_text" as const, text: "Back" },
    blocks: [{ type: "section" as const, text: { type: "mrkdwn" as const, text } }],
  };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
}

/** The block_id of the first input block of a submitted view, if it has one. */
function firstInputBlock(view: unknown): string | undefined {
  const blocks = (view as { blocks?: unknown } | undefined)?.blocks;
  if (!Array.isArray(blocks)) return undefined;
  const input = blocks.find((b): b is { block_id: string } => (b as { type?: unknown })?.type === "input" && typeof (b as { block_id?: unknown }).block_id === "string");
  return input?.block_id;
}

/** Builds the handler health.ts calls for requests that come before the bot is ready (HTTP mode). */
export function makeNotReadyHandler(deps: NotReadyDeps): NotReadyHandler {
  /** Tells the person through response_url, or in a modal opened with the trigger; failures are only logged. */
  const tell = async (payload: Record<string, unknown>, text: string) => {
    try {
      if (typeof payload.response_url === "string") {
        const res = await fetch(payload.response_url, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ response_type: "ephemeral", replace_original: false, text }),
        });
        if (!res.ok) throw new Error(`response_url answered ${res.status}`);
      } else if (typeof payload.trigger_id === "string") {
        const { WebClient } = await import("@slack/web-api");
        const client = new WebClient(deps.botToken, deps.slackApiUrl ? { slackApiUrl: deps.slackApiUrl.endsWith("/") ? deps.slackApiUrl : `${deps.slackApiUrl}/` } : {});
        const inModal = (payload.view as { type?: unknown } | undefined)?.type === "modal";
        const args = { trigger_id: payload.trigger_id, view: busyModal(text) };
        await (inModal ? client.views.push(args) : client.views.open(args));
      }
    } catch (error) {
      deps.logger.warn("could not tell a Slack user that the bot is busy:", error);
    }
  };

  return async (req: IncomingMessage, res: ServerResponse, holder: FolderHolder | undefined) => {
    if (req.method !== "POST" || new URL(req.url ?? "/", "http://localhost").pathname !== SLACK_EVENTS_PATH) return false;
    const rawBody = await readSlackBody(req, res, deps.clock);
    if (!rawBody) return true;
    const body = rawBody.toString("utf8");
    const checked = checkSlackBody(body, req.headers["content-type"]);
    if (checked.ok && checked.kind === "ssl_check") {
      res.writeHead(200).end();
      return true;
    }
    if (!verify(req, body, deps.signingSecret, deps.clock)) {
      deps.logger.warn(`rejected a request to ${SLACK_EVENTS_PATH} with a missing, wrong, stale or future-dated signature`);
      res.writeHead(401).end();
      return true;
    }
    if (!checked.ok) {
      deps.logger.warn(`rejected a signed request to ${SLACK_EVENTS_PATH} (400): ${checked.reason}`);
      res.writeHead(400, { "content-type": "text/plain" }).end("This request is not one this app handles.\n");
      return true;
    }
    const now = deps.clock.now();
    const text = busyMessage(holder, now);
    const payload = checked.payload;
    deps.logger.info(`answered a Slack ${checked.kind} while korus-bot is ${holder ? `waiting for ${holder.command}` : "starting"}`);
    switch (checked.kind) {
      case "command":
        json(res, 200, { response_type: "ephemeral", text });
        return true;
      case "view_submission": {
        const field = firstInputBlock(payload.view);
        json(res, 200, field ? { response_action: "errors", errors: { [field]: busyFieldError(holder) } } : { response_action: "push", view: busyModal(text) });
        return true;
      }
      case "block_actions":
      case "message_action":
        res.writeHead(200).end();
        await tell(payload, text);
        return true;
      case "event_callback":
        // Slack delivers an event again when it is not acked with a 2xx: the Home tab is then drawn once the bot is back.
        json(res, 503, { ok: false, error: holder ? "busy" : "starting" }, { "retry-after": "60" });
        return true;
      case "url_verification":
        json(res, 200, { challenge: payload.challenge });
        return true;
      default:
        // view_closed, app_rate_limited: nothing to show.
        res.writeHead(200).end();
        return true;
    }
  };
}
