/**
 * The shapes of the requests the bot handles, as zod schemas, checked before Bolt routes a request. Bolt trusts the
 * body of a signed request: `payload=null`, a JSON body `null`, a `view` of null, a missing `user` or an `event` that is
 * not an object make it throw (a 500, or for a body of `null` a rejection nobody awaits, which ends the process). A
 * body that does not match gets a 400 with the reason logged instead.
 *
 * The schemas describe what Slack sends for what manifest.yml subscribes to (the /korus command, block_actions and
 * view_submission/view_closed from the bot's own messages, modals and Home tab, the app_home_opened, message.im and
 * user_change events, URL verification) and only as far as Bolt or the bot reads it; other fields pass unchecked. Everything else
 * (global shortcuts, options requests, legacy attachments and dialogs, events the app does not subscribe to) is refused.
 * The one message shortcut ("Save as KORUS fact") is checked as `message_action`.
 */
import { type ParsedUrlQuery, parse as parseQuery } from "node:querystring";
import { z } from "zod";

const id = z.string().min(1).max(255);
const url = z
  .string()
  .max(3000)
  .regex(/^https?:\/\//, "must be an http(s) URL");
const user = z.object({ id, team_id: z.string().optional() });
// Bolt reads team.id, else user.team_id (an org-wide install sends team: null), and enterprise.id.
const team = z.object({ id: z.string().optional(), enterprise_id: z.string().nullish() }).nullish();
const enterprise = z.object({ id: z.string() }).nullish();
// Bolt reads response_urls[0].response_url on every kind of request without a response_url.
const responseUrls = z.array(z.object({ response_url: url })).optional();

/** One input element's state, as `view.state.values[block_id][action_id]`. */
const inputState = z.object({
  type: z.string().optional(),
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
  selected_options: z.array(z.object({ value: z.string() })).optional(),
  selected_date: z.string().nullish(),
  selected_time: z.string().nullish(),
  selected_date_time: z.number().nullish(),
  selected_conversation: z.string().nullish(),
  selected_conversations: z.array(z.string()).optional(),
  selected_channel: z.string().nullish(),
  selected_channels: z.array(z.string()).optional(),
  selected_user: z.string().nullish(),
  selected_users: z.array(z.string()).optional(),
  /** A rich_text_input's value: a rich_text block, checked by src/slack/rich-text.ts when read. */
  rich_text_value: z.unknown().optional(),
});

/** `view.state.values`: block_id -> action_id -> element state. */
export const stateValuesSchema = z.record(z.string(), z.record(z.string(), inputState));
/** The state values of a submitted form, checked. */
export type StateValues = z.infer<typeof stateValuesSchema>;

const view = z.object({
  id,
  type: z.string().optional(),
  callback_id: z.string().max(255).optional(),
  private_metadata: z.string().max(3000).optional(),
  hash: z.string().optional(),
  app_installed_team_id: z.string().optional(),
  state: z.object({ values: stateValuesSchema }).optional(),
});

const action = z.object({
  action_id: z.string().max(255),
  block_id: z.string().max(255).optional(),
  type: z.string(),
  value: z.string().max(2000).optional(),
  selected_option: z.object({ value: z.string().max(2000) }).nullish(),
  action_ts: z.string().optional(),
});

const blockActions = z.object({
  type: z.literal("block_actions"),
  user,
  team,
  enterprise,
  trigger_id: z.string().max(255).optional(),
  response_url: url.optional(),
  response_urls: responseUrls,
  // Bolt reads channel.id whenever channel is not undefined: null is refused.
  channel: z.object({ id }).optional(),
  container: z.object({ type: z.string() }).optional(),
  view: view.nullish(),
  actions: z.array(action).min(1).max(25),
});

const viewSubmission = z.object({
  type: z.literal("view_submission"),
  user,
  team,
  enterprise,
  trigger_id: z.string().max(255).optional(),
  view: view.extend({ callback_id: z.string().max(255), private_metadata: z.string().max(3000), state: z.object({ values: stateValuesSchema }) }),
  response_url: url.optional(),
  response_urls: responseUrls,
});

/** A message shortcut: Bolt reads channel.id, message and trigger_id; the bot reads message.ts and text. */
const messageAction = z.object({
  type: z.literal("message_action"),
  callback_id: z.string().max(255),
  trigger_id: z.string().min(1).max(255),
  user,
  team,
  enterprise,
  channel: z.object({ id, name: z.string().max(255).optional() }),
  message: z.object({ ts: z.string().regex(/^\d{1,12}\.\d{1,9}$/, "must be a Slack ts"), text: z.string().max(50_000).optional() }).passthrough(),
  response_url: url.optional(),
});

const viewClosed = z.object({
  type: z.literal("view_closed"),
  user,
  team,
  enterprise,
  response_url: url.optional(),
  response_urls: responseUrls,
  view: view.extend({ callback_id: z.string().max(255) }),
});

const slashCommand = z.object({
  command: z.string().regex(/^\/\S{1,31}$/, "must be a /command"),
  text: z.string().max(4000).optional(),
  team_id: id,
  user_id: id,
  channel_id: id,
  trigger_id: id,
  response_url: url,
  enterprise_id: z.string().optional(),
  is_enterprise_install: z.string().optional(),
});

const authorizations = z.array(z.object({ team_id: z.string().nullish(), enterprise_id: z.string().nullish(), is_enterprise_install: z.boolean().optional() })).optional();

const appHomeOpened = z.object({ type: z.literal("app_home_opened"), user: id, channel: z.string().optional(), tab: z.string().optional() });
const message = z.object({
  type: z.literal("message"),
  channel: id,
  channel_type: z.string().optional(),
  user: z.string().optional(),
  bot_id: z.string().optional(),
  subtype: z.string().optional(),
  text: z.string().optional(),
  ts: z.string().optional(),
  thread_ts: z.string().optional(),
});

/** `user_change`: the bot reads the user's id, names, flags and `updated` (src/slack/people.ts). */
const userChange = z.object({
  type: z.literal("user_change"),
  user: z
    .object({
      id,
      name: z.string().max(1000).optional(),
      real_name: z.string().max(1000).optional(),
      deleted: z.boolean().optional(),
      is_bot: z.boolean().optional(),
      updated: z.number().optional(),
      profile: z.object({ real_name: z.string().max(1000).optional(), display_name: z.string().max(1000).optional() }).optional(),
    })
    .passthrough(),
});

const eventCallback = z.object({
  type: z.literal("event_callback"),
  team_id: z.string().optional(),
  enterprise_id: z.string().nullish(),
  authorizations,
  event_id: z.string().optional(),
  response_url: url.optional(),
  response_urls: responseUrls,
  event: z.discriminatedUnion("type", [appHomeOpened, message, userChange]),
});

const urlVerification = z.object({ type: z.literal("url_verification"), challenge: z.string().max(1000) });
/** Slack tells the app it dropped events over its rate limit; nothing routes it, so it is answered before Bolt. */
const appRateLimited = z.object({ type: z.literal("app_rate_limited"), minute_rate_limited: z.number().optional() });

/** The result of checking a request body: what it is, or why it is refused. */
export type BodyCheck =
  | {
      ok: true;
      kind: "command" | "block_actions" | "view_submission" | "view_closed" | "message_action" | "event_callback" | "url_verification" | "ssl_check";
      /** The body as parsed (fields beyond the schema's included). */
      payload: Record<string, unknown>;
    }
  | { ok: true; kind: "app_rate_limited"; body: z.infer<typeof appRateLimited>; payload: Record<string, unknown> }
  | { ok: false; reason: string };

function explain(kind: string, error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue?.path.length ? issue.path.join(".") : "(body)";
  return `${kind}: ${path}: ${issue?.message ?? "invalid"}`;
}

function check<K extends Exclude<BodyCheck, { ok: false }>["kind"]>(kind: K, schema: z.ZodType, body: unknown): BodyCheck {
  const result = schema.safeParse(body);
  if (!result.success) return { ok: false, reason: explain(kind, result.error) };
  const payload = body as Record<string, unknown>;
  return kind === "app_rate_limited" ? { ok: true, kind, body: result.data as z.infer<typeof appRateLimited>, payload } : ({ ok: true, kind, payload } as BodyCheck);
}

/**
 * Parses a signed request body the way Bolt's HTTP receiver will (a form with a JSON `payload` field, a form of slash
 * command fields, or JSON) and checks it against the shapes above (`parsedForm`: the form already read from `rawBody`), in Bolt's routing order (an `event` key makes it
 * an event, `command` a command, `actions` an action, then `type`).
 */
export function checkSlackBody(rawBody: string, contentType: string | undefined, parsedForm?: ParsedUrlQuery): BodyCheck {
  let body: unknown;
  try {
    if (contentType === "application/x-www-form-urlencoded") {
      const form = parsedForm ?? parseQuery(rawBody);
      if (form.ssl_check === "1") return { ok: true, kind: "ssl_check", payload: form };
      body = typeof form.payload === "string" ? JSON.parse(form.payload) : form;
      if (body === form && "payload" in form) return { ok: false, reason: "form: payload: must be one JSON field" };
    } else {
      body = JSON.parse(rawBody);
    }
  } catch {
    return { ok: false, reason: "body: not JSON" };
  }
  return checkSlackPayload(body);
}

/** Checks an already parsed body (HTTP after parsing; Socket Mode, where the socket delivers it parsed). */
export function checkSlackPayload(body: unknown): BodyCheck {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, reason: `body: expected an object, got ${body === null ? "null" : Array.isArray(body) ? "an array" : typeof body}` };
  }
  const b = body as Record<string, unknown>;
  if (b.event !== undefined) return check("event_callback", eventCallback, b);
  if (b.command !== undefined) return check("command", slashCommand, b);
  if (b.name !== undefined) return { ok: false, reason: "options requests (name) are not handled" };
  if (b.actions !== undefined) return check("block_actions", blockActions, b);
  switch (b.type) {
    case "view_submission":
      return check("view_submission", viewSubmission, b);
    case "view_closed":
      return check("view_closed", viewClosed, b);
    case "message_action":
      return check("message_action", messageAction, b);
    case "url_verification":
      return check("url_verification", urlVerification, b);
    case "app_rate_limited":
      return check("app_rate_limited", appRateLimited, b);
    default:
      return { ok: false, reason: `type: ${JSON.stringify(b.type ?? null).slice(0, 60)} is not a request this app handles` };
  }
}
