import type { RespondFn } from "@slack/bolt";
import { BriefError, previewBrief } from "../../briefs/brief.js";
import { createSchedule, deleteSchedule, listSchedules, pauseSchedule, resumeSchedule, ScheduleError } from "../../briefs/schedules.js";
import type { BriefCommand } from "../../commands/brief-commands.js";
import type { SlackDeps } from "../app.js";
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
