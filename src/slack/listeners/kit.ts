/**
 * What every listener shares: the dependencies handler factories take, the ack bookkeeping that lets the one
 * `app.error` answer for a listener that failed, and small answers (an ephemeral notice, a form that opens or says why
 * it could not).
 */
import type { AnyMiddlewareArgs, Context, Middleware, RespondFn } from "@slack/bolt";
import type { View } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import type { LimitFunction } from "p-limit";
import type { PeopleDirectory } from "../../people/names.js";
import type { SlackDeps } from "../app.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { withinAckBudget } from "../ack-budget.js";
import { AlreadyTold, refusalOf } from "../refusals.js";
import { FormNotOpened, slackErrorCode } from "../slack-errors.js";
import { noticeView, STALE_TEXT } from "../views/expired.js";
import type { SlackMessage } from "../views/status.js";
import { noticeMessage } from "../views/facts.js";
import type { HomeTab } from "./home.js";
import { KorusError } from "../../errors.js";

/** What the handler factories take: the app's dependencies and the services built once from them. */
export interface ListenerDeps extends SlackDeps {
  /** People's names (src/people/names.ts), from the table that src/slack/people.ts fills. */
  people: PeopleDirectory;
  /** Work done after an ack runs through this queue, so that a burst of requests cannot starve the acks. */
  background: LimitFunction;
  home: HomeTab;
}

/** A stale button, menu or form (older message, deleted memo, forged value): app.error says so, nothing changes. */
export class StaleRequest extends KorusError<"stale_request"> {
  constructor(what: string) {
    super("stale_request", `stale request: ${what}`);
  }
}

type AnyAck = (response?: unknown) => Promise<void>;

/** Whether the listener handling this request acked yet, and how to ack or answer for it (context key). */
export interface AckState {
  acked: boolean;
  ack?: AnyAck;
  respond?: RespondFn;
}

const ACK_STATE = "korusAckState";

/** The ack bookkeeping of this request, when a listener or {@link rememberAck} recorded it. */
export function ackState(context: Context | undefined): AckState | undefined {
  return context?.[ACK_STATE] as AckState | undefined;
}

function record(context: Context, ack: AnyAck | undefined, respond: RespondFn | undefined): AnyAck | undefined {
  const state: AckState = { acked: false, ...(respond ? { respond } : {}) };
  if (ack) {
    state.ack = async (response?: unknown) => {
      state.acked = true;
      await ack(response);
    };
  }
  context[ACK_STATE] = state;
  return state.ack;
}

/**
 * The first global middleware: records the request's ack and respond, so that app.error can answer a request whose
 * middleware failed before any listener ran.
 */
export function rememberAck(): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const { ack, respond } = args as { ack?: AnyAck; respond?: RespondFn };
    record(args.context, ack, respond);
    await args.next();
  };
}

/** Acks through the recorded state (middleware that answers a request itself). */
export async function ackFromMiddleware(context: Context, response?: unknown): Promise<void> {
  const state = ackState(context);
  if (state?.ack && !state.acked) await state.ack(response);
}

/**
 * Wraps a listener so that the ack it calls is recorded: app.error then knows whether it may still answer in the ack
 * (a modal field error) or must follow up.
 */
export function tracked<A extends { context: Context }>(listener: (args: A) => Promise<void>): (args: A) => Promise<void> {
  return async (args) => {
    const { ack, respond } = args as unknown as { ack?: AnyAck; respond?: RespondFn };
    const wrapped = record(args.context, ack, respond);
    await listener(wrapped ? ({ ...args, ack: wrapped } as A) : args);
  };
}

/** An ephemeral notice to the person, through response_url (slash commands, buttons in messages). */
export async function tellEphemeral(respond: RespondFn, message: SlackMessage | string): Promise<void> {
  const body = typeof message === "string" ? noticeMessage(message) : message;
  await respond({ response_type: "ephemeral", replace_original: false, ...body });
}

/**
 * Tells the person something about what they did: ephemerally when the request has a response_url, else (a Home tab
 * button, a modal) by DM.
 */
export async function tellUser(client: WebClient, user: string, respond: RespondFn | undefined, message: SlackMessage | string): Promise<void> {
  const body = typeof message === "string" ? noticeMessage(message) : message;
  if (respond) await tellEphemeral(respond, body);
  else await client.chat.postMessage({ channel: user, ...body });
}

/** Opens a modal; when Slack refuses (an expired trigger, a view too large), app.error tells the person why. */
export async function openForm(client: WebClient, triggerId: string | undefined, view: View, form: string): Promise<string | undefined> {
  if (!triggerId) throw new FormNotOpened(form, "no_trigger_id");
  try {
    const opened = await client.views.open({ trigger_id: triggerId, view });
    return opened.view?.id;
  } catch (error) {
    throw new FormNotOpened(form, slackErrorCode(error));
  }
}

/** The small form shown while the real one is being built (docs/slack-platform.md: open at once, then views.update). */
function loadingView(form: string): View {
  return noticeView("korus-bot", `Opening the ${escapeMrkdwn(form)} form…`);
}

/**
 * Opens a form that takes a database read or two to build, within the trigger's 3 seconds: when `build` is ready
 * within the ack budget the form opens directly; otherwise a small "opening…" form opens at once and is replaced by
 * the real one (or by why it cannot open: a refusal, a stale request) when it is ready.
 */
export async function openFormSoon(deps: Pick<ListenerDeps, "ackBudgetMs">, client: WebClient, triggerId: string | undefined, form: string, build: Promise<View>): Promise<void> {
  let loadingId: string | undefined;
  try {
    const { value, late } = await withinAckBudget(
      build,
      async () => {
        loadingId = await openForm(client, triggerId, loadingView(form), form);
      },
      deps.ackBudgetMs,
    );
    if (!late) await openForm(client, triggerId, value, form);
    else if (loadingId) await client.views.update({ view_id: loadingId, view: value });
  } catch (error) {
    if (!loadingId || error instanceof FormNotOpened) throw error;
    // The person is looking at the "opening…" form: the answer goes there.
    const refused = refusalOf(error);
    const text = refused
      ? `:thinking_face: ${escapeMrkdwn(refused.text)}`
      : error instanceof StaleRequest
        ? STALE_TEXT
        : "Sorry, this form could not be built. It has been logged; please try again in a moment.";
    await client.views.update({ view_id: loadingId, view: noticeView("korus-bot", text) });
    throw new AlreadyTold(error);
  }
}
