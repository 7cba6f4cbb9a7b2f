/**
 * The Home tab: published when a person opens it, and republished for everyone a memo involves after each change to
 * it (a section written or marked final, a reassignment, a sign-off request or approval, the memo created, assembled
 * or cancelled), so that it never shows a section as waiting after its owner wrote it. Its buttons: the status, add a
 * fact, a new memo, and Write on each of the viewer's pending sections. It also counts the feed items waiting for
 * review (as of when it was opened: a candidate decided or found later shows at the next opening).
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { ModalView } from "@slack/types";
import type { WebClient } from "@slack/web-api";
import pLimit from "p-limit";
import type { MemoView } from "../../memos/read.js";
import { isSlackUserId } from "../ids.js";
import { slackErrorCode } from "../slack-errors.js";
import { plain } from "../views/blocks.js";
import { homeView } from "../views/home.js";
import { statusMessage } from "../views/status.js";
import { type ListenerDeps, openFormSoon } from "./kit.js";

/** Publishes Home tabs. */
export interface HomeTab {
  /** Builds and publishes one person's Home tab. */
  publish(client: WebClient, user: string): Promise<void>;
  /**
   * Republishes the Home tab of each of `users` (Slack user ids; others are skipped), one after another. A failure is
   * logged and the others still get theirs: nobody is waiting on a Home tab, and it is rebuilt when they open it.
   */
  refresh(client: WebClient, users: Iterable<string | null | undefined>): Promise<void>;
}

/** Everyone a memo involves: its creator, its section owners and its approvers. */
export function memoAudience(memo: MemoView): string[] {
  return [memo.createdBy, ...memo.sections.map((s) => s.ownerId ?? ""), ...memo.approvals.map((a) => a.approver)];
}

/** Home tabs built at once at most: they are background work, and each reads the memos and the status. */
const PUBLISH_CONCURRENCY = 2;
/** A person's Home tab is rebuilt at most once in this long while changes keep coming (the last change always shows). */
const REPUBLISH_INTERVAL_MS = 1000;

/**
 * The Home tab publisher. Refreshes coalesce per person: while one is being built, further changes only ask for one
 * more build, started at least REPUBLISH_INTERVAL_MS after the previous one, so a burst of saves costs a person about
 * one publish a second, not one per save, and the last one shows every change.
 */
export function makeHomeTab(deps: Pick<ListenerDeps, "services" | "timeZone" | "logger">): HomeTab {
  const publish = async (client: WebClient, user: string) => {
    const [waiting, memos, status, candidatesWaiting] = await Promise.all([
      deps.services.memos.sectionsFor(user),
      deps.services.memos.listMemos(),
      deps.services.status.get(),
      deps.services.feeds.pendingCounts(),
    ]);
    await client.views.publish({ user_id: user, view: homeView({ user, waiting, memos, status, timeZone: deps.timeZone, candidatesWaiting }) });
  };
  const limit = pLimit(PUBLISH_CONCURRENCY);
  /** Per person being republished: whether another change came in meanwhile. */
  const again = new Map<string, boolean>();
  const republish = async (client: WebClient, user: string) => {
    let started = 0;
    do {
      const wait = started + REPUBLISH_INTERVAL_MS - Date.now();
      if (started > 0 && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      again.set(user, false);
      started = Date.now();
      try {
        await limit(() => publish(client, user));
      } catch (error) {
        deps.logger.warn(`Home tab of ${user} not republished (${slackErrorCode(error)}); it is rebuilt when they open it:`, error);
      }
    } while (again.get(user));
    again.delete(user);
  };
  return {
    publish,
    refresh: async (client, users) => {
      const started: Array<Promise<void>> = [];
      for (const user of new Set([...users].filter(isSlackUserId))) {
        if (again.has(user)) again.set(user, true);
        else started.push(republish(client, user));
      }
      await Promise.all(started);
    },
  };
}

/** `app_home_opened` on the Home tab: publish it fresh. */
export function makeHomeOpenedHandler(deps: Pick<ListenerDeps, "home">) {
  return async ({ event, client }: SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs): Promise<void> => {
    if (event.tab !== "home") return;
    await deps.home.publish(client, event.user);
  };
}

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;

/** The Home tab's Status button: the status in a modal (a Home tab has no channel to answer in). */
export function makeHomeStatusHandler(deps: Pick<ListenerDeps, "services" | "ackBudgetMs">) {
  return async ({ ack, body, client }: ButtonArgs): Promise<void> => {
    await ack();
    const build = deps.services.status.get().then((report): ModalView => ({ type: "modal", title: plain("KORUS status"), close: plain("Close"), blocks: statusMessage(report).blocks }));
    await openFormSoon(deps, client, body.trigger_id, "status", build);
  };
}
