/**
 * `/korus ask` in Slack: the answer after the ack, only to whoever asked, and its buttons: "Open fact #N" shows the
 * fact as `/korus fact show N` does; "Status as of DAY" shows the status as it stood that day. A button whose value
 * is not one the bot wrote (an older message, a forged request) is answered as stale.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, RespondFn, SlackActionMiddlewareArgs } from "@slack/bolt";
import { dateInZone } from "../../time-zone.js";
import { askFactSchema, askStatusSchema, readRef } from "../carried-values.js";
import { statusMessage } from "../views/status.js";
import type { FactCommandRunner } from "./facts.js";
import { type ListenerDeps, StaleRequest } from "./kit.js";

/** Slack lets a response_url be used 5 times. */
const MAX_RESPONSES = 5;

type AskDeps = Pick<ListenerDeps, "services" | "clock" | "timeZone">;

/** Answers a question for the user who asked, as ephemeral messages through response_url. */
export async function runAskCommand(deps: AskDeps, question: string, respond: RespondFn): Promise<void> {
  // Loaded with the first question: reading one brings chrono-node, stop words and a stemmer (about 4 MB of heap that a
  // bot nobody asks anything would hold for nothing).
  const [answer, { askMessages }] = await Promise.all([deps.services.ask.askQuestion(question), import("../views/ask.js")]);
  const today = dateInZone(deps.clock.now(), deps.timeZone);
  for (const message of askMessages(answer, today).slice(0, MAX_RESPONSES)) {
    await respond({ response_type: "ephemeral", replace_original: false, text: message.text, blocks: message.blocks });
  }
}

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** "Open fact #N" under an answer: the fact, as `/korus fact show N` shows it. */
export function makeAskFactHandler(runFactCommand: FactCommandRunner) {
  return async ({ ack, action, body, client, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const ref = readRef(askFactSchema, action.value);
    if (!ref) throw new StaleRequest(`ask fact value ${JSON.stringify(action.value ?? null).slice(0, 80)}`);
    await runFactCommand({ name: "fact-show", id: ref.f }, { user: body.user.id, channel: body.channel?.id ?? "", triggerId: body.trigger_id, client, respond });
  };
}

/** "Status as of DAY" under an answer: the status as it stood that day (not after today). */
export function makeAskStatusHandler(deps: AskDeps) {
  return async ({ ack, action, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const ref = readRef(askStatusSchema, action.value);
    const today = dateInZone(deps.clock.now(), deps.timeZone);
    if (!ref || ref.d > today) throw new StaleRequest(`ask status value ${JSON.stringify(action.value ?? null).slice(0, 80)}`);
    const report = await deps.services.status.get(ref.d);
    await respond({ response_type: "ephemeral", replace_original: false, ...statusMessage(report) });
  };
}
