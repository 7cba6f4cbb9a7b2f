import type { Button } from "@slack/types";
import type { MemoView } from "../../memos/read.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { truncate } from "../../render/mrkdwn.js";
import { ACTION_IDS } from "../ids.js";
import type { DiffRef, MemoRef } from "../carried-values.js";
import { SLACK_LIMITS } from "../limits.js";
import { plain } from "./blocks.js";
import type { SlackMessage } from "./status.js";

/**
 * The message under an assembled memo in its thread: which assembly it is, and buttons for the Word file, the canvas
 * and (from the second assembly on) the changes since the previous one.
 */
export function assembledActionsMessage(memo: MemoView, assembly: { number: number; previous: number | null; asOf: string }): SlackMessage {
  const ref = JSON.stringify({ m: memo.id } satisfies MemoRef);
  const elements: Button[] = [
    { type: "button", action_id: ACTION_IDS.memoExportDocx, text: plain("Export .docx"), value: ref },
    { type: "button", action_id: ACTION_IDS.memoCanvas, text: plain(memo.canvasId ? "Update canvas" : "Publish as canvas"), value: ref },
  ];
  if (assembly.previous) {
    elements.push({
      type: "button",
      action_id: ACTION_IDS.memoDiff,
      text: plain("Changes since last version"),
      value: JSON.stringify({ m: memo.id, f: assembly.previous, t: assembly.number } satisfies DiffRef),
    });
  }
  const line = `Version ${assembly.number} of memo #${memo.id}, as of ${assembly.asOf}.${assembly.previous ? ` Changes since version ${assembly.previous}: the button below, or \`korus memo diff ${memo.id}\`.` : ""}`;
  return {
    text: truncate(escapeMrkdwn(`Memo #${memo.id}, version ${assembly.number}: export, canvas${assembly.previous ? ", changes" : ""}`), SLACK_LIMITS.messageText),
    blocks: [
      { type: "context", elements: [{ type: "mrkdwn", text: truncate(line, 3000) }] },
      { type: "actions", block_id: "memo_outputs", elements },
    ],
  };
}
