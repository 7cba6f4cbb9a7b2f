/**
 * A memo's sections in Slack: the Write button (owner's DM, Home tab), the section editor's submission with its
 * revision check, a section's menu on the tracking message (write, mark final or back to draft, reassign, history),
 * and the reassign form.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, OverflowAction, RespondFn, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import type { View } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import { MemoError } from "../../../memos/read.js";
import type { PeopleNames } from "../../../people/names.js";
import { escapeMrkdwn } from "../../../render/escape.js";
import { truncate } from "../../../render/mrkdwn.js";
import { withinAckBudget } from "../../ack-budget.js";
import { INPUT_ACTION, isSlackUserId, MEMO_BLOCKS as B } from "../../ids.js";
import type { StateValues } from "../../payloads.js";
import { readRef, sectionMenuSchema, sectionRefSchema, writeFormSchema } from "../../carried-values.js";
import { expiredViewResponse, noticeView, yourTextBlocks } from "../../views/expired.js";
import { conflictError, reassignModal, who, writeModal } from "../../views/memos.js";
import { readRichText } from "../../rich-text.js";
import { memoAudience } from "../home.js";
import { type ListenerDeps, openFormSoon, StaleRequest, tellUser } from "../kit.js";
import { requestLogger } from "../../reference.js";
import { memoHistoryMessage } from "./commands.js";
import { type MemoNotices, relevantFacts, Undelivered } from "./notices.js";
import { counted } from "../../../render/count.js";

/** Refusals worded for Slack, with the people as mentions; the rule itself is the memo service's (maySection). */
function notAllowed(verb: string, title: string, owner: string | null, names: PeopleNames): string {
  return `Only the owner of *${escapeMrkdwn(title)}* (${who(owner, names)}), the memo's creator or an admin can ${verb} it.`;
}

/**
 * The section editor for `user`, opened within the trigger's time: the section's current text and revision, its
 * prompt and relevant facts. Someone who may not write it is told so instead.
 */
export async function openSectionEditor(
  deps: ListenerDeps,
  client: WebClient,
  request: { triggerId: string | undefined; user: string; respond: RespondFn | undefined },
  memoId: number,
  key: string,
): Promise<void> {
  const memo = await deps.services.memos.getMemo(memoId);
  const section = memo.sections.find((s) => s.key === key);
  if (!section) throw new StaleRequest(`memo #${memoId} has no section ${JSON.stringify(key)}`);
  if (memo.state === "cancelled") throw new MemoError("closed", `Memo #${memoId} was cancelled.`);
  if (!deps.services.memos.maySection(memo, section, request.user)) {
    await tellUser(client, request.user, request.respond, notAllowed("write", section.title, section.ownerId, await deps.services.memos.memoNames(memo)));
    return;
  }
  const build: Promise<View> = Promise.all([relevantFacts(deps, section), deps.services.memos.memoNames(memo)]).then(([facts, names]) => writeModal(memo, section, facts, names));
  await openFormSoon(deps, client, request.triggerId, "section", build);
}

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** The Write section button, in an owner's DM and on the Home tab. */
export function makeWriteButtonHandler(deps: ListenerDeps) {
  return async ({ ack, action, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const ref = readRef(sectionRefSchema, action.value);
    if (!ref) throw new StaleRequest(`Write section value ${JSON.stringify(action.value ?? null).slice(0, 80)}`);
    await openSectionEditor(deps, client, { triggerId: body.trigger_id, user: body.user.id, respond: body.response_url ? respond : undefined }, ref.m, ref.k);
  };
}

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The section editor's submission. The form carries the revision it started from; a form without it (older, broken or
 * forged) saves nothing. The write runs under the ack budget: on time, a conflict or a refusal shows under the text
 * field and success closes the form; slower, the form says "Saving…" and is then replaced by the outcome, with the
 * person's text shown back when it was not saved. Then the tracking message, its thread and the Home tabs.
 */
export function makeSectionSubmitHandler(deps: ListenerDeps, notices: MemoNotices) {
  return async ({ ack, body, view, client, context }: SubmitArgs): Promise<void> => {
    const values = view.state.values as StateValues;
    const state = values[B.text]?.[INPUT_ACTION];
    // The rich-text editor sends a rich_text block (stored as Markdown); a section opened as Markdown sends text.
    const rich = state?.rich_text_value !== undefined && state.rich_text_value !== null ? readRichText(state.rich_text_value) : undefined;
    if (state?.rich_text_value != null && rich === undefined) {
      requestLogger(context, deps.logger).warn(`memo_write submitted a rich_text_value of an unknown shape: ${JSON.stringify(state.rich_text_value).slice(0, 120)}`);
      await ack({
        response_action: "errors",
        errors: { [B.text]: "This text could not be read (an unknown kind of formatting). Nothing was saved: copy your text, close, and open the section again." },
      });
      return;
    }
    const text = rich ?? state?.value ?? "";
    const form = readRef(writeFormSchema, view.private_metadata);
    if (!form) {
      requestLogger(context, deps.logger).warn(`memo_write submitted without a readable memo, section and base revision: ${JSON.stringify(view.private_metadata).slice(0, 80)}`);
      await ack(expiredViewResponse(text));
      return;
    }
    const user = body.user.id;
    let acked = false;
    let saved: Awaited<ReturnType<ListenerDeps["services"]["memos"]["saveSection"]>>;
    try {
      // Only the write before the ack: one statement, which neither reads nor returns the memo's texts.
      ({ value: saved } = await withinAckBudget(
        deps.services.memos.saveSection(form.m, form.k, { text, baseRevision: form.r }, user),
        async () => {
          acked = true;
          await ack({ response_action: "update", view: noticeView("Saving…", "Saving the section… this view will update when it is stored.") });
        },
        deps.ackBudgetMs,
      ));
    } catch (error) {
      if (!(error instanceof MemoError)) throw error;
      const latest = error.code === "conflict" ? error.details.latest : undefined;
      if (!acked) {
        // A modal's field error is plain text: the writer's name, never a mention (it would show as `<@U…>`).
        const message = latest ? conflictError({ ...latest, by: latest.byName }, deps.timeZone) : (error.details.fields?.text ?? error.message);
        await ack({ response_action: "errors", errors: { [B.text]: truncate(message, 2000) } });
      } else {
        const by = isSlackUserId(latest?.by) ? `<@${latest.by}>` : latest?.byName ? escapeMrkdwn(latest.byName) : null;
        const message = latest ? conflictError({ ...latest, by, text: escapeMrkdwn(latest.text) }, deps.timeZone) : escapeMrkdwn(error.details.fields?.text ?? error.message);
        await client.views.update({ view_id: view.id, view: noticeView("Not saved", truncate(message, 2900), yourTextBlocks(text)) });
      }
      return;
    }
    const title = escapeMrkdwn(saved.title);
    if (acked) await client.views.update({ view_id: view.id, view: noticeView("Saved", `Saved *${title}* of memo #${saved.memoId} (revision ${saved.revision}).`) });
    else await ack();

    // After the ack: the tracking message and its thread (the memo read as it now stands), then the Home tabs.
    const undelivered = new Undelivered();
    if (saved.channel && saved.trackingTs) {
      const memo = await deps.services.memos.getMemo(saved.memoId);
      await notices.refreshTracking(client, memo, undelivered);
      await notices.inThread(client, memo, `<@${user}> saved *${title}* (revision ${saved.revision}, ${counted(saved.length, "character")}).`, undelivered);
      if (saved.unlocked) {
        await notices.inThread(
          client,
          memo,
          `:unlock: *${title}* changed after sign-off: the memo is unlocked and every approval is reset (now version ${saved.version}). Ask for sign-off again when ready.`,
          undelivered,
        );
      }
    }
    await deps.home.refresh(client, saved.audience);
    const notice = undelivered.notice(`*${title}* was saved`);
    if (notice) await tellUser(client, user, undefined, notice);
  };
}

type MenuArgs = SlackActionMiddlewareArgs<BlockAction<OverflowAction>> & AllMiddlewareArgs;

/** A section's menu on the tracking message: write, mark final or back to draft, reassign, history. */
export function makeSectionMenuHandler(deps: ListenerDeps, notices: MemoNotices) {
  return async ({ ack, action, body, client, respond }: MenuArgs): Promise<void> => {
    await ack();
    const ref = readRef(sectionMenuSchema, action.selected_option?.value);
    if (!ref) throw new StaleRequest(`section menu value ${JSON.stringify(action.selected_option?.value ?? null).slice(0, 80)}`);
    const user = body.user.id;
    const reply = body.response_url ? respond : undefined;
    switch (ref.a) {
      case "write":
        await openSectionEditor(deps, client, { triggerId: body.trigger_id, user, respond: reply }, ref.m, ref.k);
        return;
      case "final":
      case "draft": {
        const memo = await deps.services.memos.markFinal(ref.m, ref.k, user, ref.a === "final");
        const section = memo.sections.find((s) => s.key === ref.k)!;
        const undelivered = new Undelivered();
        await notices.refreshTracking(client, memo, undelivered);
        await notices.inThread(client, memo, `<@${user}> marked *${escapeMrkdwn(section.title)}* ${ref.a === "final" ? "final" : "back to draft"}.`, undelivered);
        await deps.home.refresh(client, memoAudience(memo));
        const notice = undelivered.notice(`*${escapeMrkdwn(section.title)}* is ${ref.a === "final" ? "final" : "a draft again"}`);
        if (notice) await tellUser(client, user, reply, notice);
        return;
      }
      case "reassign": {
        const memo = await deps.services.memos.getMemo(ref.m);
        const section = memo.sections.find((s) => s.key === ref.k);
        if (!section) throw new StaleRequest(`memo #${ref.m} has no section ${JSON.stringify(ref.k)}`);
        const names = await deps.services.memos.memoNames(memo);
        if (!deps.services.memos.maySection(memo, section, user)) {
          await tellUser(client, user, reply, notAllowed("reassign", section.title, section.ownerId, names));
          return;
        }
        await openFormSoon(deps, client, body.trigger_id, "reassign", Promise.resolve(reassignModal(memo, section, names)));
        return;
      }
      case "history":
        await tellUser(client, user, reply, await memoHistoryMessage(deps, ref.m, ref.k));
        return;
    }
  };
}

/** The reassign form: the new owner gets the DM, the thread says so, both Home tabs change. */
export function makeReassignSubmitHandler(deps: ListenerDeps, notices: MemoNotices) {
  return async ({ ack, body, view, client, context }: SubmitArgs): Promise<void> => {
    const form = readRef(sectionRefSchema, view.private_metadata);
    if (!form) {
      requestLogger(context, deps.logger).warn(`memo_reassign submitted with unreadable private_metadata ${JSON.stringify(view.private_metadata).slice(0, 80)}`);
      await ack(expiredViewResponse());
      return;
    }
    const owner = (view.state.values as StateValues)[B.owner]?.[INPUT_ACTION]?.selected_user;
    if (!owner) {
      await ack({ response_action: "errors", errors: { [B.owner]: "Pick the new owner." } });
      return;
    }
    const user = body.user.id;
    let acked = false;
    let memo: Awaited<ReturnType<ListenerDeps["services"]["memos"]["reassignSection"]>>;
    let before: string | null;
    try {
      ({
        value: [before, memo],
      } = await withinAckBudget(
        (async () => {
          // The previous owner's Home tab changes too.
          const previous = (await deps.services.memos.getMemo(form.m)).sections.find((s) => s.key === form.k)?.ownerId ?? null;
          return [previous, await deps.services.memos.reassignSection(form.m, form.k, owner, user)] as const;
        })(),
        async () => {
          acked = true;
          await ack({ response_action: "update", view: noticeView("Reassigning…", "Reassigning the section…") });
        },
        deps.ackBudgetMs,
      ));
    } catch (error) {
      if (!(error instanceof MemoError) || acked) throw error;
      await ack({ response_action: "errors", errors: { [B.owner]: error.message } });
      return;
    }
    const section = memo.sections.find((s) => s.key === form.k)!;
    if (acked) await client.views.update({ view_id: view.id, view: noticeView("Reassigned", `*${escapeMrkdwn(section.title)}* is now <@${owner}>'s.`) });
    else await ack();
    const undelivered = new Undelivered();
    await notices.refreshTracking(client, memo, undelivered);
    await notices.inThread(client, memo, `<@${user}> gave *${escapeMrkdwn(section.title)}* to <@${owner}>.`, undelivered);
    await notices.dmOwner(client, memo, section, undelivered);
    await deps.home.refresh(client, [...memoAudience(memo), before]);
    const notice = undelivered.notice(`*${escapeMrkdwn(section.title)}* went to <@${owner}>`);
    if (notice) await tellUser(client, user, undefined, notice);
  };
}
