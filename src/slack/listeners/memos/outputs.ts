/**
 * What an assembled memo offers in its thread: the Word file (uploaded to the thread), a Slack canvas in the memo's
 * channel (created, then updated on later publishes; a workspace without canvases gets the memo as a file and says
 * why), and the changes since the previous assembly.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { MemoError, type MemoView } from "../../../memos/read.js";
import { canvasMarkdown, defuseMarkdown, escapeMrkdwn } from "../../../render/escape.js";
import { truncate } from "../../../render/mrkdwn.js";
import { diffRefSchema, memoRefSchema, readRef } from "../../carried-values.js";
import { slackErrorCode } from "../../slack-errors.js";
import { markdownBlock } from "../../views/blocks.js";
import { type ListenerDeps, StaleRequest, tellUser } from "../kit.js";
import { postInChannel } from "./notices.js";
import { count, counted } from "../../../render/count.js";

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** Diffs longer than this go to the person as a file, not a message (Slack's markdown limit is ~12,000). */
const INLINE_DIFF_LIMIT = 11_000;

/** memo-3-special-session-prep.docx */
function fileName(memo: Pick<MemoView, "id" | "title">, extension: string): string {
  const slug =
    memo.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "memo";
  return `memo-${memo.id}-${slug}.${extension}`;
}

/** Where a file goes: the memo's thread, or the channel when it has no tracking message. */
function uploadTo(channel: string, threadTs: string | null): { channel_id: string; thread_ts: string } | { channel_id: string } {
  return threadTs ? { channel_id: channel, thread_ts: threadTs } : { channel_id: channel };
}

/** Errors of canvases.create that mean this workspace or token cannot have canvases (rather than a passing failure). */
const NO_CANVASES = new Set([
  "canvas_disabled_for_team",
  "team_tier_cannot_create_channel_canvases",
  "free_teams_cannot_create_non_tab_canvases",
  "free_team_canvas_tab_already_exists",
  "not_allowed_token_type",
  "missing_scope",
  "unknown_method",
  "not_supported",
  "restricted_action",
]);

function memoRef(value: string | undefined, what: string) {
  const ref = readRef(memoRefSchema, value);
  if (!ref) throw new StaleRequest(`${what} value ${JSON.stringify(value ?? null).slice(0, 80)}`);
  return ref;
}

/** The thread the memo's outputs go to, or a reason to tell the person. */
async function assembledForThread(deps: ListenerDeps, memoId: number) {
  const { memo, assembly } = await deps.services.memos.latestAssembly(memoId);
  if (memo.state === "cancelled") throw new MemoError("closed", `Memo #${memoId} was cancelled.`);
  return { memo, assembly };
}

/** The "Export .docx" button: the latest assembly as a Word file in the memo's thread. */
export function makeExportDocxHandler(deps: ListenerDeps) {
  return async ({ ack, action, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const ref = memoRef(action.value, "Export .docx");
    const reply = body.response_url ? respond : undefined;
    const { memo, assembly } = await assembledForThread(deps, ref.m);
    const { markdownToDocx } = await import("../../../memos/docx.js");
    // The charts as known on the day the memo was assembled as of, like its text.
    const charts = await deps.services.memos.docxCharts(assembly.markdown, { asOf: assembly.asOf, timeZone: deps.timeZone });
    const bytes = await markdownToDocx(assembly.markdown, { title: memo.title, ...(deps.memoBanner ? { banner: deps.memoBanner } : {}), creator: "korus-bot", charts });
    const channel = memo.channel ?? body.channel?.id;
    if (!channel) {
      await tellUser(client, body.user.id, reply, `Memo #${memo.id} has no channel to put the file in. Export it with \`npx korus memo export ${memo.id} --format docx\`.`);
      return;
    }
    try {
      await client.files.uploadV2({
        ...uploadTo(channel, memo.trackingTs),
        filename: fileName(memo, "docx"),
        title: truncate(`Memo #${memo.id}: ${memo.title} (version ${assembly.number})`, 250),
        file: bytes,
        initial_comment: `${escapeMrkdwn(`Memo #${memo.id}, version ${assembly.number} (as of ${assembly.asOf}), as a Word document, for `)}<@${body.user.id}>.`,
      });
    } catch (error) {
      await tellUser(client, body.user.id, reply, `I couldn't upload the Word file (${escapeMrkdwn(slackErrorCode(error))}). Export it with \`npx korus memo export ${memo.id} --format docx\`.`);
    }
  };
}

/** The team's canvas link: https://<workspace>.slack.com/docs/<team>/<canvas>. */
async function canvasLink(client: WebClient, canvasId: string): Promise<string | undefined> {
  try {
    const auth = await client.auth.test();
    if (!auth.url || !auth.team_id) return undefined;
    return `${auth.url.replace(/\/?$/, "/")}docs/${auth.team_id}/${canvasId}`;
  } catch {
    return undefined;
  }
}

/**
 * The "Publish as canvas" button: creates a canvas in the memo's channel with the latest assembly (or replaces the
 * content of the one made before), and links it in the thread. Without canvases, the memo goes to the thread as a
 * Markdown file with a line saying why.
 */
export function makeCanvasHandler(deps: ListenerDeps) {
  return async ({ ack, action, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const ref = memoRef(action.value, "Publish as canvas");
    const reply = body.response_url ? respond : undefined;
    const { memo, assembly } = await assembledForThread(deps, ref.m);
    const channel = memo.channel ?? body.channel?.id;
    const content = { type: "markdown" as const, markdown: canvasMarkdown(assembly.markdown) };
    const title = truncate(`Memo #${memo.id}: ${memo.title}`, 250);
    let canvasId = memo.canvasId;
    let updated = false;
    try {
      if (canvasId) {
        try {
          await client.canvases.edit({ canvas_id: canvasId, changes: [{ operation: "replace", document_content: content }] });
          updated = true;
        } catch (error) {
          // The canvas was deleted (or is no longer ours): make a new one.
          if (!["canvas_not_found", "canvas_deleted", "access_denied"].includes(slackErrorCode(error))) throw error;
          canvasId = null;
        }
      }
      if (!canvasId) {
        const created = await client.canvases.create({ title, document_content: content, ...(channel ? { channel_id: channel } : {}) });
        canvasId = created.canvas_id ?? null;
        if (!canvasId) throw Object.assign(new Error("canvases.create returned no canvas_id"), { data: { error: "no_canvas_id" } });
        await deps.services.memos.setCanvas(memo.id, canvasId);
      }
    } catch (error) {
      const code = slackErrorCode(error);
      const reason = NO_CANVASES.has(code) ? `this workspace cannot have canvases for the bot (${code})` : `Slack refused the canvas (${code})`;
      if (!channel) {
        await tellUser(client, body.user.id, reply, `I couldn't publish memo #${memo.id} as a canvas: ${escapeMrkdwn(reason)}. Export it with \`npx korus memo export ${memo.id}\`.`);
        return;
      }
      await client.files.uploadV2({
        ...uploadTo(channel, memo.trackingTs),
        filename: fileName(memo, "md"),
        title,
        content: defuseMarkdown(assembly.markdown),
        initial_comment: `:information_source: I couldn't publish memo #${memo.id} as a canvas: ${escapeMrkdwn(reason)}. Here is version ${assembly.number} as a Markdown file instead.`,
      });
      return;
    }
    const link = await canvasLink(client, canvasId);
    const where = link ? `<${link}|the canvas>` : "a canvas";
    const text = `<@${body.user.id}> ${updated ? "updated" : "published"} version ${assembly.number} of memo #${memo.id} as ${where}${channel && !updated ? ` in <#${channel}>` : ""}.`;
    if (channel) {
      await postInChannel(client, { channel, ...(memo.trackingTs ? { thread_ts: memo.trackingTs } : {}), text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] });
    } else {
      await tellUser(client, body.user.id, reply, text);
    }
  };
}

/** The "Changes since last version" button: the diff of the two assemblies, to the person who asked. */
export function makeDiffHandler(deps: ListenerDeps) {
  return async ({ ack, action, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const ref = readRef(diffRefSchema, action.value);
    if (!ref) throw new StaleRequest(`Changes value ${JSON.stringify(action.value ?? null).slice(0, 80)}`);
    const reply = body.response_url ? respond : undefined;
    const diff = await deps.services.memos.diffAssemblies(ref.m, ref.f, ref.t);
    const markdown = diff.markdown;
    if (markdown.length <= INLINE_DIFF_LIMIT) {
      await tellUser(client, body.user.id, reply, { text: escapeMrkdwn(`Memo #${ref.m}: changes from version ${ref.f} to ${ref.t}`), blocks: [markdownBlock(markdown)] });
      return;
    }
    const cut = markdown.slice(0, INLINE_DIFF_LIMIT - 200).replace(/\n[^\n]*$/, "");
    await tellUser(client, body.user.id, reply, {
      text: escapeMrkdwn(`Memo #${ref.m}: changes from version ${ref.f} to ${ref.t}`),
      blocks: [
        markdownBlock(
          `${cut}\n\`\`\`\`\`\`\n\n…the diff goes on (${counted(diff.added, "line")} added, ${count(diff.removed)} removed in all). The whole of it: \`npx korus memo diff ${ref.m} ${ref.f} ${ref.t}\`.`,
        ),
      ],
    });
  };
}
