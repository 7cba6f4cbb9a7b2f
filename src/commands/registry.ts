/**
 * Every `/korus` subcommand, declared once: its words, its arguments (zod), its help line and how Slack acknowledges
 * it. Slack's dispatcher (src/slack/listeners/commands.ts), the local console (src/cli/text-commands.ts), the `korus`
 * command (src/cli/korus.ts) and every help text are built from this table; each adapter supplies a handler per
 * command through a mapped type over it, so a command without a handler does not compile.
 *
 * Adding a subcommand: one entry here (or in the table of its group), one handler in each adapter that offers it.
 */
import type { z } from "zod";
import { BRIEF_COMMANDS, readTopicAndDate } from "./brief-commands.js";
import { DEADLINE_COMMANDS } from "./deadline-commands.js";
import { FACT_COMMANDS } from "./fact-commands.js";
import { FEED_COMMANDS } from "./feed-commands.js";
import { FIGURE_COMMANDS } from "./figure-commands.js";
import { MEMO_COMMANDS } from "./memo-commands.js";
import { type CommandSpec, grammar, rawArgs, type Surface } from "./spec.js";

const STATUS_USAGE = "/korus status [topic] [public] [as-of YYYY-MM-DD]";

/** The one table, in the order help lists it. */
export const REGISTRY = {
  status: {
    path: ["status"],
    usage: STATUS_USAGE,
    help: {
      usage: STATUS_USAGE,
      description:
        "The agreement's current phase, the next deadline with days left, the latest developments, each side's position and the sources. Only you see it unless you add `public`. A topic (`/korus topics` lists them) gives that agreement's status; the default is `korus`.",
      example: "/korus status as-of 2017-07-20",
    },
    ack: "budget",
    args: grammar((input) => {
      const isPublic = input.words.some((w) => w.toLowerCase() === "public");
      const rest = input.words.filter((w) => w.toLowerCase() !== "public");
      return { public: isPublic, ...readTopicAndDate(rest, "status", "2017-07-20", STATUS_USAGE) };
    }),
  },
  ...FACT_COMMANDS,
  ...MEMO_COMMANDS,
  ...BRIEF_COMMANDS,
  ...FIGURE_COMMANDS,
  ...DEADLINE_COMMANDS,
  ...FEED_COMMANDS,
  sources: {
    path: ["sources"],
    summary: "cited pages and their archived copies",
    usage: "sources [--dead] · sources show ID",
    ack: "queued",
    args: rawArgs,
    surfaces: ["console"],
    elsewhere: "In Slack, a fact's sources are shown with it (`/korus fact show ID`).",
  },
  help: {
    path: ["help"],
    also: [["-h"], ["--help"], ["commands"]],
    usage: "/korus help",
    help: { usage: "/korus help", description: "This list.", example: "/korus help" },
    ack: "inline",
    args: grammar(() => ({})),
  },
} as const satisfies Record<string, CommandSpec>;

/** A command's name: its key in the registry. */
export type CommandName = keyof typeof REGISTRY;

/** What a command asks for once its arguments are read. */
export type CommandOf<K extends CommandName> = { name: K } & z.output<(typeof REGISTRY)[K]["args"]>;

/** The names of the commands that can be typed on a surface. */
export type CommandNameOn<S extends Surface> = {
  [K in CommandName]: (typeof REGISTRY)[K] extends { surfaces: readonly Surface[] } ? (S extends (typeof REGISTRY)[K]["surfaces"][number] ? K : never) : K;
}[CommandName];

/** The commands that the console and `korus` answer with a form of flags (or questions), where Slack has a form. */
export type ConsoleFormName = { [K in CommandName]: (typeof REGISTRY)[K] extends { console: object } ? K : never }[CommandName];

/** Text the bot cannot act on: `message` says why (and what was likely meant), `usage` how to write it. */
export interface InvalidCommand {
  name: "invalid";
  message: string;
  usage?: string;
}

/** What a `/korus` text asks for. */
export type ParsedCommand = { [K in CommandName]: CommandOf<K> }[CommandName] | InvalidCommand;

/** The declarations as a list, each with its name. */
export const COMMAND_SPECS: readonly (CommandSpec & { name: CommandName })[] = Object.entries(REGISTRY).map(([name, spec]) => ({ ...(spec as CommandSpec), name: name as CommandName }));

/** Whether a command can be typed on `surface`. */
export function offeredOn(spec: CommandSpec, surface: Surface): boolean {
  return spec.surfaces === undefined || spec.surfaces.includes(surface);
}
