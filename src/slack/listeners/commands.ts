import type { AllMiddlewareArgs, App, SlackCommandMiddlewareArgs } from "@slack/bolt";
import { parseCommand } from "../../commands/parse.js";
import { TopicError } from "../../topics/slug.js";
import { getStatus } from "../../status/service.js";
import { withinAckBudget } from "../ack-budget.js";
import { commandText } from "../command-text.js";
import { COMMAND } from "../ids.js";
import { newReference, requestLogger } from "../reference.js";
import { scheduleModal } from "../views/briefs.js";
import { failureMessage, helpMessage, usageMessage } from "../views/help.js";
import { statusMessage } from "../views/status.js";
import { runBriefCommand } from "./briefs.js";
import { runFigureCommand } from "./figures.js";
import { runDeadlineCommand } from "./deadlines.js";
import type { FactCommandRunner } from "./facts.js";
import { type ListenerDeps, openForm, tracked } from "./kit.js";
import type { MemoCommandRunner } from "./memos/index.js";

/**
 * `/korus` and its subcommands: help and usage answer in the ack; the status answers in the ack when it is ready
 * within the ack budget, else through response_url; forms open at once (a trigger lasts 3 s); everything else is
 * acked first and answered through response_url. A refusal or failure after the ack goes to app.error.
 */
export function makeCommandHandler(deps: ListenerDeps, runners: { runFactCommand: FactCommandRunner; runMemoCommand: MemoCommandRunner }) {
  return async ({ command, ack, respond, client, context }: SlackCommandMiddlewareArgs & AllMiddlewareArgs): Promise<void> => {
    // Slack's entities decoded and channel mentions made ids (src/slack/command-text.ts).
    const parsed = parseCommand(commandText(command.text ?? ""));
    const ctx = { user: command.user_id, channel: command.channel_id, triggerId: command.trigger_id, client, respond };
    switch (parsed.name) {
      case "help":
        await ack({ response_type: "ephemeral", ...helpMessage() });
        return;
      case "invalid":
        await ack({ response_type: "ephemeral", ...(parsed.usage ? usageMessage(parsed.message, parsed.usage) : helpMessage(parsed.message)) });
        return;
      case "status": {
        // A status usually comes from the cache in a millisecond: answer in the ack itself. If it is slow, ack now
        // and send it through response_url when ready.
        const responseType = parsed.public ? ("in_channel" as const) : ("ephemeral" as const);
        const work = deps.background(() => getStatus({ prisma: deps.db.prisma, clock: deps.clock, timeZone: deps.timeZone, cache: deps.statusCache }, parsed.asOf, parsed.topic));
        let acked = false;
        try {
          const { value: report, late } = await withinAckBudget(
            work,
            async () => {
              acked = true;
              await ack();
            },
            deps.ackBudgetMs,
          );
          const message = { response_type: responseType, ...statusMessage(report) };
          if (late) await respond(message);
          else await ack(message);
        } catch (error) {
          if (error instanceof TopicError) {
            const refusal = { response_type: "ephemeral" as const, ...usageMessage(error.message, "/korus status [topic] [public] [as-of YYYY-MM-DD]") };
            if (acked) await respond(refusal);
            else await ack(refusal);
            return;
          }
          const reference = newReference(context);
          requestLogger(context, deps.logger).error(`status failed (reference ${reference}) for ${command.user_id}:`, error);
          const failure = { response_type: "ephemeral" as const, ...failureMessage("build the status", reference) };
          if (acked) await respond(failure);
          else await ack(failure);
        }
        return;
      }
      case "memo-new":
      case "memo-list":
      case "memo-show":
      case "memo-assemble":
      case "memo-history":
        await ack();
        // The new-memo form must open within the trigger's 3 s, so it never waits in the queue.
        await (parsed.name === "memo-new" ? runners.runMemoCommand(parsed, ctx) : deps.background(() => runners.runMemoCommand(parsed, ctx)));
        return;
      case "schedule-new":
        // The form must open within the trigger's 3 s: no queue.
        await ack();
        await openForm(client, command.trigger_id, scheduleModal({ timeZone: deps.timeZone, channel: command.channel_id }), "schedule");
        return;
      case "brief":
      case "schedule-create":
      case "schedule-list":
      case "schedule-pause":
      case "schedule-resume":
      case "schedule-delete":
        await ack();
        await deps.background(() => runBriefCommand(deps, parsed, { user: command.user_id, channel: command.channel_id, respond }));
        return;
      case "figures":
      case "chart":
      case "ask":
        await ack();
        await deps.background(() => runFigureCommand({ ...deps, logger: requestLogger(context, deps.logger) }, parsed, { user: command.user_id, channel: command.channel_id, client, respond }));
        return;
      case "alerts-on":
      case "alerts-off":
      case "alerts-list":
      case "topics":
      case "timeline":
        await ack();
        await deps.background(() => runDeadlineCommand(deps, parsed, { user: command.user_id, channel: command.channel_id, respond }));
        return;
      case "facts":
      case "fact-add":
      case "fact-show":
      case "fact-edit":
      case "fact-retract":
      case "fact-history":
      case "fact-close":
        await ack();
        // A form must open within the trigger's 3 s, so it never waits in the queue; searches do.
        await (["fact-add", "fact-edit", "fact-retract", "fact-close"].includes(parsed.name) ? runners.runFactCommand(parsed, ctx) : deps.background(() => runners.runFactCommand(parsed, ctx)));
        return;
    }
  };
}

/** Registers `/korus`; feature listeners supply the runners for their subcommands. */
export function registerCommands(app: App, deps: ListenerDeps, runners: { runFactCommand: FactCommandRunner; runMemoCommand: MemoCommandRunner }): void {
  app.command(COMMAND, tracked(makeCommandHandler(deps, runners)));
}
