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

/**
 * A `markdown` block (messages only) for a Markdown document the bot built (a memo, a brief). The document escaped
 * every user text as it was built (src/render/escape.ts); the whole text goes through defuseMarkdown once more here,
 * so that no Slack mention or angle-bracket form reaches Slack from any path, template text included.
 */
export function markdownBlock(markdown: string): MarkdownBlock {
  return { type: "markdown", text: defuseMarkdown(markdown) };
}
