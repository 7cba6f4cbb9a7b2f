import type { KnownBlock, ModalView } from "@slack/types";
import { truncate } from "../../render/mrkdwn.js";
import { plain } from "./blocks.js";

/** What a person is told when a button, menu or form the bot no longer understands reaches it. */
export const STALE_TEXT =
  "That button or form is no longer valid (it may be from an older message, of a memo or fact that is gone, or from before the bot was updated). Nothing was changed. Start again from `/korus help` or the app's Home tab.";

/**
 * A small modal that only says something: the answer that replaces a submitted form (saved, not saved, expired).
 * `text` is mrkdwn (escape user text first); `extra` adds blocks, e.g. the person's own text in plain_text to copy.
 */
export function noticeView(title: string, text: string, extra: KnownBlock[] = []): ModalView {
  return {
    type: "modal",
    title: plain(truncate(title, 24)),
    close: plain("Close"),
    blocks: [{ type: "section", text: { type: "mrkdwn", text: truncate(text, 3000) } }, ...extra],
  };
}

/** The person's own text, as plain_text (never parsed) so that it can be copied from a form that could not save it. */
export function yourTextBlocks(text: string): KnownBlock[] {
  if (!text.trim()) return [];
  return [
    { type: "header", text: plain("Your text (not saved)") },
    { type: "section", text: plain(truncate(text, 3000)) },
  ];
}

/** The answer to a submission of a modal the bot does not know (or no longer can read): replace it with why. */
export function expiredViewResponse(text?: string) {
  return {
    response_action: "update" as const,
    view: noticeView(
      "korus-bot",
      "This form is no longer valid (the bot may have been updated since it opened). Nothing was saved. Please open it again from `/korus help`.",
      text ? yourTextBlocks(text) : [],
    ),
  };
}
