/** Builders for Slack interaction payloads, shaped like the examples in Slack's documentation. */

const team = { id: "T0001", domain: "example" };
let counter = 0;

/** A `view_submission` of a modal with `callbackId`, with state values as Slack sends them. */
export function viewSubmission(options: {
  callbackId: string;
  values: Record<string, Record<string, unknown>>;
  privateMetadata?: string;
  user?: string;
  viewId?: string;
  /** The view's blocks, which Slack sends back with the submission as the view was shown. */
  blocks?: unknown[];
}) {
  counter++;
  return {
    type: "view_submission",
    team,
    user: { id: options.user ?? "U0ANALYST", username: "analyst", name: "analyst", team_id: team.id },
    api_app_id: "A0KORUS",
    token: "legacy",
    trigger_id: `${counter}.1234.view`,
    view: {
      id: options.viewId ?? `V${counter}`,
      team_id: team.id,
      type: "modal",
      callback_id: options.callbackId,
      private_metadata: options.privateMetadata ?? "",
      state: { values: options.values },
      hash: `${counter}.abcdef`,
      title: { type: "plain_text", text: "Modal" },
      blocks: options.blocks ?? [],
    },
    response_urls: [],
  };
}

/** A `block_actions` payload for one action in a message (with a response_url) or a view. */
export function blockAction(options: { actionId: string; value?: string; selectedOption?: string; user?: string; responseUrl?: string; channel?: string; blockId?: string }) {
  counter++;
  const action: Record<string, unknown> = {
    action_id: options.actionId,
    block_id: options.blockId ?? "b",
    action_ts: `${counter}.0001`,
    type: options.selectedOption ? "overflow" : "button",
  };
  if (options.value !== undefined) action.value = options.value;
  if (options.selectedOption) action.selected_option = { text: { type: "plain_text", text: "x" }, value: options.selectedOption };
  return {
    type: "block_actions",
    team,
    user: { id: options.user ?? "U0ANALYST", username: "analyst", name: "analyst", team_id: team.id },
    api_app_id: "A0KORUS",
    token: "legacy",
    container: { type: "message", message_ts: "1500000000.000100", channel_id: options.channel ?? "C0TEAM", is_ephemeral: true },
    trigger_id: `${counter}.1234.action`,
    channel: { id: options.channel ?? "C0TEAM", name: "korus-team" },
    response_url: options.responseUrl ?? "http://127.0.0.1:9/unused",
    actions: [action],
  };
}

/** State values for inputs: plain text, selects and date pickers, keyed by block_id with action_id "value". */
export const input = {
  text: (value: string | null) => ({ value: { type: "plain_text_input", value } }),
  number: (value: string | null) => ({ value: { type: "number_input", value } }),
  select: (value: string | null) => ({ value: { type: "static_select", selected_option: value === null ? null : { text: { type: "plain_text", text: value }, value } } }),
  date: (value: string | null) => ({ value: { type: "datepicker", selected_date: value } }),
};

/** A `message_action` (message shortcut) payload, as Slack sends it for the message's "More actions" menu. */
export function messageAction(options: { callbackId: string; text: string; ts: string; user?: string; channel?: { id: string; name: string } }) {
  counter++;
  return {
    type: "message_action",
    token: "legacy",
    action_ts: `${options.ts}1`,
    team,
    user: { id: options.user ?? "U0ANALYST", username: "analyst", team_id: team.id, name: "analyst" },
    channel: options.channel ?? { id: "C0TEAM", name: "korus-team" },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: options.callbackId,
    trigger_id: `${counter}.1234.shortcut`,
    response_url: "http://127.0.0.1:9/unused",
    message_ts: options.ts,
    message: { type: "message", user: "U0WRITER", ts: options.ts, text: options.text, team: team.id },
  };
}

/**
 * The state values Slack submits for a view nobody touched: every input block's initial value, or the empty value
 * (null) Slack sends for an input left empty. Written here from Slack's documented shapes, not from the bot's reader.
 */
export function untouchedValues(view: { blocks: Array<Record<string, unknown>> }): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks) {
    if (block.type !== "input") continue;
    const element = block.element as Record<string, unknown> & { action_id: string; type: string };
    let state: Record<string, unknown>;
    switch (element.type) {
      case "plain_text_input":
      case "number_input":
        state = { type: element.type, value: element.initial_value ?? null };
        break;
      case "datepicker":
        state = { type: element.type, selected_date: element.initial_date ?? null };
        break;
      case "static_select":
        state = { type: element.type, selected_option: element.initial_option ?? null };
        break;
      case "checkboxes":
        state = { type: element.type, selected_options: element.initial_options ?? [] };
        break;
      default:
        throw new Error(`untouchedValues: no rule for ${element.type}`);
    }
    values[block.block_id as string] = { [element.action_id]: state };
  }
  return values;
}
