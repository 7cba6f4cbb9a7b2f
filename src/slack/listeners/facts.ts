import type { App, BlockAction, OverflowAction, ButtonAction, RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { dateInZone } from "../../facts/dates.js";
import { FactQueryError, parseFactQuery } from "../../facts/query.js";
import { addFact, canChange, editFact, FactError, factHistory, getFact, recentFacts, retractFact, searchFacts } from "../../facts/service.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { withinAckBudget } from "../ack-budget.js";
import { newReference, type SlackDeps } from "../app.js";
import { ACTION_IDS, FACT_BLOCKS, INPUT_ACTION, VIEW_IDS } from "../ids.js";
import { factFieldBlock, type FactModalMeta, factModal, fieldMessage, readFactModal, retractModal, savedView } from "../views/fact-modal.js";
import { FACTS_PAGE_SIZE, factHistoryMessage, factMrkdwn, factsSearchMessage, type FactsPageValue, noticeMessage } from "../views/facts.js";
import { failureMessage } from "../views/help.js";

function parseMeta(raw: string | undefined): FactModalMeta {
  try {
    const meta = JSON.parse(raw || "{}") as FactModalMeta;
    return typeof meta === "object" && meta !== null ? meta : {};
  } catch {
    return {};
  }
}

/** Runs a fact subcommand of `/korus` after it was acked. */
export type FactCommandRunner = (
  parsed: { name: string; id?: number; query?: string },
  ctx: { user: string; channel: string; triggerId: string; client: WebClient; respond: RespondFn },
) => Promise<void>;

/** Search, add, edit, retract and history of facts from Slack; returns the runner for `/korus fact...` commands. */
export function registerFactListeners(app: App, deps: SlackDeps, hooks: { onFactsChanged: () => void }): FactCommandRunner {
  const factsDeps = { prisma: deps.db.prisma, admins: deps.admins };
  const today = () => dateInZone(deps.clock.now(), deps.timeZone);

  /** Opens the add (or edit) modal. */
  const openFactModal = async (client: WebClient, triggerId: string, meta: FactModalMeta, factId?: number) => {
    const [recent, fact] = await Promise.all([recentFacts(deps.db.prisma), factId ? getFact(deps.db.prisma, factId) : undefined]);
    const from = fact?.after ? await getFact(deps.db.prisma, fact.after.fromId) : undefined;
    await client.views.open({ trigger_id: triggerId, view: factModal({ fact, from, recent, meta }) });
  };

  /** Checks the user may change the fact; answers them if not. */
  const mayChange = async (id: number, user: string, respond: RespondFn, verb: "edit" | "retract") => {
    const fact = await getFact(deps.db.prisma, id);
    if (!fact) {
      await respond({ response_type: "ephemeral", replace_original: false, ...noticeMessage(`There is no fact #${id}.`) });
      return undefined;
    }
    if (!canChange(fact, user, deps.admins)) {
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        ...noticeMessage(`:lock: Only the author of fact #${id} (${/^[UW]/.test(fact.createdBy) ? `<@${fact.createdBy}>` : escapeMrkdwn(fact.createdBy)}) or an admin can ${verb} it.`),
      });
      return undefined;
    }
    if (fact.retracted) {
      await respond({ response_type: "ephemeral", replace_original: false, ...noticeMessage(`Fact #${id} was retracted; it can no longer be changed.`) });
      return undefined;
    }
    return fact;
  };

  /** Runs a fact command of `/korus` (already acked). */
  const runFactCommand: FactCommandRunner = async (parsed, ctx) => {
    const { respond } = ctx;
    switch (parsed.name) {
      case "facts": {
        let query;
        try {
          query = parseFactQuery(parsed.query ?? "");
        } catch (error) {
          if (!(error instanceof FactQueryError)) throw error;
          await respond({ response_type: "ephemeral", ...noticeMessage(`:thinking_face: ${escapeMrkdwn(error.message)}`) });
          return;
        }
        const result = await searchFacts(deps.db.prisma, query, { limit: FACTS_PAGE_SIZE });
        await respond({ response_type: "ephemeral", ...factsSearchMessage(parsed.query ?? "", result, today()) });
        return;
      }
      case "fact-add":
        await openFactModal(ctx.client, ctx.triggerId, { channel: ctx.channel });
        return;
      case "fact-edit":
        if (await mayChange(parsed.id!, ctx.user, respond, "edit")) await openFactModal(ctx.client, ctx.triggerId, { channel: ctx.channel }, parsed.id);
        return;
      case "fact-retract": {
        const fact = await mayChange(parsed.id!, ctx.user, respond, "retract");
        if (fact) await ctx.client.views.open({ trigger_id: ctx.triggerId, view: retractModal(fact, { channel: ctx.channel }) });
        return;
      }
      case "fact-show": {
        const fact = await getFact(deps.db.prisma, parsed.id!);
        await respond({
          response_type: "ephemeral",
          ...(fact ? factsSearchMessage("", { facts: [fact], total: 1, offset: 0 }, today()) : noticeMessage(`There is no fact #${parsed.id}.`)),
        });
        return;
      }
      case "fact-history": {
        try {
          const { fact, entries } = await factHistory(deps.db.prisma, parsed.id!);
          await respond({ response_type: "ephemeral", replace_original: false, ...factHistoryMessage(fact, entries, deps.timeZone) });
        } catch (error) {
          if (!(error instanceof FactError)) throw error;
          await respond({ response_type: "ephemeral", replace_original: false, ...noticeMessage(error.message) });
        }
        return;
      }
    }
  };

  const submitFact = (mode: "add" | "edit") =>
    (async ({ ack, body, view, client }) => {
      const meta = parseMeta(view.private_metadata);
      const values = view.state.values as Parameters<typeof readFactModal>[0];
      const read = readFactModal(values);
      const actorChoice = values[FACT_BLOCKS.actor]?.[INPUT_ACTION]?.selected_option?.value;
      if (Object.keys(read.errors).length > 0) {
        await ack({ response_action: "errors", errors: read.errors });
        return;
      }
      const user = body.user.id;
      const save = (async () => {
        if (read.afterFromId !== undefined) {
          const from = await getFact(deps.db.prisma, read.afterFromId);
          if (!from || from.retracted) throw new FactError("invalid", "gone", { "after.from": "That fact no longer exists; pick another." });
          read.raw.after = { ...(read.raw.after as object), from: { date: from.date, title: from.title } };
        }
        const saved = mode === "add" ? { fact: await addFact(factsDeps, read.raw, user), moved: [] } : await editFact(factsDeps, meta.factId!, read.raw, user);
        hooks.onFactsChanged();
        return saved;
      })();
      try {
        const { value, late } = await withinAckBudget(save, () =>
          ack({ response_action: "update", view: savedView("Saving…", "Saving the fact… this view will update when it is stored.") }),
          deps.ackBudgetMs,
        );
        const moved = value.moved.length > 0 ? `\n\nDeadlines that count from it moved: ${value.moved.map((m) => `#${m.id} to ${m.date}`).join(", ")}.` : "";
        const done = savedView(mode === "add" ? `Fact #${value.fact.id} added` : `Fact #${value.fact.id} saved`, `${factMrkdwn(value.fact, dateInZone(deps.clock.now(), deps.timeZone))}${moved}`);
        if (late) await client.views.update({ view_id: view.id, view: done });
        else await ack({ response_action: "update", view: done });
      } catch (error) {
        if (error instanceof FactError && error.code === "invalid") {
          const errors: Record<string, string> = {};
          for (const [path, message] of Object.entries(error.fields)) {
            errors[factFieldBlock(path, read.raw, actorChoice)] ??= fieldMessage(message);
          }
          await ack({ response_action: "errors", errors }).catch(() => undefined);
          return;
        }
        const text =
          error instanceof FactError
            ? error.message
            : (() => {
                const reference = newReference();
                deps.logger.error(`saving a fact failed (reference ${reference}):`, error);
                return failureMessage("save the fact", reference).text;
              })();
        await ack({ response_action: "update", view: savedView("Not saved", text) }).catch(() =>
          client.views.update({ view_id: view.id, view: savedView("Not saved", text) }),
        );
      }
    }) satisfies Parameters<typeof app.view>[1];

  app.view(VIEW_IDS.factAdd, submitFact("add"));
  app.view(VIEW_IDS.factEdit, submitFact("edit"));

  app.view(VIEW_IDS.factRetract, async ({ ack, body, view }) => {
    const meta = parseMeta(view.private_metadata);
    const reason = view.state.values[FACT_BLOCKS.reason]?.[INPUT_ACTION]?.value?.trim() ?? "";
    if (!reason) {
      await ack({ response_action: "errors", errors: { [FACT_BLOCKS.reason]: "Say why it is retracted." } });
      return;
    }
    try {
      const fact = await retractFact(factsDeps, meta.factId ?? -1, reason, body.user.id);
      hooks.onFactsChanged();
      await ack({ response_action: "update", view: savedView(`Fact #${fact.id} retracted`, `~${escapeMrkdwn(fact.title)}~\nReason: ${escapeMrkdwn(reason)}`) });
    } catch (error) {
      if (!(error instanceof FactError)) throw error;
      await ack({ response_action: "errors", errors: { [FACT_BLOCKS.reason]: error.message } });
    }
  });

  app.action<BlockAction<OverflowAction>>(ACTION_IDS.factMenu, async ({ ack, action, body, client, respond }) => {
    await ack();
    const [verb, rawId] = action.selected_option.value.split(":");
    const id = Number(rawId);
    const meta = { channel: body.channel?.id };
    if (verb === "history") {
      await runFactCommand({ name: "fact-history", id }, { user: body.user.id, channel: body.channel?.id ?? "", triggerId: body.trigger_id, client, respond });
    } else if (verb === "edit") {
      if (await mayChange(id, body.user.id, respond, "edit")) await openFactModal(client, body.trigger_id, meta, id);
    } else if (verb === "retract") {
      const fact = await mayChange(id, body.user.id, respond, "retract");
      if (fact) await client.views.open({ trigger_id: body.trigger_id, view: retractModal(fact, meta) });
    }
  });

  app.action<BlockAction<ButtonAction>>(new RegExp(`^${ACTION_IDS.factsPage}`), async ({ ack, action, respond }) => {
    await ack();
    let page: FactsPageValue;
    try {
      page = JSON.parse(action.value ?? "") as FactsPageValue;
    } catch {
      return;
    }
    const query = parseFactQuery(page.q);
    const result = await searchFacts(deps.db.prisma, query, { limit: FACTS_PAGE_SIZE, offset: page.o });
    await respond({ replace_original: true, response_type: "ephemeral", ...factsSearchMessage(page.q, result, today()) });
  });

  return runFactCommand;
}
