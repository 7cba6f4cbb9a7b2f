/**
 * The new-memo form: opening it (from `/korus memo new` or the Home tab), redrawing the owners when another template
 * is picked, and its submission, which creates the memo, posts the tracking message and DMs each owner.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, StaticSelectAction, ViewSubmitAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { dateInZone, zonedInstant } from "../../../time-zone.js";
import { MemoError, type MemoView } from "../../../memos/read.js";
import type { MemoTemplate } from "../../../memos/templates/template.js";
import { escapeMrkdwn } from "../../../render/escape.js";
import { withinAckBudget } from "../../ack-budget.js";
import { INPUT_ACTION, MEMO_BLOCKS as B } from "../../ids.js";
import type { StateValues } from "../../payloads.js";
import { newMemoFormSchema, readRef } from "../../carried-values.js";
import { describePostFailure, slackErrorCode } from "../../slack-errors.js";
import { expiredViewResponse, noticeView } from "../../views/expired.js";
import { newMemoModal, trackingMessage } from "../../views/memos.js";
import { memoAudience } from "../home.js";
import { type ListenerDeps, openFormSoon, StaleRequest, tellUser } from "../kit.js";
import { requestLogger } from "../../reference.js";
import { type MemoNotices, postInChannel, Undelivered } from "./notices.js";

/** The memo templates that loaded (a broken one was logged with its file and line when the store loaded). */
export function memoTemplates(deps: Pick<ListenerDeps, "templates">): MemoTemplate[] {
  return deps.templates.list().filter((t) => t.kind === "memo");
}

/** Opens the new-memo form with `templateId` (default: the first), posting progress in `channel` by default. */
export async function openNewMemoForm(
  deps: Pick<ListenerDeps, "templates" | "ackBudgetMs" | "clock" | "timeZone">,
  client: WebClient,
  options: { triggerId: string | undefined; user: string; channel?: string; templateId?: string; respond?: Parameters<typeof tellUser>[2] },
): Promise<void> {
  const list = memoTemplates(deps);
  if (list.length === 0) {
    await tellUser(client, options.user, options.respond, "No memo templates load; run `npx korus templates check`.");
    return;
  }
  const selected = options.templateId ? list.find((t) => t.id === options.templateId) : list[0];
  if (!selected) {
    await tellUser(client, options.user, options.respond, `There is no memo template \`${escapeMrkdwn(options.templateId ?? "")}\`. Templates: ${list.map((t) => `\`${t.id}\``).join(", ")}.`);
    return;
  }
  await openFormSoon(
    deps,
    client,
    options.triggerId,
    "new memo",
    Promise.resolve(newMemoModal({ templates: list, selected, today: dateInZone(deps.clock.now(), deps.timeZone), ...(options.channel ? { channel: options.channel } : {}) })),
  );
}

/** The Home tab's New memo button. */
export function makeNewMemoButtonHandler(deps: Pick<ListenerDeps, "templates" | "ackBudgetMs" | "clock" | "timeZone">) {
  return async ({ ack, body, client }: SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    await openNewMemoForm(deps, client, { triggerId: body.trigger_id, user: body.user.id });
  };
}

/** Picking another template in the form redraws it with that template's sections (the title is kept). */
export function makeTemplateChoiceHandler(deps: Pick<ListenerDeps, "templates" | "logger" | "clock" | "timeZone">) {
  return async ({ ack, action, body, client, context }: SlackActionMiddlewareArgs<BlockAction<StaticSelectAction>> & AllMiddlewareArgs): Promise<void> => {
    await ack();
    const view = body.view;
    const list = memoTemplates(deps);
    const selected = list.find((t) => t.id === action.selected_option?.value);
    if (!view || !selected) throw new StaleRequest(`template choice ${JSON.stringify(action.selected_option?.value ?? null)}`);
    const values = (view.state?.values ?? {}) as StateValues;
    const title = values[B.title]?.[INPUT_ACTION]?.value ?? undefined;
    const asOf = values[B.asOf]?.[INPUT_ACTION]?.selected_date ?? undefined;
    try {
      await client.views.update({
        view_id: view.id,
        hash: view.hash,
        view: newMemoModal({ templates: list, selected, today: asOf ?? dateInZone(deps.clock.now(), deps.timeZone), values: { ...(title ? { title } : {}) } }),
      });
    } catch (error) {
      // The person changed the form again meanwhile: their newer choice redraws it.
      if (slackErrorCode(error) !== "hash_conflict") throw error;
      requestLogger(context, deps.logger).info("new-memo form changed while redrawing it (hash_conflict); the newer choice wins");
    }
  };
}

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/**
 * The new-memo form's submission: field errors in the ack; the memo is created under the ack budget (acked as
 * "Creating…" and followed up when slower); then the tracking message, the owners' DMs and the Home tabs.
 */
export function makeNewMemoSubmitHandler(deps: ListenerDeps, notices: MemoNotices) {
  return async ({ ack, body, view, client, context }: SubmitArgs): Promise<void> => {
    const values = view.state.values as StateValues;
    const get = (block: string) => values[block]?.[INPUT_ACTION];
    const form = readRef(newMemoFormSchema, view.private_metadata);
    if (!form) {
      requestLogger(context, deps.logger).warn(`memo_new submitted with unreadable private_metadata ${JSON.stringify(view.private_metadata).slice(0, 80)}`);
      await ack(expiredViewResponse());
      return;
    }
    const title = get(B.title)?.value?.trim() ?? "";
    const date = get(B.dueDate)?.selected_date ?? null;
    const time = get(B.dueTime)?.selected_time ?? "17:00";
    const channel = get(B.channel)?.selected_conversation ?? null;
    const pickedAsOf = get(B.asOf)?.selected_date ?? null;
    // Today (the form's default) means "dated when assembled"; another day fixes the memo's date and fact window.
    const asOf = pickedAsOf && pickedAsOf !== dateInZone(deps.clock.now(), deps.timeZone) ? pickedAsOf : null;
    const errors: Record<string, string> = {};
    if (!title) errors[B.title] = "Give the memo a title.";
    if (!channel) errors[B.channel] = "Pick the channel for progress updates.";
    let dueAt: Date | null = null;
    // Slack's pickers send YYYY-MM-DD and HH:MM; anything else (a forged form) is asked again, never parsed.
    if (!/^\d{2}:\d{2}$/.test(time) || Number.isNaN(Date.parse(`2000-01-01T${time}:00Z`))) errors[B.dueTime] = "Pick a time.";
    else if (date && (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T${time}:00Z`)))) errors[B.dueDate] = "Pick a date.";
    else if (date) dueAt = zonedInstant(date, time, deps.timeZone);
    if (dueAt && dueAt.getTime() < deps.clock.now().getTime()) errors[B.dueDate] = "That due time has passed.";
    if (!date && get(B.dueTime)?.selected_time && get(B.dueTime)?.selected_time !== "17:00") errors[B.dueDate] = "Pick a date for the due time.";
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: "errors", errors });
      return;
    }
    const owners: Record<string, string> = {};
    for (const [block, v] of Object.entries(values)) {
      const owner = v[INPUT_ACTION]?.selected_user;
      if (block.startsWith(B.ownerPrefix) && owner) owners[block.slice(B.ownerPrefix.length)] = owner;
    }
    const user = body.user.id;
    let acked = false;
    let memo: MemoView;
    try {
      ({ value: memo } = await withinAckBudget(
        deps.services.memos.createMemo({ templateId: form.t, title, dueAt, channel, owners, asOf }, user),
        async () => {
          acked = true;
          await ack({ response_action: "update", view: noticeView("Creating…", "Creating the memo… this view will update when it is stored.") });
        },
        deps.ackBudgetMs,
      ));
    } catch (error) {
      if (!(error instanceof MemoError) || acked) throw error;
      const fields = error.details.fields ?? {};
      if (fields.asOf) {
        await ack({ response_action: "errors", errors: { [B.asOf]: error.message } });
        return;
      }
      const field = Object.keys(fields).find((f) => f === B.title || f === B.template) ?? B.title;
      await ack({ response_action: "errors", errors: { [field === B.template ? B.title : field]: error.message } });
      return;
    }
    if (acked) await client.views.update({ view_id: view.id, view: noticeView(`Memo #${memo.id}`, `Created memo #${memo.id}, *${escapeMrkdwn(memo.title)}*. Its progress goes to <#${channel}>.`) });
    else await ack();

    // After the ack: the tracking message, the owners' DMs, the Home tabs.
    const undelivered = new Undelivered();
    try {
      const posted = await postInChannel(client, { channel: channel!, ...trackingMessage(memo, deps.timeZone, await deps.services.memos.memoNames(memo)) });
      if (posted.ts) {
        await deps.services.memos.setTrackingMessage(memo.id, posted.channel ?? channel!, posted.ts);
        memo = await deps.services.memos.getMemo(memo.id);
      }
    } catch (error) {
      undelivered.add(`I couldn't post its progress in <#${channel}>: ${describePostFailure(slackErrorCode(error))}. Use \`/korus memo show ${memo.id}\``);
    }
    for (const section of memo.sections) await notices.dmOwner(client, memo, section, undelivered);
    await deps.home.refresh(client, memoAudience(memo));
    const notice = undelivered.notice(`Memo #${memo.id} was created`);
    if (notice) await tellUser(client, user, undefined, notice);
  };
}
