/**
 * `/korus brief` and `/korus schedule ...`: their declarations for the registry (src/commands/registry.ts).
 */
import { isIsoDate, type IsoDate } from "../facts/dates.js";
import { parseScheduleArgs, SCHEDULE_WEEKLY_USAGE, type ScheduleSpec, ScheduleSpecError } from "../briefs/schedule-spec.js";
import { ArgsRefusal, type CommandSpec, grammar, noArgs, numberArg } from "./spec.js";

/** What a brief command asks for. */
export type BriefCommand =
  | { name: "brief"; asOf?: IsoDate; topic?: string }
  | { name: "schedule-create"; spec: ScheduleSpec }
  | { name: "schedule-list" }
  /** The new-schedule form (in Slack a modal; in the console asked field by field, or read from flags). */
  | { name: "schedule-new" }
  | { name: "schedule-pause" | "schedule-resume" | "schedule-delete"; id: number };

const BRIEF_USAGE = "/korus brief [topic] [as-of YYYY-MM-DD]";
const SCHEDULE_USAGE = "/korus schedule new|list|pause ID|resume ID|delete ID";

/** `[topic] [as-of YYYY-MM-DD]`, the words of `status` and `brief`; `example` is a date for the messages. */
export function readTopicAndDate(args: readonly string[], command: string, example: string, usage: string): { asOf?: IsoDate; topic?: string } {
  let asOf: IsoDate | undefined;
  let topic: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!.toLowerCase();
    if (arg === "as-of" || arg === "--as-of" || arg.startsWith("as-of=") || arg.startsWith("--as-of=")) {
      const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[++i];
      if (!value) throw new ArgsRefusal(`\`as-of\` needs a date, like \`as-of ${example}\`.`, usage);
      if (!isIsoDate(value)) throw new ArgsRefusal(`\`${value.slice(0, 40)}\` is not a date: write it as YYYY-MM-DD, like ${example}.`, usage);
      asOf = value;
    } else if (topic === undefined && /^(topic[:=])?[a-z0-9][a-z0-9-]{0,39}$/.test(arg)) {
      topic = arg.replace(/^topic[:=]/, "");
    } else {
      throw new ArgsRefusal(`\`${command}\` does not take \`${args[i]!.slice(0, 40)}\`.`, usage);
    }
  }
  return { ...(asOf ? { asOf } : {}), ...(topic && topic !== "korus" ? { topic } : {}) };
}

function scheduleNumber(verb: string) {
  return numberArg(`\`schedule ${verb}\` needs a schedule number, like \`schedule ${verb} 2\` (\`schedule list\` shows them).`);
}

/** The brief commands, in the order help lists them. */
export const BRIEF_COMMANDS = {
  brief: {
    path: ["brief"],
    usage: BRIEF_USAGE,
    help: {
      usage: BRIEF_USAGE,
      description: "Preview the weekly brief (only you see it): the fact changes of the last 7 days, deadlines in the next 14 days and overdue ones, memos in progress, and a one-line headline.",
      example: "/korus brief as-of 2017-08-15",
    },
    ack: "queued",
    args: grammar((input) => readTopicAndDate(input.words, "brief", "2017-08-15", BRIEF_USAGE)),
  },
  "schedule-create": {
    path: ["schedule", "weekly"],
    usage: SCHEDULE_WEEKLY_USAGE,
    help: {
      usage: SCHEDULE_WEEKLY_USAGE,
      description:
        "Post the brief every week at that local time (daylight saving included): a headline in the channel (this one unless you name one), the full brief in its thread. With holidays:us, kr or both, a public holiday moves it to the next working day.",
      example: "/korus schedule weekly monday 09:00 America/New_York holidays:both",
    },
    ack: "queued",
    args: grammar((input) => {
      try {
        return { spec: parseScheduleArgs(input.words) };
      } catch (error) {
        if (error instanceof ScheduleSpecError) throw new ArgsRefusal(`${error.field.charAt(0).toUpperCase()}${error.field.slice(1)}: ${error.message}`);
        throw error;
      }
    }),
  },
  "schedule-new": {
    path: ["schedule", "new"],
    summary: "a new weekly brief schedule, field by field or from flags",
    usage: SCHEDULE_USAGE,
    help: {
      usage: SCHEDULE_USAGE,
      description: "A form for a new schedule; the schedules with their next run and their last post or problem; pause, resume or delete one (its owner or an admin).",
      example: "/korus schedule list",
    },
    console: { usage: "schedule new --weekday monday --time 09:00 --time-zone Zone --channel C0123ABCD [--holidays none|us|kr|both]" },
    ack: "form",
    args: noArgs("`schedule new` takes nothing more: it opens a form."),
    groupDefault: true,
  },
  "schedule-list": {
    path: ["schedule", "list"],
    summary: "the schedules with their next run and last post or problem",
    also: [["schedule", "ls"]],
    usage: SCHEDULE_USAGE,
    ack: "queued",
    args: noArgs("`schedule list` takes nothing more."),
  },
  "schedule-pause": { path: ["schedule", "pause"], summary: "pause a schedule", usage: SCHEDULE_USAGE, ack: "queued", args: scheduleNumber("pause") },
  "schedule-resume": { path: ["schedule", "resume"], summary: "resume a schedule", usage: SCHEDULE_USAGE, ack: "queued", args: scheduleNumber("resume") },
  "schedule-delete": { path: ["schedule", "delete"], summary: "delete a schedule", usage: SCHEDULE_USAGE, ack: "queued", args: scheduleNumber("delete") },
} as const satisfies Record<string, CommandSpec>;
