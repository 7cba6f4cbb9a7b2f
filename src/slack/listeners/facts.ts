/**
 * Facts from Slack: search with pages, the add/edit form, retracting, history, and each result's menu. Who may change
 * a fact is the fact service's rule (canChange); the forms save under the ack budget.
 */
import type { AllMiddlewareArgs, App, BlockAction, ButtonAction, OverflowAction, RespondFn, SlackActionMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { dateInZone } from "../../time-zone.js";
import { parseFactQuery } from "../../facts/query.js";
import { mergeFormEdit } from "../../facts/edit.js";
import { canChange, type EditResult, FactError } from "../../facts/service.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { withinAckBudget } from "../ack-budget.js";
import { ACTION_IDS, FACT_BLOCKS, INPUT_ACTION, isSlackUserId, VIEW_IDS } from "../ids.js";
import type { StateValues } from "../payloads.js";
import { type FactForm, factFormSchema, factMenuSchema, factsPageSchema, readRef, readValue } from "../carried-values.js";
import { expiredViewResponse, noticeView, yourTextBlocks } from "../views/expired.js";
import { factModal, retractModal } from "../views/fact-modal.js";
import { factFieldError, fieldMessage, readFactModal, shownFactState, type StateValues as FactFormState } from "../views/fact-modal-read.js";
import { closeFieldBlock, closeModal, readCloseModal } from "../views/fact-close.js";
import { deadlineState, deadlineStateLabel } from "../../facts/outcomes.js";
import { FACTS_PAGE_SIZE, factHistoryMessage, factMrkdwn, factsSearchMessage } from "../views/facts.js";
import { type ListenerDeps, openFormSoon, StaleRequest, tellUser, tracked } from "./kit.js";
import { requestLogger } from "../reference.js";
import { candidateSaved, candidateTopic } from "./candidates.js";

/** Runs a fact subcommand of `/korus` after it was acked. */
export type FactCommandRunner = (
  parsed: { name: string; id?: number; query?: string },
  ctx: { user: string; channel: string; triggerId: string; client: WebClient; respond: RespondFn },
) => Promise<void>;

type FactsDeps = Pick<ListenerDeps, "services" | "admins" | "clock" | "timeZone" | "ackBudgetMs" | "logger" | "people">;

/** Opens the add form, or the edit form of fact `factId` filled in. */
async function openFactForm(deps: FactsDeps, client: WebClient, triggerId: string | undefined, meta: FactForm, factId?: number): Promise<void> {
  const build = (async () => {
    const [recent, fact] = await Promise.all([deps.services.facts.recentFacts(), factId ? deps.services.facts.getFact(factId) : undefined]);
    if (factId && !fact) throw new FactError("not_found", `There is no fact #${factId}.`);
    const from = fact?.after ? await deps.services.facts.getFact(fact.after.fromId) : undefined;
    return factModal({ fact, from, recent, meta });
  })();
  await openFormSoon(deps, client, triggerId, factId ? "fact" : "new fact", build);
}

/** The fact, when `user` may edit or retract it (its author or an admin); otherwise they are told why not. */
async function changeableFact(deps: FactsDeps, client: WebClient, request: { user: string; respond: RespondFn | undefined }, id: number, verb: "edit" | "retract") {
  const fact = await deps.services.facts.getFact(id);
  if (!fact) throw new FactError("not_found", `There is no fact #${id}.`);
  if (!canChange(fact, request.user, deps.admins)) {
    const author = isSlackUserId(fact.createdBy) ? `<@${fact.createdBy}>` : escapeMrkdwn((await deps.people.names([fact.createdBy])).label(fact.createdBy));
    await tellUser(client, request.user, request.respond, `:lock: Only the author of fact #${id} (${author}) or an admin can ${verb} it.`);
    return undefined;
  }
  if (fact.retracted) throw new FactError("retracted", `Fact #${id} was retracted; it can no longer be changed.`);
  return fact;
}

/** Opens "Mark met by…" for deadline `deadlineId`: its outcome and the fact that closes it. */
async function openCloseForm(deps: FactsDeps, client: WebClient, triggerId: string | undefined, meta: FactForm, deadlineId: number): Promise<void> {
  const build = (async () => {
    const fact = await deps.services.facts.getFact(deadlineId);
    if (!fact) throw new FactError("not_found", `There is no fact #${deadlineId}.`);
    if (fact.kind !== "deadline") throw new FactError("invalid", `Fact #${deadlineId} is not a deadline: only a deadline has an outcome.`);
    if (fact.retracted) throw new FactError("retracted", `Fact #${deadlineId} was retracted; it can no longer be closed.`);
    const today = dateInZone(deps.clock.now(), deps.timeZone);
    const [candidates, outcomes] = await Promise.all([deps.services.facts.closingCandidates(fact), deps.services.facts.outcomesOf([fact], today)]);
    return closeModal(fact, candidates, meta, deadlineStateLabel(deadlineState(fact, today, outcomes[fact.id] ?? null)));
  })();
  await openFormSoon(deps, client, triggerId, "close", build);
}

/** The runner for `/korus facts`, `fact add|show|edit|retract|history|close`. Refusals go to app.error. */
export function makeFactCommandRunner(deps: FactsDeps): FactCommandRunner {
  const today = () => dateInZone(deps.clock.now(), deps.timeZone);
  return async (parsed, ctx) => {
    const { respond, client } = ctx;
    const request = { user: ctx.user, respond };
    switch (parsed.name) {
      case "facts": {
        const result = await deps.services.facts.searchFacts(parseFactQuery(parsed.query ?? ""), { limit: FACTS_PAGE_SIZE, asOf: today() });
        await respond({ response_type: "ephemeral", ...factsSearchMessage(parsed.query ?? "", result, today()) });
        return;
      }
      case "fact-add":
        await openFactForm(deps, client, ctx.triggerId, { channel: ctx.channel });
        return;
      case "fact-edit":
        if (await changeableFact(deps, client, request, parsed.id!, "edit")) await openFactForm(deps, client, ctx.triggerId, { channel: ctx.channel }, parsed.id);
        return;
      case "fact-retract": {
        const fact = await changeableFact(deps, client, request, parsed.id!, "retract");
        if (fact) await openFormSoon(deps, client, ctx.triggerId, "retract", Promise.resolve(retractModal(fact, { channel: ctx.channel })));
        return;
      }
      case "fact-show": {
        const fact = await deps.services.facts.getFact(parsed.id!);
        if (!fact) throw new FactError("not_found", `There is no fact #${parsed.id}.`);
        const [sameEvent, outcomes] = await Promise.all([deps.services.facts.sameEventOf([fact]), deps.services.facts.outcomesOf([fact], today())]);
        await respond({ response_type: "ephemeral", ...factsSearchMessage("", { facts: [fact], total: 1, offset: 0, sameEvent, outcomes }, today()) });
        return;
      }
      case "fact-close":
        await openCloseForm(deps, client, ctx.triggerId, { channel: ctx.channel }, parsed.id!);
        return;
      case "fact-history": {
        const { fact, entries } = await deps.services.facts.factHistory(parsed.id!, deps.people);
        await respond({ response_type: "ephemeral", replace_original: false, ...factHistoryMessage(fact, entries, deps.timeZone) });
        return;
      }
    }
  };
}

type SubmitArgs = SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs;

/** The edit form of fact `id` as it opens now, as the state it submits untouched (for a submission without blocks). */
async function formStateAsOpened(deps: FactsDeps, id: number): Promise<FactFormState> {
  const fact = await deps.services.facts.getFact(id);
  if (!fact) return {};
  const from = fact.after ? await deps.services.facts.getFact(fact.after.fromId) : undefined;
  return shownFactState(factModal({ fact, from, recent: [], meta: {} }).blocks) ?? {};
}

/** "title, summary and sources": the audit's field names in words. */
function fieldList(fields: readonly string[]): string {
  return fields.length <= 1 ? (fields[0] ?? "") : `${fields.slice(0, -1).join(", ")} and ${fields.at(-1)}`;
}

/**
 * The add and edit forms' submission: field errors in the ack; the save under the ack budget, answered in the ack
 * ("Fact #12 added") when on time, else acked as "Saving…" and followed up in the same form. An edit writes back
 * only the fields whose value differs from what the form showed (src/facts/edit.ts): what the form cannot show is
 * kept, and an edit that changes nothing writes nothing.
 */
export function makeFactSubmitHandler(deps: FactsDeps, mode: "add" | "edit", onFactsChanged: () => void) {
  const today = () => dateInZone(deps.clock.now(), deps.timeZone);
  return async ({ ack, body, view, client, context }: SubmitArgs): Promise<void> => {
    const meta = readRef(factFormSchema, view.private_metadata || "{}");
    const values = view.state.values as StateValues;
    if (!meta || (mode === "edit" && meta.factId === undefined)) {
      requestLogger(context, deps.logger).warn(`fact_${mode} submitted with unreadable private_metadata ${JSON.stringify(view.private_metadata).slice(0, 80)}`);
      await ack(expiredViewResponse(values[FACT_BLOCKS.title]?.[INPUT_ACTION]?.value ?? ""));
      return;
    }
    // An edit: what the form showed, from the blocks Slack sends back (else the form as it opens now). A field missing
    // from the submission is one the person did not change.
    const shownState = mode === "add" ? undefined : (shownFactState(view.blocks) ?? (await formStateAsOpened(deps, meta.factId!)));
    const read = readFactModal(shownState ? { ...shownState, ...values } : values, mode === "add" ? today() : undefined);
    const actorChoice = values[FACT_BLOCKS.actor]?.[INPUT_ACTION]?.selected_option?.value ?? undefined;
    if (Object.keys(read.errors).length > 0) {
      await ack({ response_action: "errors", errors: read.errors });
      return;
    }
    const user = body.user.id;
    const check = { allowDuplicate: read.saveAnyway };
    const resolveFrom = async () => {
      if (read.afterFromId === undefined) return undefined;
      const from = await deps.services.facts.getFact(read.afterFromId);
      if (!from || from.retracted) throw new FactError("invalid", "gone", { "after.from": "That fact no longer exists; pick another." });
      return { date: from.date, title: from.title };
    };
    let candidateNote = "";
    const save = (async (): Promise<EditResult> => {
      let saved: EditResult;
      if (mode === "add") {
        const from = await resolveFrom();
        if (from) read.raw.after = { ...(read.raw.after as object), from };
        // Saved from a feed candidate's card: the fact joins the candidate's topic, and the candidate is marked saved.
        if (meta.candidate) read.raw.topic = await candidateTopic(deps, meta.candidate.id);
        saved = { fact: await deps.services.facts.addFact(read.raw, user, check), moved: [], changed: ["created"] };
        if (meta.candidate) candidateNote = await candidateSaved(deps, client, meta.candidate, saved.fact.id, user);
      } else {
        const id = meta.factId!;
        const shown = readFactModal(shownState ?? {}).form;
        const afterChanged = JSON.stringify(shown.after ?? null) !== JSON.stringify(read.form.after ?? null);
        const from = afterChanged ? await resolveFrom() : undefined;
        saved = await deps.services.facts.changeFact(id, (line) => mergeFormEdit(line, shown, read.form, from), user, { check });
      }
      if (saved.changed.length > 0) onFactsChanged();
      return saved;
    })();
    let acked = false;
    try {
      const { value } = await withinAckBudget(
        save,
        async () => {
          acked = true;
          await ack({ response_action: "update", view: noticeView("Saving…", "Saving the fact… this view will update when it is stored.") });
        },
        deps.ackBudgetMs,
      );
      const moved = value.moved.length > 0 ? `\n\nDeadlines that count from it moved: ${value.moved.map((m) => `#${m.id} to ${m.date}`).join(", ")}.` : "";
      const shownFact = factMrkdwn(value.fact, today());
      const done =
        mode === "add"
          ? noticeView(`Fact #${value.fact.id} added`, `${shownFact}${moved}${escapeMrkdwn(candidateNote)}`)
          : value.changed.length === 0
            ? noticeView(`Fact #${value.fact.id} unchanged`, `Nothing was changed, so nothing was saved.\n\n${shownFact}`)
            : noticeView(`Fact #${value.fact.id} saved`, `${shownFact}\n\nChanged: ${escapeMrkdwn(fieldList(value.changed))}.${moved}`);
      if (acked) await client.views.update({ view_id: view.id, view: done });
      else await ack({ response_action: "update", view: done });
    } catch (error) {
      if (!(error instanceof FactError && (error.code === "invalid" || error.code === "duplicate"))) throw error;
      const errors: Record<string, string> = {};
      for (const [path, message] of Object.entries(error.fields)) {
        const [block, text] = factFieldError(path, message, read.raw, actorChoice);
        errors[block] ??= text;
      }
      if (!acked) {
        await ack({ response_action: "errors", errors });
        return;
      }
      // The form is gone ("Saving…"): say what to fix, and show the text typed so that nothing is lost.
      const problems = Object.entries(error.fields).map(([path, message]) => `• ${escapeMrkdwn(path)}: ${escapeMrkdwn(fieldMessage(message))}`);
      const typed = [read.raw.title, read.raw.summary].filter((t): t is string => typeof t === "string" && t.trim() !== "").join("\n\n");
      await client.views.update({ view_id: view.id, view: noticeView("Not saved", `Nothing was saved:\n${problems.join("\n")}`, yourTextBlocks(typed)) });
    }
  };
}

/** The retract form: why, then the fact leaves status, search and briefs (its history stays). */
export function makeRetractSubmitHandler(deps: FactsDeps, onFactsChanged: () => void) {
  return async ({ ack, body, view, client, context }: SubmitArgs): Promise<void> => {
    const meta = readRef(factFormSchema, view.private_metadata);
    const reason = (view.state.values as StateValues)[FACT_BLOCKS.reason]?.[INPUT_ACTION]?.value?.trim() ?? "";
    if (meta?.factId === undefined) {
      requestLogger(context, deps.logger).warn(`fact_retract submitted with unreadable private_metadata ${JSON.stringify(view.private_metadata).slice(0, 80)}`);
      await ack(expiredViewResponse(reason));
      return;
    }
    if (!reason) {
      await ack({ response_action: "errors", errors: { [FACT_BLOCKS.reason]: "Say why it is retracted." } });
      return;
    }
    let acked = false;
    try {
      const { value: fact } = await withinAckBudget(
        deps.services.facts.retractFact(meta.factId, reason, body.user.id).then((f) => (onFactsChanged(), f)),
        async () => {
          acked = true;
          await ack({ response_action: "update", view: noticeView("Retracting…", "Retracting the fact…") });
        },
        deps.ackBudgetMs,
      );
      const done = noticeView(`Fact #${fact.id} retracted`, `~${escapeMrkdwn(fact.title)}~\nReason: ${escapeMrkdwn(reason)}`);
      if (acked) await client.views.update({ view_id: view.id, view: done });
      else await ack({ response_action: "update", view: done });
    } catch (error) {
      if (!(error instanceof FactError) || acked) throw error;
      await ack({ response_action: "errors", errors: { [FACT_BLOCKS.reason]: error.message } });
    }
  };
}

/**
 * "Mark met by…" submitted: form errors in the ack; the close (one transaction: the closing fact marked or recorded,
 * the deadline given an event key if it had none) under the ack budget, answered in the ack when on time.
 */
export function makeCloseSubmitHandler(deps: FactsDeps, onFactsChanged: () => void) {
  return async ({ ack, body, view, client, context }: SubmitArgs): Promise<void> => {
    const meta = readRef(factFormSchema, view.private_metadata || "{}");
    const values = view.state.values as StateValues;
    if (meta?.factId === undefined) {
      requestLogger(context, deps.logger).warn(`fact_close submitted with unreadable private_metadata ${JSON.stringify(view.private_metadata).slice(0, 80)}`);
      await ack(expiredViewResponse());
      return;
    }
    const read = readCloseModal(values as FactFormState);
    if (!read.input) {
      await ack({ response_action: "errors", errors: read.errors });
      return;
    }
    const input = read.input;
    let acked = false;
    try {
      const { value } = await withinAckBudget(
        deps.services.facts.closeDeadline(meta.factId, input, body.user.id).then((r) => (onFactsChanged(), r)),
        async () => {
          acked = true;
          await ack({ response_action: "update", view: noticeView("Saving…", "Recording the outcome… this view will update when it is stored.") });
        },
        deps.ackBudgetMs,
      );
      const by = `${value.created ? "the new fact" : "fact"} #${value.closer.id} “${escapeMrkdwn(value.closer.title)}”`;
      const key = value.keyGiven ? `\n\nThe deadline was given the event key \`${escapeMrkdwn(value.keyGiven)}\`, which the closing fact names.` : "";
      const others =
        value.others.length > 0 ? `\n\nAlso closing it: ${value.others.map((o) => `fact #${o.id} (${o.outcome}, known ${o.known})`).join(", ")}; on each day the one known last counts.` : "";
      const done = noticeView(`Deadline #${value.deadline.id} closed`, `*${escapeMrkdwn(value.deadline.title)}*: ${escapeMrkdwn(value.label)}, by ${by}.${key}${others}`);
      if (acked) await client.views.update({ view_id: view.id, view: done });
      else await ack({ response_action: "update", view: done });
    } catch (error) {
      if (!(error instanceof FactError)) throw error;
      const errors: Record<string, string> = {};
      const fields = Object.keys(error.fields).length > 0 ? error.fields : { by: error.message };
      for (const [field, message] of Object.entries(fields)) {
        const block = field === "date" && input.outcome !== "extended" ? FACT_BLOCKS.closedOn : closeFieldBlock(field);
        errors[block] ??= fieldMessage(message);
      }
      if (!acked) {
        await ack({ response_action: "errors", errors });
        return;
      }
      const problems = Object.entries(fields).map(([field, message]) => `• ${escapeMrkdwn(field)}: ${escapeMrkdwn(fieldMessage(message))}`);
      await client.views.update({ view_id: view.id, view: noticeView("Not saved", `Nothing was saved:\n${problems.join("\n")}`) });
    }
  };
}

type MenuArgs = SlackActionMiddlewareArgs<BlockAction<OverflowAction>> & AllMiddlewareArgs;
type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** A search result's menu: edit, retract, show history. */
export function makeFactMenuHandler(deps: FactsDeps, runFactCommand: FactCommandRunner) {
  return async ({ ack, action, body, client, respond }: MenuArgs): Promise<void> => {
    await ack();
    const choice = readValue(factMenuSchema, action.selected_option?.value);
    if (!choice) throw new StaleRequest(`fact menu value ${JSON.stringify(action.selected_option?.value ?? null).slice(0, 80)}`);
    const channel = body.channel?.id;
    const request = { user: body.user.id, respond: body.response_url ? respond : undefined };
    if (choice.verb === "close") {
      await openCloseForm(deps, client, body.trigger_id, { ...(channel ? { channel } : {}) }, choice.id);
    } else if (choice.verb === "history") {
      await runFactCommand({ name: "fact-history", id: choice.id }, { user: body.user.id, channel: channel ?? "", triggerId: body.trigger_id, client, respond });
    } else if (choice.verb === "edit") {
      if (await changeableFact(deps, client, request, choice.id, "edit")) await openFactForm(deps, client, body.trigger_id, { ...(channel ? { channel } : {}) }, choice.id);
    } else {
      const fact = await changeableFact(deps, client, request, choice.id, "retract");
      if (fact) await openFormSoon(deps, client, body.trigger_id, "retract", Promise.resolve(retractModal(fact, { ...(channel ? { channel } : {}) })));
    }
  };
}

/** The Previous and More buttons of a search: the page replaces the results. */
export function makeFactsPageHandler(deps: FactsDeps) {
  return async ({ ack, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const page = readRef(factsPageSchema, action.value);
    if (!page) throw new StaleRequest(`facts page value ${JSON.stringify(action.value ?? null).slice(0, 80)}`);
    const today = dateInZone(deps.clock.now(), deps.timeZone);
    const result = await deps.services.facts.searchFacts(parseFactQuery(page.q), { limit: FACTS_PAGE_SIZE, offset: page.o, asOf: today });
    await respond({ replace_original: true, response_type: "ephemeral", ...factsSearchMessage(page.q, result, today) });
  };
}

/** The Home tab's Add a fact button. */
export function makeFactAddButtonHandler(deps: FactsDeps) {
  return async ({ ack, body, client }: ButtonArgs): Promise<void> => {
    await ack();
    await openFactForm(deps, client, body.trigger_id, {});
  };
}

/** Registers the fact listeners; returns the runner for `/korus fact...` commands. */
export function registerFactListeners(app: App, deps: ListenerDeps, hooks: { onFactsChanged: () => void }): FactCommandRunner {
  const runFactCommand = makeFactCommandRunner(deps);
  app.view(VIEW_IDS.factAdd, tracked(makeFactSubmitHandler(deps, "add", hooks.onFactsChanged)));
  app.view(VIEW_IDS.factEdit, tracked(makeFactSubmitHandler(deps, "edit", hooks.onFactsChanged)));
  app.view(VIEW_IDS.factRetract, tracked(makeRetractSubmitHandler(deps, hooks.onFactsChanged)));
  app.view(VIEW_IDS.factClose, tracked(makeCloseSubmitHandler(deps, hooks.onFactsChanged)));
  app.action(ACTION_IDS.factMenu, tracked(makeFactMenuHandler(deps, runFactCommand)));
  app.action(new RegExp(`^${ACTION_IDS.factsPage}:`), tracked(makeFactsPageHandler(deps)));
  app.action(ACTION_IDS.homeFactAdd, tracked(makeFactAddButtonHandler(deps)));
  return runFactCommand;
}
