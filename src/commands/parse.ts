import { isIsoDate, type IsoDate } from "../facts/dates.js";
import { BRIEF_COMMANDS, type BriefCommand, parseBriefCommand, parseScheduleCommand } from "./brief-commands.js";
import { FIGURE_COMMANDS, type FigureCommand, parseAskCommand, parseChartCommand, parseFiguresCommand } from "./figure-commands.js";
import { DEADLINE_COMMANDS, type DeadlineCommand, parseAlertsCommand, parseTimelineCommand, parseTopicsCommand } from "./deadline-commands.js";

/** Longest `/korus` text the bot reads; Slack allows more, but no command of ours needs it. */
export const MAX_COMMAND_TEXT = 1000;

/** One command the bot knows, for help text. */
export interface CommandHelp {
  usage: string;
  description: string;
  example: string;
}

/** Every command, in the order help lists them. One source for Slack, the console and the README. */
export const COMMANDS: readonly CommandHelp[] = [
  {
    usage: "/korus status [topic] [public] [as-of YYYY-MM-DD]",
    description:
      "The agreement's current phase, the next deadline with days left, the latest developments, each side's position and the sources. Only you see it unless you add `public`. A topic (`/korus topics` lists them) gives that agreement's status; the default is `korus`.",
    example: "/korus status as-of 2017-07-20",
  },
  {
    usage: "/korus facts [words] [kind:K] [since:YYYY-MM-DD] [until:YYYY-MM-DD] [actor:A] [topic:T]",
    description:
      "Search the facts: words are ranked, then newest first; 10 at a time. Each result has a menu to edit, retract or show its history.",
    example: "/korus facts special session kind:deadline since:2017-07-01",
  },
  {
    usage: "/korus fact add",
    description: "Add a dated, cited fact in a form. A deadline can be a date or N days after another fact.",
    example: "/korus fact add",
  },
  {
    usage: "/korus fact show|edit|retract|history ID",
    description: "One fact by its number: show it, edit or retract it (its author or an admin), or list every change to it.",
    example: "/korus fact history 1",
  },
  {
    usage: "/korus fact close ID",
    description:
      "Mark a deadline met, missed, extended or withdrawn, by a fact on record (the session that was held) or a new one, in a form. Status, briefs, alerts and the calendar then count it closed from the day that fact became known.",
    example: "/korus fact close 2",
  },
  {
    usage: "/korus memo new [template]",
    description:
      "Start a briefing memo from a template: title, memo date (as of), due time, channel and an owner for each section. Owners get a DM with a Write button; the channel gets a tracking message.",
    example: "/korus memo new special-session-prep",
  },
  {
    usage: "/korus memo list|show ID|assemble ID|history ID SECTION",
    description: "Memos in progress; one memo's sections; assemble it into one Markdown memo in its thread (with buttons for a Word file, a canvas and the changes since the last version); a section's revisions.",
    example: "/korus memo history 1 purpose",
  },
  ...BRIEF_COMMANDS,
  ...FIGURE_COMMANDS,
  ...DEADLINE_COMMANDS,
  {
    usage: "/korus help",
    description: "This list.",
    example: "/korus help",
  },
];

/** What a `/korus` text asks for. */
export type ParsedCommand =
  | { name: "status"; public: boolean; asOf?: IsoDate; topic?: string }
  /** A fact search; `query` is the raw text after `facts`, for parseFactQuery. */
  | { name: "facts"; query: string }
  | { name: "fact-add" }
  | { name: "fact-show" | "fact-edit" | "fact-retract" | "fact-history" | "fact-close"; id: number }
  | { name: "memo-new"; template?: string }
  | { name: "memo-list" }
  | { name: "memo-show" | "memo-assemble"; id: number }
  | { name: "memo-history"; id: number; section: string }
  | BriefCommand
  | FigureCommand
  | DeadlineCommand
  | { name: "help" }
  /** Text the bot cannot act on: `message` says why, `usage` how to write it. */
  | { name: "invalid"; message: string; usage?: string };

const STATUS_USAGE = COMMANDS[0]!.usage;

/** Parses the text after `/korus` (or a console line without the `/korus`). */
export function parseCommand(text: string): ParsedCommand {
  if (text.length > MAX_COMMAND_TEXT) {
    return { name: "invalid", message: `That command is ${text.length} characters long; the most /korus reads is ${MAX_COMMAND_TEXT}.` };
  }
  const words = text.trim().split(/\s+/).filter(Boolean);
  const [verb = "", ...args] = words;
  switch (verb.toLowerCase()) {
    case "":
    case "help":
    case "-h":
    case "--help":
      return { name: "help" };
    case "status":
      return parseStatus(args);
    case "facts":
    case "search":
      return { name: "facts", query: text.trim().replace(/^\S+\s*/, "") };
    case "fact":
      return parseFact(args);
    case "memo":
    case "memos":
      return parseMemo(args);
    case "brief":
      return parseBriefCommand(args);
    case "schedule":
    case "schedules":
      return parseScheduleCommand(args);
    case "figures":
    case "figure":
      return parseFiguresCommand(args);
    case "chart":
      return parseChartCommand(args);
    case "ask":
      return parseAskCommand(text.trim().replace(/^\S+\s*/, ""));
    case "alerts":
    case "alert":
      return parseAlertsCommand(args);
    case "topics":
      return parseTopicsCommand(args);
    case "timeline":
      return parseTimelineCommand(args);
    default:
      return { name: "invalid", message: `I don't know the command \`${verb.slice(0, 50)}\`.` };
  }
}

const FACT_USAGE = COMMANDS[3]!.usage;

function parseFact(args: string[]): ParsedCommand {
  const [sub = "", id, ...rest] = args;
  const verb = sub.toLowerCase();
  if (verb === "add" || verb === "new") {
    return id === undefined ? { name: "fact-add" } : { name: "invalid", message: "`fact add` takes nothing more: it opens a form.", usage: COMMANDS[2]!.usage };
  }
  if (["show", "edit", "retract", "history", "close"].includes(verb)) {
    const n = id?.replace(/^#/, "");
    if (!n || !/^\d{1,9}$/.test(n) || rest.length > 0) {
      return { name: "invalid", message: `\`fact ${verb}\` needs a fact number, like \`fact ${verb} 12\`.`, usage: FACT_USAGE };
    }
    return { name: `fact-${verb}` as "fact-show", id: Number(n) };
  }
  return {
    name: "invalid",
    message: sub ? `\`fact ${sub.slice(0, 40)}\` is not a fact command.` : "`fact` needs a command: add, show, edit, retract, history or close.",
    usage: `${COMMANDS[2]!.usage} · ${FACT_USAGE} · ${COMMANDS[4]!.usage}`,
  };
}

const MEMO_USAGE = "/korus memo new [template] · /korus memo list|show ID|assemble ID|history ID SECTION";

function parseMemo(args: string[]): ParsedCommand {
  const [sub = "list", id, section, ...rest] = args;
  const verb = sub.toLowerCase();
  const number = id?.replace(/^#/, "");
  const validId = number !== undefined && /^\d{1,9}$/.test(number);
  switch (verb) {
    case "new":
      if (section !== undefined) return { name: "invalid", message: "`memo new` takes at most a template id.", usage: MEMO_USAGE };
      return id ? { name: "memo-new", template: id } : { name: "memo-new" };
    case "list":
      return { name: "memo-list" };
    case "show":
    case "assemble":
      if (!validId || section !== undefined) return { name: "invalid", message: `\`memo ${verb}\` needs a memo number, like \`memo ${verb} 3\`.`, usage: MEMO_USAGE };
      return { name: `memo-${verb}` as "memo-show", id: Number(number) };
    case "history":
      if (!validId || !section || rest.length > 0) return { name: "invalid", message: "`memo history` needs a memo number and a section key, like `memo history 3 purpose`.", usage: MEMO_USAGE };
      return { name: "memo-history", id: Number(number), section };
    default:
      return { name: "invalid", message: `\`memo ${sub.slice(0, 40)}\` is not a memo command.`, usage: MEMO_USAGE };
  }
}

function parseStatus(args: string[]): ParsedCommand {
  let isPublic = false;
  let asOf: IsoDate | undefined;
  let topic: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!.toLowerCase();
    if (arg === "public") {
      isPublic = true;
    } else if (arg === "as-of" || arg === "--as-of" || arg.startsWith("as-of=") || arg.startsWith("--as-of=")) {
      const value = arg.includes("=") ? arg.slice(arg.indexOf("=") + 1) : args[++i];
      if (!value) return { name: "invalid", message: "`as-of` needs a date, like `as-of 2017-07-20`.", usage: STATUS_USAGE };
      if (!isIsoDate(value)) {
        return { name: "invalid", message: `\`${value.slice(0, 40)}\` is not a date: write it as YYYY-MM-DD, like 2017-07-20.`, usage: STATUS_USAGE };
      }
      asOf = value;
    } else if (topic === undefined && /^(topic[:=])?[a-z0-9][a-z0-9-]{0,39}$/.test(arg)) {
      topic = arg.replace(/^topic[:=]/, "");
    } else {
      return { name: "invalid", message: `\`status\` does not take \`${args[i]!.slice(0, 40)}\`.`, usage: STATUS_USAGE };
    }
  }
  return { name: "status", public: isPublic, ...(asOf ? { asOf } : {}), ...(topic && topic !== "korus" ? { topic } : {}) };
}

/** The one thing only Slack can do: it acts on a Slack message. Both helps end with it. */
export const SLACK_ONLY_HELP =
  "In Slack only: the message shortcut Save as KORUS fact (a message's More actions menu) opens the new-fact form filled in from that message: its text, its link and the links in it as sources, its day.";

/** The help text as Markdown (the console); Slack builds blocks from COMMANDS instead. */
export function helpMarkdown(): string {
  const lines = ["**korus-bot commands**", ""];
  for (const c of COMMANDS) lines.push(`- \`${c.usage}\`: ${c.description} Example: \`${c.example}\``);
  lines.push("", SLACK_ONLY_HELP);
  return `${lines.join("\n")}\n`;
}
