import type { App, RespondFn } from "@slack/bolt";
import { BriefError, previewBrief } from "../../briefs/brief.js";
import { createSchedule, deleteSchedule, listSchedules, pauseSchedule, resumeSchedule, ScheduleError } from "../../briefs/schedules.js";
import type { BriefCommand } from "../../commands/brief-commands.js";
import type { SlackDeps } from "../app.js";
import { parseTime, parseTimeZone, parseWeekday, ScheduleSpecError } from "../../briefs/schedule-spec.js";
import type { HolidayRule } from "../../briefs/calendar.js";
import { INPUT_ACTION, SCHEDULE_BLOCKS as B, VIEW_IDS } from "../ids.js";
import { savedView } from "../views/fact-modal.js";
import { briefPreviewMessages, scheduleChangedMessage, scheduleListMessage } from "../views/briefs.js";
import { noticeMessage } from "../views/facts.js";
import type { SlackMessage } from "../views/status.js";

/** Slack lets a response_url be used 5 times: a preview longer than that many parts is cut (and says so). */
const MAX_RESPONSES = 5;

/**
 * Runs `/korus brief` and `/korus schedule ...` after the ack: answers only the user who typed it. A schedule made
 * without a #channel posts to the channel the command was typed in.
 */
export async function runBriefCommand(
  deps: SlackDeps,
  parsed: BriefCommand,
  ctx: { user: string; channel: string; respond: RespondFn },
): Promise<void> {
  const scheduleDeps = { prisma: deps.db.prisma, clock: deps.clock, admins: deps.admins };
  const reply = (message: SlackMessage) => ctx.respond({ response_type: "ephemeral", replace_original: false, text: message.text, blocks: message.blocks });
  try {
    switch (parsed.name) {
      case "brief": {
        const brief = await previewBrief({ prisma: deps.db.prisma, clock: deps.clock, timeZone: deps.timeZone }, parsed.asOf ? { asOf: parsed.asOf } : {});
        const messages = briefPreviewMessages(brief);
        for (const message of messages.slice(0, MAX_RESPONSES)) await reply(message);
        return;
      }
      case "schedule-create":
        await reply(scheduleChangedMessage("Created", await createSchedule(scheduleDeps, parsed.spec, { owner: ctx.user, channel: ctx.channel })));
        return;
      case "schedule-list":
        await reply(scheduleListMessage(await listSchedules(scheduleDeps)));
        return;
      case "schedule-pause":
        await reply(scheduleChangedMessage("Paused", await pauseSchedule(scheduleDeps, parsed.id, ctx.user)));
        return;
      case "schedule-resume":
        await reply(scheduleChangedMessage("Resumed", await resumeSchedule(scheduleDeps, parsed.id, ctx.user)));
        return;
      case "schedule-delete":
        await reply(scheduleChangedMessage("Deleted", await deleteSchedule(scheduleDeps, parsed.id, ctx.user)));
        return;
    }
  } catch (error) {
    if (error instanceof ScheduleError || error instanceof BriefError) {
      const field = error instanceof ScheduleError && error.field ? `${error.field[0]!.toUpperCase()}${error.field.slice(1)}: ` : "";
      // Our own words, with channel and user mentions meant to render.
      await reply(noticeMessage(`:thinking_face: ${field}${error.message}`));
      return;
    }
    throw error;
  }
}

/** The new-schedule form's submission: errors under the field at fault, else the schedule, shown in the form. */
export function registerScheduleForm(app: App, deps: SlackDeps): void {
  app.view(VIEW_IDS.scheduleNew, async ({ ack, body, view }) => {
    type Value = { value?: string | null; selected_option?: { value: string } | null; selected_time?: string | null; selected_conversation?: string | null };
    const v = (block: string) => view.state.values[block]?.[INPUT_ACTION] as Value | undefined;
    const errors: Record<string, string> = {};
    const read = <T>(block: string, fn: () => T): T | undefined => {
      try {
        return fn();
      } catch (error) {
        if (!(error instanceof ScheduleSpecError)) throw error;
        errors[block] = error.message;
        return undefined;
      }
    };
    const weekday = read(B.weekday, () => parseWeekday(v(B.weekday)?.selected_option?.value ?? ""));
    const time = read(B.time, () => parseTime(v(B.time)?.selected_time ?? ""));
    const timeZone = read(B.timeZone, () => parseTimeZone((v(B.timeZone)?.value ?? "").trim()));
    const channel = v(B.channel)?.selected_conversation ?? undefined;
    if (!channel) errors[B.channel] = "Pick the channel the brief goes to.";
    const holidays = (v(B.holidays)?.selected_option?.value ?? "none") as HolidayRule;
    if (Object.keys(errors).length > 0 || weekday === undefined || time === undefined || timeZone === undefined) {
      await ack({ response_action: "errors", errors });
      return;
    }
    try {
      const schedule = await createSchedule(
        { prisma: deps.db.prisma, clock: deps.clock, admins: deps.admins },
        { weekday, time, timeZone, channel, holidays },
        { owner: body.user.id },
      );
      const message = scheduleChangedMessage("Created", schedule);
      await ack({ response_action: "update", view: savedView(`Schedule #${schedule.id}`, message.text) });
    } catch (error) {
      if (!(error instanceof ScheduleError)) throw error;
      await ack({ response_action: "errors", errors: { [error.field === "channel" ? B.channel : B.timeZone]: error.message } });
    }
  });
}
