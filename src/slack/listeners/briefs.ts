import type { AllMiddlewareArgs, RespondFn, SlackViewMiddlewareArgs, ViewSubmitAction } from "@slack/bolt";
import { BriefError } from "../../briefs/brief.js";
import { TopicError } from "../../topics/slug.js";
import { HOLIDAY_RULES, type HolidayRule, ScheduleError } from "../../briefs/schedules.js";
import type { BriefCommand } from "../../commands/brief-commands.js";
import type { SlackDeps } from "../app.js";
import { parseTime, parseTimeZone, parseWeekday, ScheduleSpecError } from "../../briefs/schedule-spec.js";
import { withinAckBudget } from "../ack-budget.js";
import type { StateValues } from "../payloads.js";
import { noticeView } from "../views/expired.js";
import { INPUT_ACTION, SCHEDULE_BLOCKS as B } from "../ids.js";
import { briefPreviewMessages, scheduleChangedMessage, scheduleListMessage } from "../views/briefs.js";
import { noticeMessage } from "../views/facts.js";
import type { SlackMessage } from "../views/status.js";

/** Slack lets a response_url be used 5 times: a preview longer than that many parts is cut (and says so). */
const MAX_RESPONSES = 5;

/**
 * Runs `/korus brief` and `/korus schedule ...` after the ack: answers only the user who typed it. A schedule made
 * without a #channel posts to the channel the command was typed in.
 */
export async function runBriefCommand(deps: SlackDeps, parsed: BriefCommand, ctx: { user: string; channel: string; respond: RespondFn }): Promise<void> {
  const reply = (message: SlackMessage) => ctx.respond({ response_type: "ephemeral", replace_original: false, text: message.text, blocks: message.blocks });
  try {
    switch (parsed.name) {
      case "brief": {
        const brief = await deps.services.briefs.previewBrief({ ...(parsed.asOf ? { asOf: parsed.asOf } : {}), ...(parsed.topic ? { topic: parsed.topic } : {}) });
        const messages = briefPreviewMessages(brief);
        for (const message of messages.slice(0, MAX_RESPONSES)) await reply(message);
        return;
      }
      case "schedule-create":
        await reply(scheduleChangedMessage("Created", await deps.services.briefs.createSchedule(parsed.spec, { owner: ctx.user, channel: ctx.channel })));
        return;
      case "schedule-list":
        await reply(scheduleListMessage(await deps.services.briefs.listSchedules()));
        return;
      case "schedule-pause":
        await reply(scheduleChangedMessage("Paused", await deps.services.briefs.pauseSchedule(parsed.id, ctx.user)));
        return;
      case "schedule-resume":
        await reply(scheduleChangedMessage("Resumed", await deps.services.briefs.resumeSchedule(parsed.id, ctx.user)));
        return;
      case "schedule-delete":
        await reply(scheduleChangedMessage("Deleted", await deps.services.briefs.deleteSchedule(parsed.id, ctx.user)));
        return;
    }
  } catch (error) {
    if (error instanceof ScheduleError || error instanceof BriefError || error instanceof TopicError) {
      const field = error instanceof ScheduleError && error.field ? `${error.field[0]!.toUpperCase()}${error.field.slice(1)}: ` : "";
      // Our own words, with channel and user mentions meant to render.
      await reply(noticeMessage(`:thinking_face: ${field}${error.message}`));
      return;
    }
    throw error;
  }
}

/**
 * The new-schedule form's submission: errors under the field at fault in the ack; the schedule is created under the
 * ack budget and shown in the form (acked as "Scheduling…" and followed up when slower).
 */
export function makeScheduleSubmitHandler(deps: SlackDeps) {
  return async ({ ack, body, view, client }: SlackViewMiddlewareArgs<ViewSubmitAction> & AllMiddlewareArgs): Promise<void> => {
    const values = view.state.values as StateValues;
    const v = (block: string) => values[block]?.[INPUT_ACTION];
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
    const holidayChoice = v(B.holidays)?.selected_option?.value ?? "none";
    const holidays = (HOLIDAY_RULES as readonly string[]).includes(holidayChoice) ? (holidayChoice as HolidayRule) : undefined;
    if (!holidays) errors[B.holidays] = "Pick one of the holiday choices.";
    if (Object.keys(errors).length > 0 || weekday === undefined || time === undefined || timeZone === undefined || !holidays || !channel) {
      await ack({ response_action: "errors", errors });
      return;
    }
    let acked = false;
    try {
      const { value: schedule } = await withinAckBudget(
        deps.services.briefs.createSchedule({ weekday, time, timeZone, channel, holidays }, { owner: body.user.id }),
        async () => {
          acked = true;
          await ack({ response_action: "update", view: noticeView("Scheduling…", "Creating the schedule…") });
        },
        deps.ackBudgetMs,
      );
      const done = noticeView(
        `Schedule #${schedule.id}`,
        scheduleChangedMessage("Created", schedule)
          .blocks.map((b) => (b.type === "section" && b.text ? b.text.text : ""))
          .join("\n"),
      );
      if (acked) await client.views.update({ view_id: view.id, view: done });
      else await ack({ response_action: "update", view: done });
    } catch (error) {
      if (!(error instanceof ScheduleError) || acked) throw error;
      await ack({ response_action: "errors", errors: { [error.field === "channel" ? B.channel : B.timeZone]: error.message } });
    }
  };
}
