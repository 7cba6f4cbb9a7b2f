/** `/korus memo ...` after its ack: new (the form), list, show, history, assemble. */
import type { RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { escapeMrkdwn } from "../../../render/escape.js";
import { truncate } from "../../../render/mrkdwn.js";
import { SLACK_LIMITS } from "../../limits.js";
import { noticeMessage } from "../../views/facts.js";
import { memoListMessage, trackingMessage } from "../../views/memos.js";
import { isSlackUserId } from "../../ids.js";
import type { SlackMessage } from "../../views/status.js";
import { type ListenerDeps, tellEphemeral } from "../kit.js";
import { openNewMemoForm } from "./form.js";
import { assembleMemo } from "./lifecycle.js";
import type { MemoNotices } from "./notices.js";
import { count } from "../../../render/count.js";

/** Runs a memo subcommand of `/korus` after it was acked. */
export type MemoCommandRunner = (
  parsed: { name: string; id?: number; section?: string; template?: string },
  ctx: { user: string; channel: string; triggerId: string; client: WebClient; respond: RespondFn },
) => Promise<void>;

/** A section's revisions: who wrote how much when, with the start of each text. */
export async function memoHistoryMessage(deps: Pick<ListenerDeps, "services">, memoId: number, key: string): Promise<SlackMessage> {
  const { section, revisions } = await deps.services.memos.sectionHistory(memoId, key);
  const lines = revisions.map(
    (r) =>
      `• rev ${r.revision} · ${isSlackUserId(r.author) ? `<@${r.author}>` : escapeMrkdwn(r.authorName)} · ${r.at.toISOString().slice(0, 16).replace("T", " ")} UTC · ${count(r.text.length)} chars: “${escapeMrkdwn(truncate(r.text.replace(/\s+/g, " "), 160))}”`,
  );
  return noticeMessage(truncate(`*History of ${escapeMrkdwn(section.title)}* (memo #${memoId})\n${lines.join("\n") || "No revisions yet."}`, SLACK_LIMITS.sectionText));
}

/** The runner for `/korus memo ...`; refusals (no such memo, ...) go to app.error, which answers ephemerally. */
export function makeMemoCommandRunner(deps: ListenerDeps, notices: MemoNotices): MemoCommandRunner {
  return async (parsed, ctx) => {
    const { respond, client } = ctx;
    switch (parsed.name) {
      case "memo-new":
        await openNewMemoForm(deps, client, { triggerId: ctx.triggerId, user: ctx.user, channel: ctx.channel, ...(parsed.template ? { templateId: parsed.template } : {}), respond });
        return;
      case "memo-list":
        await respond({ response_type: "ephemeral", ...memoListMessage(await deps.services.memos.listMemos({ states: ["open", "assembled"] }), deps.timeZone) });
        return;
      case "memo-show": {
        const memo = await deps.services.memos.getMemo(parsed.id!);
        await respond({ response_type: "ephemeral", ...trackingMessage(memo, deps.timeZone, await deps.services.memos.memoNames(memo)) });
        return;
      }
      case "memo-history":
        await tellEphemeral(respond, await memoHistoryMessage(deps, parsed.id!, parsed.section!));
        return;
      case "memo-assemble":
        await assembleMemo(deps, notices, client, { memoId: parsed.id!, user: ctx.user, respond, force: false });
        return;
    }
  };
}
