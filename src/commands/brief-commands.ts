/**
 * `/korus brief` and `/korus schedule ...`: their help entries and their parsing, for parse.ts.
 */
import { isIsoDate, type IsoDate } from "../facts/dates.js";
import { parseScheduleArgs, SCHEDULE_WEEKLY_USAGE, type ScheduleSpec, ScheduleSpecError } from "../briefs/schedule-spec.js";

/** The help entries of the brief commands, in the order help lists them. */
export const BRIEF_COMMANDS = [
  {
    usage: "/korus brief [topic] [as-of YYYY-MM-DD]",
    description:
      "Preview the weekly brief (only you see it): the fact changes of the last 7 days, deadlines in the next 14 days and overdue ones, memos in progress, and a one-line headline.",
    example: "/korus brief as-of 2017-08-15",
  },
  {
    usage: SCHEDULE_WEEKLY_USAGE,
    description:
      "Post the brief every week at that local time (daylight saving included): a headline in the channel (this one unless you name one), the full brief in its thread. With holidays:us, kr or both, a public holiday moves it to the next working day.",
    example: "/korus schedule weekly monday 09:00 America/New_York holidays:both",
  },
  {
    usage: "/korus schedule new|list|pause ID|resume ID|delete ID",
    description: "A form for a new schedule; the schedules with their next run and their last post or problem; pause, resume or delete one (its owner or an admin).",
    example: "/korus schedule list",
  },
] as const;

/** What a brief command asks for. */
export type BriefCommand =
  | { name: "brief"; asOf?: IsoDate; topic?: string }
  | { name: "schedule-create"; spec: ScheduleSpec }
  | { name: "schedule-list" }
  /** The new-schedule form (in Slack a modal; in the console asked field by field, or read from flags). */
  | { name: "schedule-new" }
  | { name: "schedule-pause" | "schedule-resume" | "schedule-delete"; id: number };

type Invalid = { name: "invalid"; message: string; usage?: string };

const BRIEF_USAGE = BRIEF_COMMANDS[0].usage;
const SCHEDULE_USAGE = `${BRIEF_COMMANDS[1].usage} · ${BRIEF_COMMANDS[2].usage}`;

/** The words after `brief`. */
export function parseBriefCommand(args: readonly string[]): BriefCommand | Invalid {
  let asOf: IsoDate | undefined;
  let topic: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!.toLowerCase();
    if (arg === "as-of" || arg === "--as-of" || arg.startsWith("as-of=") || arg.startsWith("--as-of=")) {
      const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[++i];
      if (!value) return { name: "invalid", message: "`as-of` needs a date, like `as-of 2017-08-15`.", usage: BRIEF_USAGE };
      if (!isIsoDate(value)) {
        return { name: "invalid", message: `\`${value.slice(0, 40)}\` is not a date: write it as YYYY-MM-DD, like 2017-08-15.`, usage: BRIEF_USAGE };
      }
      asOf = value;
    } else if (topic === undefined && /^(topic[:=])?[a-z0-9][a-z0-9-]{0,39}$/.test(arg)) {
      topic = arg.replace(/^topic[:=]/, "");
    } else {
      return { name: "invalid", message: `\`brief\` does not take \`${args[i]!.slice(0, 40)}\`.`, usage: BRIEF_USAGE };
    }
  }
  return { name: "brief", ...(asOf ? { asOf } : {}), ...(topic && topic !== "korus" ? { topic } : {}) };
}

/** The words after `schedule`. */
export function parseScheduleCommand(args: readonly string[]): BriefCommand | Invalid {
  const [sub = "", ...rest] = args;
  const verb = sub.toLowerCase();
  switch (verb) {
    case "weekly":
      try {
        return { name: "schedule-create", spec: parseScheduleArgs(rest) };
      } catch (error) {
        if (error instanceof ScheduleSpecError) return { name: "invalid", message: `${capitalize(error.field)}: ${error.message}`, usage: BRIEF_COMMANDS[1].usage };
        throw error;
      }
    case "":
    case "new":
      return rest.length === 0 ? { name: "schedule-new" } : { name: "invalid", message: "`schedule new` takes nothing more: it opens a form.", usage: SCHEDULE_USAGE };
    case "list":
    case "ls":
      return rest.length === 0 ? { name: "schedule-list" } : { name: "invalid", message: "`schedule list` takes nothing more.", usage: SCHEDULE_USAGE };
    case "pause":
    case "resume":
    case "delete": {
      const n = rest[0]?.replace(/^#/, "");
      if (!n || !/^\d{1,9}$/.test(n) || rest.length > 1) {
        return { name: "invalid", message: `\`schedule ${verb}\` needs a schedule number, like \`schedule ${verb} 2\` (\`schedule list\` shows them).`, usage: SCHEDULE_USAGE };
      }
      return { name: `schedule-${verb}`, id: Number(n) };
    }
    default:
      return {
        name: "invalid",
        message: sub ? `\`schedule ${sub.slice(0, 40)}\` is not a schedule command.` : "`schedule` needs a command: weekly, list, pause, resume or delete.",
        usage: SCHEDULE_USAGE,
      };
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
