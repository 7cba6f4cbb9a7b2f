import type { WebClient } from "@slack/web-api";
import { escapeMrkdwn } from "../../../render/escape.js";
import type { ListenerDeps } from "../kit.js";
import { type MemoNotices, Undelivered } from "./notices.js";

/**
 * The reminder job: DMs the owners of unfinished sections due within `leadMs`, at most once a day each (the database
 * claims each reminder, so several instances send it once), and notes it in the memo's thread. A DM that could not go
 * out is listed in the thread; what could not be posted there is logged (a job has nobody else to tell).
 * @returns how many reminders were due.
 */
export function makeReminderJob(deps: ListenerDeps, notices: MemoNotices) {
  return async (client: WebClient, leadMs: number): Promise<number> => {
    const due = await deps.services.memos.claimDueReminders(leadMs);
    for (const { memo, section } of due) {
      const undelivered = new Undelivered();
      await notices.dmOwner(client, memo, section, undelivered, true);
      await notices.inThread(client, memo, `:alarm_clock: Reminded <@${section.ownerId}> about *${escapeMrkdwn(section.title)}*.`, undelivered);
      for (const problem of undelivered.problems) deps.logger.warn(`reminder for memo #${memo.id}, section ${section.key}: ${problem}`);
    }
    return due.length;
  };
}
