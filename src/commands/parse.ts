import { isIsoDate, type IsoDate } from "../facts/dates.js";

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
    usage: "/korus status [public] [as-of YYYY-MM-DD]",
    description:
      "The agreement's current phase, the next deadline with days left, the latest developments, each side's position and the sources. Only you see it unless you add `public`.",
    example: "/korus status as-of 2017-07-20",
  },
  {
    usage: "/korus help",
    description: "This list.",
    example: "/korus help",
  },
];

/** What a `/korus` text asks for. */
export type ParsedCommand =
  | { name: "status"; public: boolean; asOf?: IsoDate }
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
    default:
      return { name: "invalid", message: `I don't know the command \`${verb.slice(0, 50)}\`.` };
  }
}

function parseStatus(args: string[]): ParsedCommand {
  let isPublic = false;
  let asOf: IsoDate | undefined;
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
    } else {
      return { name: "invalid", message: `\`status\` does not take \`${args[i]!.slice(0, 40)}\`.`, usage: STATUS_USAGE };
    }
  }
  return { name: "status", public: isPublic, ...(asOf ? { asOf } : {}) };
}

/** The help text as Markdown (the console); Slack builds blocks from COMMANDS instead. */
export function helpMarkdown(): string {
  const lines = ["**korus-bot commands**", ""];
  for (const c of COMMANDS) lines.push(`- \`${c.usage}\`: ${c.description} Example: \`${c.example}\``);
  return `${lines.join("\n")}\n`;
}
