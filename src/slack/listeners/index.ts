/** Every listener of the bot, registered in one place, with the one error handler. */
import type { App } from "@slack/bolt";
import pLimit from "p-limit";
import type { SlackDeps, SlackJobs } from "../app.js";
import { makeErrorHandler } from "../error-handler.js";
import { ACTION_IDS, SHORTCUT_IDS, VIEW_IDS } from "../ids.js";
import { makeScheduleSubmitHandler } from "./briefs.js";
import { makeAskFactHandler, makeAskStatusHandler } from "./ask.js";
import { registerCommands } from "./commands.js";
import { registerFactListeners } from "./facts.js";
import { makeHomeOpenedHandler, makeHomeStatusHandler, makeHomeTab } from "./home.js";
import { type ListenerDeps, rememberAck, tracked } from "./kit.js";
import { registerMemoListeners } from "./memos/index.js";
import { makeDirectMessageHandler } from "./messages.js";
import { requestLog } from "./request-log.js";
import { makeSaveAsFactHandler } from "./save-as-fact.js";
import { makeCandidateDecisionHandler, makeCandidateSaveHandler } from "./candidates.js";
import { routeListeners } from "./router.js";
import { inOrder } from "./in-order.js";
import { knowRequesters, type SlackPeople } from "../people.js";
import { makeUserChangeHandler } from "./people.js";
import { strayRequests } from "./stray.js";

/** Work done after an ack runs at most this many at a time, so a burst of commands cannot starve the acks. */
const BACKGROUND_CONCURRENCY = 4;

/**
 * Registers the middleware, every listener and `app.error` (the app must be built with `extendedErrorHandler: true`).
 * @returns the jobs the host runs on a clock.
 */
export function registerListeners(bolt: App, slack: SlackDeps, people: SlackPeople): SlackJobs {
  // Every listener is dispatched by one middleware after the bot's global ones (router.ts): no Bolt listener is registered.
  const routed = routeListeners(bolt);
  const app = routed.app;
  const base = { ...slack, people: people.directory, background: pLimit(BACKGROUND_CONCURRENCY) };
  const deps: ListenerDeps = { ...base, home: makeHomeTab(base) };

  const runFactCommand = registerFactListeners(app, deps, { onFactsChanged: () => slack.services.status.invalidate() });
  const memos = registerMemoListeners(app, deps);
  app.view(VIEW_IDS.scheduleNew, tracked(makeScheduleSubmitHandler(deps)));
  registerCommands(app, deps, slack.services.commands, { runFactCommand, runMemoCommand: memos.runMemoCommand });
  app.shortcut({ type: "message_action", callback_id: SHORTCUT_IDS.saveAsFact }, tracked(makeSaveAsFactHandler(deps)));
  app.event("app_home_opened", tracked(makeHomeOpenedHandler(deps)));
  app.action(ACTION_IDS.homeStatus, tracked(makeHomeStatusHandler(deps)));
  app.action(new RegExp(`^${ACTION_IDS.askFact}:`), tracked(makeAskFactHandler(runFactCommand)));
  app.action(ACTION_IDS.askStatus, tracked(makeAskStatusHandler(deps)));
  app.action(ACTION_IDS.candidateSave, tracked(makeCandidateSaveHandler(deps)));
  app.action(ACTION_IDS.candidateDismiss, tracked(makeCandidateDecisionHandler(deps, "dismissed")));
  app.action(ACTION_IDS.candidateIrrelevant, tracked(makeCandidateDecisionHandler(deps, "irrelevant")));
  app.event("message", tracked(makeDirectMessageHandler(deps)));
  app.event("user_change", tracked(makeUserChangeHandler(people)));
  // The bot's middleware and then its listeners, as one Bolt middleware (in-order.ts says why).
  app.use(inOrder([requestLog(deps.logger), knowRequesters(people, deps.logger), rememberAck(), strayRequests(deps.logger), routed.dispatcher()]));
  app.error(makeErrorHandler(deps, app.client));
  return {
    sendMemoReminders: (leadMs) => memos.sendReminders(app.client, leadMs),
    refreshPeople: () => people.refreshDue(),
    warmUp: async () => {
      try {
        await slack.services.status.get();
      } catch (error) {
        // Not fatal: the first request builds it and says what went wrong.
        slack.logger.warn("could not build the status at start:", error);
      }
    },
  };
}
