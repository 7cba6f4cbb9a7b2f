/**
 * A memo's life after its sections: assembling it (posted in the thread as a markdown block, or as a .md file when too
 * long), sign-off (the request form, the approvers' DMs, approving) and cancelling.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, RespondFn, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { MemoError, type MemoView } from "../../../memos/read.js";
import { defuseMarkdown, escapeMrkdwn } from "../../../render/escape.js";
import { truncate } from "../../../render/mrkdwn.js";
import { withinAckBudget } from "../../ack-budget.js";
import { INPUT_ACTION, MEMO_BLOCKS as B } from "../../ids.js";
import type { StateValues } from "../../payloads.js";
import { approveRefSchema, memoRefSchema, readRef } from "../../carried-values.js";
import { describePostFailure, slackErrorCode } from "../../slack-errors.js";
import { markdownBlock } from "../../views/blocks.js";
import { expiredViewResponse, noticeView } from "../../views/expired.js";
import { incompleteMessage, signOffModal } from "../../views/memos.js";
import { assembledActionsMessage } from "../../views/memo-outputs.js";
import { memoAudience } from "../home.js";
import { type ListenerDeps, openFormSoon, StaleRequest, tellUser } from "../kit.js";
import { requestLogger } from "../../reference.js";
import { type MemoNotices, postInChannel, Undelivered } from "./notices.js";
import { counted } from "../../../render/count.js";

/** A memo posted inline stays well under Slack's ~12,000-character markdown limit per message; longer goes as a file. */
export const INLINE_MEMO_LIMIT = 11_000;

/** Posts the assembled memo in its thread: one markdown block, or a short note and a `.md` file when too long. */
async function postAssembled(client: WebClient, memo: MemoView, markdown: string, missing: string[]): Promise<void> {
  if (!memo.channel || !memo.trackingTs) return;
  const note = missing.length > 0 ? ` (assembled without ${missing.join(", ")})` : "";
  if (markdown.length <= INLINE_MEMO_LIMIT) {
    await postInChannel(client, { channel: memo.channel, thread_ts: memo.trackingTs, text: escapeMrkdwn(`Memo #${memo.id} assembled${note}`), blocks: [markdownBlock(markdown)] });
    return;
  }
  // Too long for one message: a short note and the memo as a Markdown file in the thread (files.uploadV2).
  const slug =
    memo.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "memo";
  await client.files.uploadV2({
    channel_id: memo.channel,
    thread_ts: memo.trackingTs,
    filename: `memo-${memo.id}-${slug}.md`,
    title: truncate(`Memo #${memo.id}: ${memo.title}`, 250),
    content: defuseMarkdown(markdown),
    initial_comment: escapeMrkdwn(`Memo #${memo.id} assembled${note}: ${counted(markdown.length, "character")}, too long for a message, so here it is as a file.`),
  });
}

/**
 * Assembles the memo and posts it in its thread. With required sections missing it asks first (only the creator or
 * an admin is offered "Assemble anyway"); the memo service decides who may assemble at all.
 */
export async function assembleMemo(
  deps: ListenerDeps,
  notices: MemoNotices,
  client: WebClient,
  request: { memoId: number; user: string; respond: RespondFn | undefined; force: boolean },
): Promise<void> {
  let result: Awaited<ReturnType<ListenerDeps["services"]["memos"]["assemble"]>>;
  try {
    result = await deps.services.memos.assemble(request.memoId, request.user, { force: request.force });
  } catch (error) {
    if (!(error instanceof MemoError) || error.code !== "incomplete") throw error;
    const memo = await deps.services.memos.getMemo(request.memoId);
    await tellUser(
      client,
      request.user,
      request.respond,
      incompleteMessage(memo, error.details.missing ?? [], await deps.services.memos.memoNames(memo), deps.services.memos.mayManage(memo, request.user)),
    );
    return;
  }
  const { memo, assembled, assembly } = result;
  const undelivered = new Undelivered();
  try {
    await postAssembled(client, memo, assembled.markdown, assembled.missingRequired);
    // Under it: Export .docx, Publish as canvas, and (from the second assembly) the changes since the last one.
    if (memo.channel && memo.trackingTs) {
      await postInChannel(client, { channel: memo.channel, thread_ts: memo.trackingTs, ...assembledActionsMessage(memo, { ...assembly, asOf: assembled.date }) });
    }
  } catch (error) {
    undelivered.add(`I couldn't post it in <#${memo.channel}>: ${describePostFailure(slackErrorCode(error))}. Export it with \`npx korus memo export ${memo.id}\``);
  }
  await notices.refreshTracking(client, memo, undelivered);
  await deps.home.refresh(client, memoAudience(memo));
  const notice = undelivered.notice(`Memo #${memo.id} was assembled`);
  if (notice) await tellUser(client, request.user, request.respond, notice);
  else if (!memo.channel)
    await tellUser(client, request.user, request.respond, `Memo #${memo.id} assembled (${counted(assembled.markdown.length, "character")}). Export it with \`npx korus memo export ${memo.id}\`.`);
}

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

function memoRef(value: string | undefined, what: string) {
  const ref = readRef(memoRefSchema, value);
  if (!ref) throw new StaleRequest(`${what} value ${JSON.stringify(value ?? null).slice(0, 80)}`);
  return ref;
}

/** The Assemble button on the tracking message, and (with `force`) "Assemble anyway". */
export function makeAssembleHandler(deps: ListenerDeps, notices: MemoNotices, force: boolean) {
  return async ({ ack, action, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const ref = memoRef(action.value, "Assemble");
    await assembleMemo(deps, notices, client, { memoId: ref.m, user: body.user.id, respond: body.response_url ? respond : undefined, force });
  };
}

/** The Cancel memo button (its creator or an admin): no more edits or reminders. */
export function makeCancelHandler(deps: ListenerDeps, notices: MemoNotices) {
  return async ({ ack, action, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const ref = memoRef(action.value, "Cancel memo");
    const user = body.user.id;
    const memo = await deps.services.memos.cancelMemo(ref.m, user);
    const undelivered = new Undelivered();
    await notices.refreshTracking(client, memo, undelivered);
    await notices.inThread(client, memo, `<@${user}> cancelled the memo. No more edits or reminders.`, undelivered);
    await deps.home.refresh(client, memoAudience(memo));
    const notice = undelivered.notice(`Memo #${memo.id} was cancelled`);
    if (notice) await tellUser(client, user, body.response_url ? respond : undefined, notice);
  };
}

/** The Request sign-off button: the form to pick approvers (the creator or an admin). */
export function makeSignOffButtonHandler(deps: ListenerDeps) {
  return async ({ ack, action, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const ref = memoRef(action.value, "Request sign-off");
    const memo = await deps.services.memos.getMemo(ref.m);
    if (!deps.services.memos.mayManage(memo, body.user.id)) {
      await tellUser(client, body.user.id, body.response_url ? respond : undefined, "Only the memo's creator or an admin can ask for sign-off.");
      return;
    }
    await openFormSoon(deps, client, body.trigger_id, "sign-off", Promise.resolve(signOffModal(memo)));
  };
}

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The sign-off form: approvals are reset and requested, each approver gets a DM with an Approve button. */
export function makeSignOffSubmitHandler(deps: ListenerDeps, notices: MemoNotices) {
  return async ({ ack, body, view, client, context }: SubmitArgs): Promise<void> => {
    const form = readRef(memoRefSchema, view.private_metadata);
    if (!form) {
      requestLogger(context, deps.logger).warn(`memo_signoff submitted with unreadable private_metadata ${JSON.stringify(view.private_metadata).slice(0, 80)}`);
      await ack(expiredViewResponse());
      return;
    }
    const approvers = (view.state.values as StateValues)[B.approvers]?.[INPUT_ACTION]?.selected_users ?? [];
    const user = body.user.id;
    let acked = false;
    let memo: MemoView;
    try {
      ({ value: memo } = await withinAckBudget(
        deps.services.memos.requestSignOff(form.m, approvers, user),
        async () => {
          acked = true;
          await ack({ response_action: "update", view: noticeView("Asking…", "Asking for sign-off…") });
        },
        deps.ackBudgetMs,
      ));
    } catch (error) {
      if (!(error instanceof MemoError) || acked) throw error;
      await ack({ response_action: "errors", errors: { [B.approvers]: error.details.fields?.approvers ?? error.message } });
      return;
    }
    if (acked)
      await client.views.update({ view_id: view.id, view: noticeView("Sign-off requested", `Asked ${memo.approvals.map((a) => `<@${a.approver}>`).join(", ")} to approve version ${memo.version}.`) });
    else await ack();
    const undelivered = new Undelivered();
    await notices.refreshTracking(client, memo, undelivered);
    await notices.inThread(client, memo, `<@${user}> asked ${memo.approvals.map((a) => `<@${a.approver}>`).join(", ")} to approve version ${memo.version}.`, undelivered);
    for (const approval of memo.approvals) await notices.dmApprover(client, memo, approval.approver, user, undelivered);
    await deps.home.refresh(client, memoAudience(memo));
    const notice = undelivered.notice(`Sign-off was requested`);
    if (notice) await tellUser(client, user, undefined, notice);
  };
}

/** The Approve button in an approver's DM: approves the version they were asked about. */
export function makeApproveHandler(deps: ListenerDeps, notices: MemoNotices) {
  return async ({ ack, action, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const ref = readRef(approveRefSchema, action.value);
    if (!ref) throw new StaleRequest(`Approve value ${JSON.stringify(action.value ?? null).slice(0, 80)}`);
    const user = body.user.id;
    const reply = body.response_url ? respond : undefined;
    const { memo, locked } = await deps.services.memos.approveMemo(ref.m, user, ref.v);
    const undelivered = new Undelivered();
    await notices.refreshTracking(client, memo, undelivered);
    await notices.inThread(
      client,
      memo,
      `:white_check_mark: <@${user}> approved version ${memo.version}.${locked ? " Every approver has approved: the memo is locked. Any edit to a section unlocks it and resets the approvals." : ""}`,
      undelivered,
    );
    await deps.home.refresh(client, memoAudience(memo));
    await tellUser(client, user, reply, undelivered.notice(`You approved memo #${memo.id}, version ${memo.version}`) ?? `You approved memo #${memo.id}, version ${memo.version}.`);
  };
}
