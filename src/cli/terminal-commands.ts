/**
 * The `korus` command's own commands, declared here beside the registry's (src/commands/registry.ts): the ones only a
 * terminal has (files in and out, database chores, the manifest, the scheduler's run-once...), and the registry
 * commands whose terminal version adds flags (`facts search --limit`, `brief --format html -o FILE`). Each names the
 * group module that defines it with commander (facts.ts, memos.ts...), so that `korus` loads only that group; `korus
 * help` lists the terminal-only ones from this table. A test checks that this table and the groups agree.
 *
 * A module of its own, importing nothing heavy, so that the `korus` command can route a word before it loads a group.
 */
import { groupWord } from "../commands/words.js";

/** The modules that define `korus` commands with commander. */
export type GroupName = "facts" | "memos" | "figures" | "briefs" | "deadlines" | "manifest" | "feeds" | "core";

/** One `korus` command of the terminal's own. */
export interface TerminalCommand {
  /** Its words, as the registry spells the group's word. */
  path: readonly string[];
  group: GroupName;
  /** One line for `korus help`; absent for the terminal's version of a registry command (the registry's line is its). */
  summary?: string;
}

/** Every command the groups define: the terminal-only ones with their line, then the registry commands they extend. */
export const TERMINAL_COMMANDS: readonly TerminalCommand[] = [
  { path: ["fact", "import"], group: "facts", summary: "import facts from a JSON Lines file (all or nothing; --dry-run, --strict)" },
  { path: ["fact", "export"], group: "facts", summary: "every fact as JSON Lines (re-importable) or Markdown, to a file with -o" },
  { path: ["memo", "diff"], group: "memos", summary: "what changed between two assemblies of a memo" },
  { path: ["templates", "check"], group: "memos", summary: "load every template as the bot does and report problems with file and line" },
  { path: ["schedule", "weekly"], group: "briefs" },
  { path: ["scheduler", "run-once"], group: "briefs", summary: "do what is due now (or at --now): post briefs and alerts, poll feeds, then exit" },
  { path: ["deadlines", "export"], group: "deadlines", summary: "the deadlines as an iCalendar file" },
  { path: ["calendar", "rotate"], group: "deadlines", summary: "a new secret address for the bot's calendar feed (the old one stops working)" },
  { path: ["topic", "set"], group: "deadlines", summary: "name a topic and say when its agreement entered into force" },
  { path: ["sources", "list"], group: "feeds" },
  { path: ["sources", "check"], group: "feeds", summary: "ask every cited page whether it is still there (dead links)" },
  { path: ["sources", "archive"], group: "feeds", summary: "fetch the queued cited pages now and keep their readable text" },
  { path: ["manifest"], group: "manifest", summary: "print the Slack app manifest to paste at api.slack.com/apps (--host, --socket-mode)" },
  { path: ["db", "migrate"], group: "core", summary: "apply pending database migrations" },
  { path: ["db", "seed"], group: "core", summary: "store the facts of the source article (stored facts are left as they are)" },
  // The registry's commands that a group defines with flags of the terminal (files, formats, limits, the options of
  // older versions): the registry's words work on them too (src/cli/registry-commands.ts).
  { path: ["status"], group: "core" },
  { path: ["fact", "search"], group: "facts" },
  { path: ["fact", "add"], group: "facts" },
  { path: ["fact", "edit"], group: "facts" },
  { path: ["fact", "close"], group: "facts" },
  { path: ["fact", "history"], group: "facts" },
  { path: ["fact", "retract"], group: "facts" },
  { path: ["memo", "new"], group: "memos" },
  { path: ["memo", "write"], group: "memos" },
  { path: ["memo", "assemble"], group: "memos" },
  { path: ["memo", "export"], group: "memos" },
  { path: ["memo", "history"], group: "memos" },
  { path: ["memo", "list"], group: "memos" },
  { path: ["memo", "show"], group: "memos" },
  { path: ["figures"], group: "figures" },
  { path: ["chart"], group: "figures" },
  { path: ["ask"], group: "figures" },
  { path: ["brief"], group: "briefs" },
  { path: ["schedule", "list"], group: "briefs" },
  { path: ["schedule", "pause"], group: "briefs" },
  { path: ["schedule", "resume"], group: "briefs" },
  { path: ["schedule", "delete"], group: "briefs" },
  { path: ["alerts", "on"], group: "deadlines" },
  { path: ["alerts", "off"], group: "deadlines" },
  { path: ["alerts", "list"], group: "deadlines" },
  { path: ["topics"], group: "deadlines" },
  { path: ["timeline"], group: "deadlines" },
  { path: ["feeds", "add"], group: "feeds" },
  { path: ["feeds", "list"], group: "feeds" },
  { path: ["feeds", "remove"], group: "feeds" },
  { path: ["feeds", "poll"], group: "feeds" },
  { path: ["candidates", "list"], group: "feeds" },
  { path: ["candidates", "show"], group: "feeds" },
  { path: ["candidates", "accept"], group: "feeds" },
  { path: ["candidates", "dismiss"], group: "feeds" },
  { path: ["sources", "show"], group: "feeds" },
];

/** The group whose module defines commands starting with `word` (either word of a group), if any. */
export function groupOf(word: string): GroupName | undefined {
  const canonical = groupWord(word);
  return TERMINAL_COMMANDS.find((c) => c.path[0] === canonical)?.group;
}

/** The first words of the terminal's own commands, for "did you mean". */
export const TERMINAL_FIRST_WORDS: readonly string[] = [...new Set(TERMINAL_COMMANDS.map((c) => c.path[0]!))];
