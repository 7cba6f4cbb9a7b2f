/**
 * Requests the bot has no listener for, answered at once so that nobody waits 3 s for Slack's warning: another slash
 * command gets a pointer to /korus; a form the bot never opened (or opened before an update) gets the "expired" view;
 * a button or menu from an older message whose action the bot no longer knows is acked and explained; a closed form
 * is acked.
 */
import type { AnyMiddlewareArgs, Middleware, RespondFn } from "@slack/bolt";
import type { Logger } from "../../logger.js";
import { requestLogger } from "../reference.js";
import { COMMAND, isKnownActionId, KNOWN_VIEW_CALLBACK_IDS } from "../ids.js";
import { expiredViewResponse, STALE_TEXT } from "../views/expired.js";
import { ackFromMiddleware, tellUser } from "./kit.js";

interface StrayBody {
  type?: string;
  command?: string;
  user?: { id: string };
  response_url?: string;
  view?: { callback_id?: string };
  actions?: Array<{ action_id: string }>;
}

/** The middleware answering stray requests; everything else goes on to the listeners. */
export function strayRequests(logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const body = args.body as StrayBody;
    if (typeof body.command === "string" && body.command !== COMMAND) {
      // A manifest may route another command here by mistake; say so instead of leaving the user waiting.
      await ackFromMiddleware(args.context, { response_type: "ephemeral", text: `This app answers ${COMMAND} only. Try \`${COMMAND} help\`.` });
      return;
    }
    if (body.type === "view_submission" && !KNOWN_VIEW_CALLBACK_IDS.has(body.view?.callback_id ?? "")) {
      requestLogger(args.context, logger).warn(`view_submission for unknown view ${JSON.stringify(body.view?.callback_id ?? null)}`);
      await ackFromMiddleware(args.context, expiredViewResponse());
      return;
    }
    if (body.type === "view_closed") {
      // No form asks to hear about closing (notify_on_close); one that does is acked and forgotten.
      await ackFromMiddleware(args.context);
      return;
    }
    if (body.type === "block_actions" && body.actions?.some((a) => !isKnownActionId(a.action_id))) {
      const unknown = body.actions.find((a) => !isKnownActionId(a.action_id))!.action_id;
      requestLogger(args.context, logger).warn(`block_actions with unknown action_id ${JSON.stringify(unknown).slice(0, 80)} from ${body.user?.id ?? "?"}`);
      await ackFromMiddleware(args.context);
      const respond = body.response_url ? ((args as { respond?: RespondFn }).respond ?? undefined) : undefined;
      if (body.user?.id) await tellUser(args.client, body.user.id, respond, STALE_TEXT);
      return;
    }
    await args.next();
  };
}
