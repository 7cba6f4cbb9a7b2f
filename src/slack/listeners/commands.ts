import type { AllMiddlewareArgs, App, Context, RespondFn, SlackCommandMiddlewareArgs } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { parseCommand } from "../../commands/parse.js";
import { type CommandName, type CommandNameOn, type CommandOf, REGISTRY } from "../../commands/registry.js";
import type { CommandServices } from "../../commands/services.js";
import { TopicError } from "../../topics/slug.js";
import { withinAckBudget } from "../ack-budget.js";
import { ackWithAnswer } from "../ack-json.js";
import { commandText } from "../command-text.js";
import { COMMAND } from "../ids.js";
import { newReference, requestLogger } from "../reference.js";
import { scheduleModal } from "../views/briefs.js";
import { failureMessage, helpMessage, usageMessage } from "../views/help.js";
import { type SlackMessage, statusMessage } from "../views/status.js";
import { runBriefCommand } from "./briefs.js";
import { runFigureCommand } from "./figures.js";
import { runDeadlineCommand } from "./deadlines.js";
import { runFeedCommand } from "./feeds.js";
import type { FactCommandRunner } from "./facts.js";
import { type ListenerDeps, openForm, tracked } from "./kit.js";
import type { MemoCommandRunner } from "./memos/index.js";

/** What a command's handler is given about the request. */
export interface SlackCommandContext {
  user: string;
  channel: string;
  triggerId: string;
  client: WebClient;
  respond: RespondFn;
  context: Context;
}

/** An answer given in the ack itself (or, when late, through response_url). */
export type AckAnswer = SlackMessage & { response_type: "ephemeral" | "in_channel" };

/**
 * One handler per Slack command: a mapped type over the registry, so a command declared without a handler here is a
 * compile error. `inline` and `budget` commands return their answer (the dispatcher puts it in the ack, or sends it
 * late); `form` and `queued` commands answer on their own after the ack.
 */
export type SlackCommandHandlers = {
  [K in CommandNameOn<"slack">]: (typeof REGISTRY)[K]["ack"] extends "inline" | "budget"
    ? (command: CommandOf<K>, ctx: SlackCommandContext) => Promise<AckAnswer>
    : (command: CommandOf<K>, ctx: SlackCommandContext) => Promise<void>;
};

/** The handlers of `/korus`'s subcommands, over the services and the feature listeners' runners. */
export function slackCommandHandlers(deps: ListenerDeps, services: CommandServices, runners: { runFactCommand: FactCommandRunner; runMemoCommand: MemoCommandRunner }): SlackCommandHandlers {
  const brief = (command: Parameters<typeof runBriefCommand>[1], ctx: SlackCommandContext) => runBriefCommand(deps, command, ctx);
  const figure = (command: Parameters<typeof runFigureCommand>[1], ctx: SlackCommandContext) => runFigureCommand({ ...deps, logger: requestLogger(ctx.context, deps.logger) }, command, ctx);
  const deadline = (command: Parameters<typeof runDeadlineCommand>[1], ctx: SlackCommandContext) => runDeadlineCommand(deps, command, ctx);
  const feed = (command: Parameters<typeof runFeedCommand>[1], ctx: SlackCommandContext) => runFeedCommand(deps, command, ctx);
  const fact = runners.runFactCommand;
  const memo = runners.runMemoCommand;
  return {
    help: async () => ({ response_type: "ephemeral", ...helpMessage() }),
    status: async (command) => {
      try {
        const report = await services.status(command.asOf, command.topic);
        return statusAnswer(statusMessage(report), command.public ? "in_channel" : "ephemeral");
      } catch (error) {
        if (error instanceof TopicError) return { response_type: "ephemeral", ...usageMessage(error.message, REGISTRY.status.usage) };
        throw error;
      }
    },
    facts: fact,
    "fact-add": fact,
    "fact-show": fact,
    "fact-edit": fact,
    "fact-retract": fact,
    "fact-history": fact,
    "fact-close": fact,
    "memo-new": memo,
    "memo-list": memo,
    "memo-show": memo,
    "memo-assemble": memo,
    "memo-history": memo,
    brief,
    "schedule-create": brief,
    "schedule-list": brief,
    "schedule-pause": brief,
    "schedule-resume": brief,
    "schedule-delete": brief,
    "schedule-new": async (_command, ctx) => {
      await openForm(ctx.client, ctx.triggerId, scheduleModal({ timeZone: deps.timeZone, channel: ctx.channel }), "schedule");
    },
    figures: figure,
    chart: figure,
    ask: figure,
    "alerts-on": deadline,
    "alerts-off": deadline,
    "alerts-list": deadline,
    topics: deadline,
    timeline: deadline,
    "feeds-list": feed,
    "feeds-add": feed,
    "feeds-remove": feed,
    "candidates-list": feed,
  };
}

/** The status answers made per message (itself made once per cached report): one object each, whose JSON is kept. */
const statusAnswers = new WeakMap<SlackMessage, Partial<Record<AckAnswer["response_type"], AckAnswer>>>();

function statusAnswer(message: SlackMessage, responseType: AckAnswer["response_type"]): AckAnswer {
  let answers = statusAnswers.get(message);
  if (!answers) {
    answers = {};
    statusAnswers.set(message, answers);
  }
  answers[responseType] ??= { response_type: responseType, ...message };
  return answers[responseType];
}

type AnyHandler = (command: unknown, ctx: SlackCommandContext) => Promise<AckAnswer | undefined>;

/**
 * `/korus` and its subcommands, acknowledged as the registry declares each: help and usage answer in the ack; the
 * status answers in the ack when it is ready within the ack budget, else through response_url; forms open at once (a
 * trigger lasts 3 s); everything else is acked first, queued, and answered through response_url. A refusal or failure
 * after the ack goes to app.error.
 */
export function makeCommandHandler(deps: ListenerDeps, handlers: SlackCommandHandlers) {
  return async ({ command, ack, respond, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    // Slack sends &, < and > in typed text as HTML entities; mentions and links it escaped itself stay as <...>.
    const parsed = parseCommand(commandText(command.text ?? ""), "slack");
    if (parsed.name === "invalid") {
      await ack({ response_type: "ephemeral", ...(parsed.usage ? usageMessage(parsed.message, parsed.usage) : helpMessage(parsed.message)) });
      return;
    }
    const ctx: SlackCommandContext = { user: command.user_id, channel: command.channel_id, triggerId: command.trigger_id, client, respond, context };
    const name = parsed.name as CommandNameOn<"slack">;
    const handle = handlers[name] as AnyHandler;
    switch ((REGISTRY[name as CommandName] as { ack: string }).ack) {
      case "inline":
        await ack((await handle(parsed, ctx)) as AckAnswer);
        return;
      case "budget":
        await answerWithinBudget(deps, () => handle(parsed, ctx) as Promise<AckAnswer>, { ack, respond, context, user: command.user_id });
        return;
      case "form":
        // The form must open within the trigger's 3 s, so it never waits in the queue.
        await ack();
        await handle(parsed, ctx);
        return;
      default:
        await ack();
        await deps.background(() => handle(parsed, ctx));
    }
  };
}

/**
 * An answer that usually comes in a millisecond (the status from its cache) goes in the ack itself; a slow one is
 * acked within the ack budget and sent through response_url when ready. A failure is told with a reference.
 */
async function answerWithinBudget(
  deps: ListenerDeps,
  answer: () => Promise<AckAnswer>,
  request: { ack: SlackCommandMiddlewareArgs["ack"]; respond: RespondFn; context: Context; user: string },
): Promise<void> {
  let acked = false;
  try {
    const { value, late } = await withinAckBudget(
      deps.background(answer),
      async () => {
        acked = true;
        await request.ack();
      },
      deps.ackBudgetMs,
    );
    if (late) await request.respond(value);
    else await ackWithAnswer(request.ack, request.context, value);
  } catch (error) {
    const reference = newReference(request.context);
    requestLogger(request.context, deps.logger).error(`status failed (reference ${reference}) for ${request.user}:`, error);
    const failure = { response_type: "ephemeral" as const, ...failureMessage("build the status", reference) };
    if (acked) await request.respond(failure);
    else await request.ack(failure);
  }
}

/** Registers `/korus`; feature listeners supply the runners for their subcommands. */
export function registerCommands(app: App, deps: ListenerDeps, services: CommandServices, runners: { runFactCommand: FactCommandRunner; runMemoCommand: MemoCommandRunner }): void {
  app.command(COMMAND, tracked(makeCommandHandler(deps, slackCommandHandlers(deps, services, runners))));
}
