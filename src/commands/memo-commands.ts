/**
 * `/korus memo ...` (or `memos`): their declarations for the registry (src/commands/registry.ts). Writing a section
 * and exporting a memo are buttons in Slack and commands in the console and the `korus` command.
 */
import { ArgsRefusal, type CommandSpec, grammar, noArgs, numberArg, rawArgs, recordNumber } from "./spec.js";

const MEMO_USAGE = "/korus memo new [template] · /korus memo list|show ID|assemble ID|history ID SECTION";

/** The memo commands, in the order help lists them. */
export const MEMO_COMMANDS = {
  "memo-new": {
    path: ["memo", "new"],
    usage: MEMO_USAGE,
    help: {
      usage: "/korus memo new [template]",
      description:
        "Start a briefing memo from a template: title, memo date (as of), due time, channel and an owner for each section. Owners get a DM with a Write button; the channel gets a tracking message.",
      example: "/korus memo new special-session-prep",
    },
    console: { usage: "memo new [template] --title T [--as-of YYYY-MM-DD] [--due YYYY-MM-DD] [--due-time HH:MM] [--owner section=user]" },
    ack: "form",
    args: grammar((input): { template?: string } => {
      if (input.words.length > 1) throw new ArgsRefusal("`memo new` takes at most a template id.");
      return input.words[0] ? { template: input.words[0] } : {};
    }),
  },
  "memo-list": {
    path: ["memo", "list"],
    also: [["memo", "ls"]],
    usage: MEMO_USAGE,
    help: {
      usage: "/korus memo list|show ID|assemble ID|history ID SECTION",
      description:
        "Memos in progress; one memo's sections; assemble it into one Markdown memo in its thread (with buttons for a Word file, a canvas and the changes since the last version); a section's revisions.",
      example: "/korus memo history 1 purpose",
    },
    ack: "queued",
    args: noArgs("`memo list` takes nothing more."),
    groupDefault: true,
  },
  "memo-show": { path: ["memo", "show"], summary: "one memo's sections and their state", usage: MEMO_USAGE, ack: "queued", args: numberArg("`memo show` needs a memo number, like `memo show 3`.") },
  "memo-assemble": {
    path: ["memo", "assemble"],
    summary: "assemble a memo into one Markdown memo",
    usage: MEMO_USAGE,
    ack: "queued",
    args: numberArg("`memo assemble` needs a memo number, like `memo assemble 3`."),
  },
  "memo-history": {
    path: ["memo", "history"],
    summary: "a section's revisions",
    usage: MEMO_USAGE,
    ack: "queued",
    args: grammar((input) => {
      const id = recordNumber.safeParse(input.words[0] ?? "");
      const section = input.words[1];
      if (!id.success || !section || input.words.length > 2) throw new ArgsRefusal("`memo history` needs a memo number and a section key, like `memo history 3 purpose`.");
      return { id: id.data, section };
    }),
  },
  "memo-write": {
    path: ["memo", "write"],
    summary: "write a memo section's text",
    usage: 'memo write ID SECTION [--text "..." | --file FILE]',
    console: { usage: 'memo write ID SECTION [--text "..." | --file FILE]', note: "a section's text (typed: end with a line holding only a dot)" },
    ack: "queued",
    args: rawArgs,
    surfaces: ["console"],
    elsewhere: "In Slack, the Write button in the section owner's DM opens the section.",
  },
  "memo-export": {
    path: ["memo", "export"],
    summary: "a memo as a Markdown, HTML or Word file",
    usage: "memo export ID [--format md|html|docx] [--out FILE [--force]] [--as-of YYYY-MM-DD]",
    console: {
      usage: "memo export ID [--format md|html|docx] [--out FILE [--force]] [--as-of YYYY-MM-DD]",
      note: "the memo as a file (the Export .docx button in Slack; an existing FILE is replaced only with --force)",
    },
    ack: "queued",
    args: rawArgs,
    surfaces: ["console"],
    elsewhere: "In Slack, the Export .docx button under an assembled memo does it.",
  },
} as const satisfies Record<string, CommandSpec>;
