import type { App } from "@slack/bolt";
import type { LimitFunction } from "p-limit";
import type { StatusCache } from "../../status/cache.js";
import { parseCommand } from "../../commands/parse.js";
import { getStatus } from "../../status/service.js";
import { newReference, type SlackDeps } from "../app.js";
import { withinAckBudget } from "../ack-budget.js";
import { COMMAND } from "../ids.js";
import type { FactCommandRunner } from "./facts.js";
import type { MemoCommandRunner } from "./memos.js";
import { runBriefCommand } from "./briefs.js";
import { scheduleModal } from "../views/briefs.js";
import { failureMessage, helpMessage, usageMessage } from "../views/help.js";
import { statusMessage } from "../views/status.js";

/** Registers `/korus` and its subcommands; feature listeners supply the runners for theirs. */
export function registerCommands(
  app: App,
  deps: SlackDeps,
  runners: { runFactCommand: FactCommandRunner; runMemoCommand: MemoCommandRunner; statusCache: StatusCache; background: LimitFunction },
): void {
  app.command(COMMAND, async ({ command, ack, respond, client }) => {
    // Slack sends &, < and > in typed text as HTML entities; mentions and links it escaped itself stay as <...>.
    const parsed = parseCommand((command.text ?? "").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"));
    switch (parsed.name) {
      case "help":
        await ack({ response_type: "ephemeral", ...helpMessage() });
        return;
      case "invalid":
        await ack({
          response_type: "ephemeral",
          ...(parsed.usage ? usageMessage(parsed.message, parsed.usage) : helpMessage(parsed.message)),
        });
        return;
      case "status": {
        // A status usually comes from the cache in a millisecond: answer in the ack itself. If it is slow, ack now
        // and send it through response_url when ready.
        const responseType = parsed.public ? ("in_channel" as const) : ("ephemeral" as const);
        const work = runners.background(() =>
          getStatus({ prisma: deps.db.prisma, clock: deps.clock, timeZone: deps.timeZone, cache: runners.statusCache }, parsed.asOf),
        );
        try {
          const { value: report, late } = await withinAckBudget(work, () => ack(), deps.ackBudgetMs);
          const message = { response_type: responseType, ...statusMessage(report) };
          if (late) await respond(message);
          else await ack(message);
        } catch (error) {
          const reference = newReference();
          deps.logger.error(`status failed (reference ${reference}) for ${command.user_id}:`, error);
          const failure = { response_type: "ephemeral" as const, ...failureMessage("build the status", reference) };
          await ack(failure).catch(() =>
            respond(failure).catch((e) => deps.logger.error(`could not tell ${command.user_id} about failure ${reference}:`, e)),
          );
        }
        return;
      }
      case "memo-new":
      case "memo-list":
      case "memo-show":
      case "memo-assemble":
      case "memo-history": {
        await ack();
        const run = () =>
          runners.runMemoCommand(parsed, { user: command.user_id, channel: command.channel_id, triggerId: command.trigger_id, client, respond });
        // The new-memo form must open within the trigger's 3 s, so it never waits in the queue.
        await (parsed.name === "memo-new" ? run() : runners.background(run));
        return;
      }
      case "schedule-new":
        // The form must open within the trigger's 3 s: no queue.
        await ack();
        await client.views
          .open({ trigger_id: command.trigger_id, view: scheduleModal({ timeZone: deps.timeZone, channel: command.channel_id }) })
          .catch((error) => deps.logger.error("could not open the schedule form:", error));
        return;
      case "brief":
      case "schedule-create":
      case "schedule-list":
      case "schedule-pause":
      case "schedule-resume":
      case "schedule-delete": {
        await ack();
        try {
          await runners.background(() => runBriefCommand(deps, parsed, { user: command.user_id, channel: command.channel_id, respond }));
        } catch (error) {
          const reference = newReference();
          deps.logger.error(`/korus ${parsed.name} failed (reference ${reference}) for ${command.user_id}:`, error);
          await respond({ response_type: "ephemeral", ...failureMessage(`do that (${parsed.name.replace("-", " ")})`, reference) }).catch(() => undefined);
        }
        return;
      }
      case "facts":
      case "fact-add":
      case "fact-show":
      case "fact-edit":
      case "fact-retract":
      case "fact-history": {
        await ack();
        try {
          const run = () =>
            runners.runFactCommand(parsed, { user: command.user_id, channel: command.channel_id, triggerId: command.trigger_id, client, respond });
          // A form must open within the trigger's 3 s, so it never waits in the queue; searches do.
          await (["fact-add", "fact-edit", "fact-retract"].includes(parsed.name) ? run() : runners.background(run));
        } catch (error) {
          const reference = newReference();
          deps.logger.error(`/korus ${parsed.name} failed (reference ${reference}) for ${command.user_id}:`, error);
          await respond({ response_type: "ephemeral", ...failureMessage(`do that (${parsed.name.replace("-", " ")})`, reference) }).catch(() => undefined);
        }
        return;
      }
    }
  });
}
