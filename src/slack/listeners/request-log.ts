import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import { type Logger, newRequestId } from "../../logger.js";

/**
 * Gives every Slack request an id (kept when the HTTP server set one already; Socket Mode gets one here) and a logger
 * whose lines carry it, both in Bolt's context for the listeners (`requestLogger`, `newReference` in reference.ts);
 * logs one line per request: what it was, who sent it, how long the listeners took.
 */
export function requestLog(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const context = args.context as { reqId?: unknown; log?: Logger };
    // Made once per request: the HTTP handler passes its own in; Socket Mode requests get theirs here.
    if (typeof context.reqId !== "string" || !context.log) {
      context.reqId = newRequestId();
      context.log = logger.child({ reqId: context.reqId });
    }
    const log = context.log;
    const started = performance.now();
    try {
      await args.next();
    } finally {
      // Described only when the line is written: at LOG_LEVEL=warn or above this costs nothing.
      if (log.level === "info" || log.level === "debug") {
        log.info({ slack: describeRequest(args.body), ms: Math.round(performance.now() - started) }, "slack request");
      }
    }
  };
}

/** What a request is, in a few safe fields (never its token, response_url or text). */
export function describeRequest(body: unknown): Record<string, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  const pick = (v: unknown) => (typeof v === "string" ? v.slice(0, 80) : undefined);
  const user = b.user as { id?: unknown } | undefined;
  const team = b.team as { id?: unknown } | undefined;
  const view = b.view as { callback_id?: unknown } | undefined;
  const event = b.event as { type?: unknown } | undefined;
  const actions = b.actions as Array<{ action_id?: unknown }> | undefined;
  const out: Record<string, string | undefined> = {
    type: pick(b.type) ?? (typeof b.command === "string" ? "slash_command" : undefined),
    command: pick(b.command),
    event: pick(event?.type),
    callback_id: pick(view?.callback_id) ?? pick(b.callback_id),
    action_id: Array.isArray(actions) ? pick(actions[0]?.action_id) : undefined,
    user: pick(b.user_id) ?? pick(user?.id),
    team: pick(b.team_id) ?? pick(team?.id),
  };
  return Object.fromEntries(Object.entries(out).filter((e): e is [string, string] => e[1] !== undefined));
}
