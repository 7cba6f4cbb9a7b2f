import type { KnownBlock, MarkdownBlock } from "@slack/types";
import { defuseMarkdown } from "../../render/escape.js";
import { truncate } from "../../render/mrkdwn.js";
import { INPUT_ACTION } from "../ids.js";

/** A plain_text object (never parsed for mentions or links). */
export const plain = (text: string) => ({ type: "plain_text" as const, text });

/**
 * An input block whose one element answers to INPUT_ACTION, so that every form reads
 * `state.values[block_id][INPUT_ACTION]`. Label and hint are cut to Slack's 2,000 characters.
 */
export function inputBlock(blockId: string, label: string, element: Record<string, unknown>, opts: { optional?: boolean; hint?: string; dispatch?: boolean } = {}): KnownBlock {
  return {
    type: "input",
    block_id: blockId,
    label: plain(truncate(label, 2000)),
    optional: opts.optional ?? false,
    ...(opts.dispatch ? { dispatch_action: true } : {}),
    ...(opts.hint ? { hint: plain(truncate(opts.hint, 2000)) } : {}),
    element: { action_id: INPUT_ACTION, ...element },
  } as KnownBlock;
}

/**
 * A `markdown` block (messages only) for a Markdown document the bot built (a memo, a brief). The document escaped
 * every user text as it was built (src/render/escape.ts); the whole text goes through defuseMarkdown once more here,
 * so that no Slack mention or angle-bracket form reaches Slack from any path, template text included.
 */
export function markdownBlock(markdown: string): MarkdownBlock {
  return { type: "markdown", text: defuseMarkdown(markdown) };
}

/** One input's state as Slack submits it: `view.state.values[block_id][action_id]`. */
export interface InitialInputState {
  type: string;
  value?: string | null;
  selected_date?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: Array<{ value: string }>;
}

/**
 * The state values a view's input blocks submit when nobody touches them: each element's initial value, or the empty
 * value Slack sends (null). From a view the bot built, or the `view.blocks` Slack returns with a submission (the view
 * as it was shown); anything that is not an input block with an element is passed over.
 */
export function initialStateOf(blocks: unknown): Record<string, Record<string, InitialInputState>> {
  const values: Record<string, Record<string, InitialInputState>> = {};
  if (!Array.isArray(blocks)) return values;
  for (const block of blocks as Array<Record<string, unknown> | null>) {
    if (block?.type !== "input" || typeof block.block_id !== "string") continue;
    const e = block.element as Record<string, unknown> | null | undefined;
    if (!e || typeof e.action_id !== "string" || typeof e.type !== "string") continue;
    const text = (v: unknown) => (typeof v === "string" ? v : null);
    let state: InitialInputState;
    if (e.type === "plain_text_input" || e.type === "number_input") state = { type: e.type, value: text(e.initial_value) };
    else if (e.type === "datepicker") state = { type: e.type, selected_date: text(e.initial_date) };
    else if (e.type === "static_select") {
      const o = e.initial_option as { value?: unknown } | undefined;
      state = { type: e.type, selected_option: typeof o?.value === "string" ? { value: o.value } : null };
    } else if (e.type === "checkboxes") {
      const os = Array.isArray(e.initial_options) ? (e.initial_options as Array<{ value?: unknown }>) : [];
      state = { type: e.type, selected_options: os.filter((o) => typeof o?.value === "string").map((o) => ({ value: o.value as string })) };
    } else continue;
    values[block.block_id] = { [e.action_id]: state };
  }
  return values;
}
