import type { KnownBlock } from "@slack/types";
import { truncate } from "../../render/mrkdwn.js";
import { INPUT_ACTION } from "../ids.js";

/** A plain_text object (never parsed for mentions or links). */
export const plain = (text: string) => ({ type: "plain_text" as const, text });

/**
 * An input block whose one element answers to INPUT_ACTION, so that every form reads
 * `state.values[block_id][INPUT_ACTION]`. Label and hint are cut to Slack's 2,000 characters.
 */
export function inputBlock(
  blockId: string,
  label: string,
  element: Record<string, unknown>,
  opts: { optional?: boolean; hint?: string; dispatch?: boolean } = {},
): KnownBlock {
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
