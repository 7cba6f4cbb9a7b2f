import { KorusError } from "../errors.js";
/**
 * Slack's errors in the words of the people who hit them. The domain says what failed ("the owner's DM"); this module
 * says why, as Slack reported it, for the thread, an ephemeral reply or a modal.
 */

/** The Slack error code of a failed Web API call (`channel_not_found`, `ratelimited`, `http_503`), else a short name. */
export function slackErrorCode(error: unknown): string {
  const e = error as { data?: { error?: unknown }; code?: unknown; statusCode?: unknown; message?: unknown } | null;
  if (typeof e?.data?.error === "string") return e.data.error;
  if (e?.code === "slack_webapi_rate_limited_error") return "ratelimited";
  if (e?.code === "slack_webapi_http_error" && typeof e.statusCode === "number") return `http_${e.statusCode}`;
  if (e?.code === "slack_webapi_request_error") return "network_error";
  return typeof e?.message === "string" && e.message ? e.message.slice(0, 80) : "unknown_error";
}

/** Why a DM to a person could not be delivered, for "could not DM <@U…>: …". */
export function describeDmFailure(code: string): string {
  switch (code) {
    case "channel_not_found":
    case "not_in_channel":
      return "they have not opened the app, or Slack does not let me message them";
    case "user_not_found":
      return "there is no such user in this workspace";
    case "user_disabled":
    case "account_inactive":
      return "their account is deactivated";
    case "cannot_dm_bot":
      return "that is a bot";
    case "restricted_action":
    case "not_allowed_token_type":
      return "the workspace does not let me message them";
    case "ratelimited":
      return "Slack was busy (rate limited), so the message was not sent";
    default:
      return `Slack said \`${code}\``;
  }
}

/** Why a post to a channel failed, for the person who asked for it. */
export function describePostFailure(code: string): string {
  switch (code) {
    case "not_in_channel":
    case "channel_not_found":
      return "I am not in that channel (for a private channel, `/invite @korus` there first)";
    case "is_archived":
      return "the channel is archived";
    case "restricted_action":
      return "the channel does not let me post";
    case "msg_too_long":
    case "msg_blocks_too_long":
      return "the message was too long for Slack";
    case "ratelimited":
      return "Slack was busy (rate limited)";
    default:
      return `Slack said \`${code}\``;
  }
}

/** Why a form (modal) could not open. */
export function describeOpenFailure(code: string): string {
  switch (code) {
    case "expired_trigger_id":
    case "trigger_exchanged":
      return "your click reached me too late to open a form (Slack allows 3 seconds)";
    case "view_too_large":
      return "the form was too large for Slack";
    default:
      return `Slack said \`${code}\``;
  }
}

/** A form that could not open: app.error answers the person with {@link describeOpenFailure}. */
export class FormNotOpened extends KorusError<"form_not_opened"> {
  constructor(
    readonly form: string,
    readonly slackError: string,
  ) {
    super("form_not_opened", `the ${form} form could not open: ${slackError}`);
  }
}
