/**
 * The one `app.error`: every error a listener or middleware throws ends here. Refusals the person can act on (the
 * domain's typed errors, a stale button, a form Slack would not open) become an answer to them: a field error in the
 * modal when the ack is still open, else an ephemeral message (or a DM where there is no response_url). Anything else
 * is logged with a reference that the person sees, never a stack trace. It never throws: a failure to answer is logged.
 */
import type { CodedError, Context, RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Logger } from "../logger.js";
import { escapeMrkdwn } from "../render/escape.js";
import { newReference, requestLogger } from "./reference.js";
import { ackState, StaleRequest, tellUser } from "./listeners/kit.js";
import { AlreadyTold, refusalOf } from "./refusals.js";
import { slackErrorCode } from "./slack-errors.js";
import { noticeView, STALE_TEXT } from "./views/expired.js";
import { failureMessage } from "./views/help.js";

/** What Bolt passes an extended error handler (its type is not exported). */
export interface ErrorHandlerArgs {
  error: CodedError;
  body: unknown;
  context: Context;
}

/** What went wrong, in terms of how to answer it. */
type Answer = { kind: "refused"; text: string; fields: Record<string, string> } | { kind: "stale" } | { kind: "internal"; reference: string } | { kind: "told" };

/** Bolt wraps errors without a `code`; MultipleListenerError holds several. The first real one. */
function unwrap(error: CodedError): unknown {
  const e = error as CodedError & { original?: unknown; originals?: unknown[] };
  if (Array.isArray(e.originals) && e.originals.length > 0) return e.originals[0];
  return e.original ?? e;
}

interface Body {
  type?: string;
  command?: string;
  user?: { id?: string };
  user_id?: string;
  view?: { id?: string; callback_id?: string; state?: { values?: Record<string, unknown> } };
  actions?: Array<{ action_id?: string }>;
  event?: { type?: string; user?: string };
}

function describeRequest(body: Body): string {
  if (body.command) return `${body.command} command`;
  if (body.type === "view_submission") return `view_submission of ${body.view?.callback_id ?? "?"}`;
  if (body.type === "block_actions") return `block_actions ${body.actions?.[0]?.action_id ?? "?"}`;
  if (body.event) return `${body.event.type ?? "?"} event`;
  return body.type ?? "request";
}

/** Field errors keyed by the form's block ids: a domain field with a block of that name, else the form's first block. */
function fieldErrors(body: Body, text: string, fields: Record<string, string>): Record<string, string> | undefined {
  const blocks = Object.keys(body.view?.state?.values ?? {});
  // A refusal about the whole form (not allowed, gone) replaces the form; one about a field goes under it.
  if (blocks.length === 0 || Object.keys(fields).length === 0) return undefined;
  const errors: Record<string, string> = {};
  for (const [field, message] of Object.entries(fields)) if (blocks.includes(field)) errors[field] = message;
  if (Object.keys(errors).length > 0) return errors;
  return { [blocks[0]!]: text };
}

/**
 * Builds the handler for `app.error` (register it with `extendedErrorHandler: true`, which passes the request's body
 * and context). `client` is the app's own Web API client.
 */
export function makeErrorHandler(deps: { logger: Logger }, client: WebClient): (args: ErrorHandlerArgs) => Promise<void> {
  return async ({ error: coded, body: rawBody, context }) => {
    const unwrapped = unwrap(coded);
    const told = unwrapped instanceof AlreadyTold;
    const error = told ? unwrapped.inner : unwrapped;
    const body = (rawBody ?? {}) as Body;
    const what = describeRequest(body);
    const user = body.user?.id ?? body.user_id ?? body.event?.user;
    const log = requestLogger(context, deps.logger);
    let answer: Answer;
    const refused = refusalOf(error);
    if (told) {
      answer = { kind: "told" };
      if (refused) log.info(`${what} by ${user ?? "?"} refused: ${refused.text}`);
      else log.error(`${what} by ${user ?? "?"} failed (the person was told in the form):`, error);
    } else if (refused) {
      answer = { kind: "refused", ...refused };
      log.info(`${what} by ${user ?? "?"} refused: ${refused.text}`);
    } else if (error instanceof StaleRequest) {
      answer = { kind: "stale" };
      log.warn(`${what} by ${user ?? "?"}: ${error.message}`);
    } else {
      answer = { kind: "internal", reference: newReference(context) };
      log.error(`${what} by ${user ?? "?"} failed (reference ${answer.reference}):`, error);
    }
    try {
      await deliver(client, body, context, user, answer);
    } catch (failure) {
      log.error(`could not tell ${user ?? "the user"} about the failed ${what} (${slackErrorCode(failure)}):`, failure);
    }
  };
}

async function deliver(client: WebClient, body: Body, context: Context, user: string | undefined, answer: Answer): Promise<void> {
  const state = ackState(context);
  if (answer.kind === "told") {
    if (state?.ack && !state.acked) await state.ack();
    return;
  }
  const text = answer.kind === "refused" ? escapeMrkdwn(answer.text) : answer.kind === "stale" ? STALE_TEXT : failureMessage("do that", answer.reference).text;
  const canAck = state?.ack !== undefined && !state.acked;

  if (body.type === "view_submission") {
    if (canAck) {
      const errors = answer.kind === "refused" ? fieldErrors(body, answer.text, answer.fields) : undefined;
      await state.ack!(errors ? { response_action: "errors", errors } : { response_action: "update", view: noticeView(answer.kind === "refused" ? "Not saved" : "korus-bot", text) });
      return;
    }
    // Acked already (the work ran past the ack budget): the form shows "Saving…"; replace it with the outcome.
    if (body.view?.id) {
      try {
        await client.views.update({ view_id: body.view.id, view: noticeView("Not saved", text) });
        return;
      } catch {
        // The form is gone (closed, or replaced since): tell the person by DM below.
      }
    }
  } else if (canAck) {
    await state.ack!();
  }
  if (body.event || !user) return;
  const respond: RespondFn | undefined = state?.respond;
  await tellUser(client, user, respond, text);
}
