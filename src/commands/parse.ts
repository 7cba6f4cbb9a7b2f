/**
 * Reading a `/korus` text with the registry (src/commands/registry.ts): which command it names (either word of a
 * group, `fact` or `facts`, `memo` or `memos`...), "did you mean" for a near miss, then its arguments by the command's
 * schema. Help text is built here from the same table.
 */
import { type CommandName, COMMAND_SPECS, type InvalidCommand, offeredOn, type ParsedCommand } from "./registry.js";
import type { CommandHelp, CommandSpec, Surface } from "./spec.js";
import { nearest } from "./suggest.js";
import { GROUP_WORDS, groupWord } from "./words.js";
import { count } from "../render/count.js";

export type { CommandHelp } from "./spec.js";
export type { ParsedCommand } from "./registry.js";

/** Longest `/korus` text the bot reads; Slack allows more, but no command of ours needs it. */
export const MAX_COMMAND_TEXT = 1000;

type Spec = CommandSpec & { name: CommandName };

/** Every way of typing each command: its path and its other paths, the group word as the registry spells it. */
const PATHS: readonly { words: readonly string[]; spec: Spec }[] = COMMAND_SPECS.flatMap((spec) =>
  [spec.path, ...(spec.also ?? [])].map((words) => ({ words: [groupWord(words[0]!), ...words.slice(1)], spec })),
);

/** The words that can start a command, likelier first, for "did you mean". */
export const FIRST_WORDS: readonly string[] = [...new Set([...PATHS.map((p) => p.words[0]!), ...Object.keys(GROUP_WORDS)])];

/** A command found in a text, with the text after its words. */
export interface ResolvedCommand {
  spec: Spec;
  /** What follows the command's words, as typed. */
  rest: string;
}

const quote = (text: string, max = 50) => `\`${text.slice(0, max)}\``;

/** The commands of a group (`fact add`, `fact show`...), in the order declared. */
function verbsOf(group: string): Spec[] {
  return COMMAND_SPECS.filter((s) => s.path.length === 2 && s.path[0] === group);
}

/** Every word that can follow a group's word (`new` for `add` too), for "did you mean". */
function verbWordsOf(group: string): string[] {
  return PATHS.filter((p) => p.words.length === 2 && p.words[0] === group).map((p) => p.words[1]!);
}

/** The usage lines of a group, for a verb it does not have. */
function groupUsage(group: string): string {
  return [
    ...new Set(
      verbsOf(group)
        .filter((s) => offeredOn(s, "slack"))
        .map((s) => s.usage),
    ),
  ].join(" · ");
}

/** The words of the path a command is typed with, as the user will type them again. */
function pathText(spec: CommandSpec): string {
  return spec.path.join(" ");
}

/** Whether `rest` looks like what a verb of a free-text group takes: nothing, a number or flags. */
function looksLikeVerbArgs(rest: string): boolean {
  return rest === "" || /^(#?\d|--)/.test(rest);
}

/**
 * Which command `text` names, or why none: an unknown word answers "did you mean" when one is near, and a command
 * that `surface` does not offer says where it is done instead.
 */
export function resolveCommand(text: string, surface: Surface = "slack"): ResolvedCommand | InvalidCommand {
  if (text.length > MAX_COMMAND_TEXT) {
    return { name: "invalid", message: `That command is ${count(text.length)} characters long; the most /korus reads is ${count(MAX_COMMAND_TEXT)}.` };
  }
  const trimmed = text.trim();
  const first = /^(\S+)\s*/.exec(trimmed);
  if (!first) return offered({ spec: COMMAND_SPECS.find((s) => s.name === "help")!, rest: "" }, surface);
  const typedHead = first[1]!;
  const head = groupWord(typedHead);
  const afterHead = trimmed.slice(first[0].length);
  const second = /^(\S+)\s*/.exec(afterHead);
  const verb = second?.[1]?.toLowerCase();
  const afterVerb = second ? afterHead.slice(second[0].length) : "";
  const verbs = verbsOf(head);
  // The group's own word (`fact`, `memo`) takes only its verbs; its other word (`facts`) may also be a search.
  const strict = typedHead.toLowerCase() === head && verbs.length > 0;
  const one = PATHS.find((p) => p.words.length === 1 && p.words[0] === head && !(strict && p.spec.path[0] !== head))?.spec;
  const two = verb === undefined ? undefined : PATHS.find((p) => p.words.length === 2 && p.words[0] === head && p.words[1] === verb)?.spec;

  if (two && (two === one || !one?.freeText || looksLikeVerbArgs(afterVerb))) return offered({ spec: two, rest: afterVerb }, surface);
  if (one) {
    // `facts shwo 3`: a near miss of a verb followed by a number or flags is a typo, not a search for "shwo 3"; a word
    // alone (`facts news`) stays a search.
    const near = one.freeText && verb !== undefined && afterVerb !== "" && looksLikeVerbArgs(afterVerb) ? nearest(verb, verbWordsOf(head)) : undefined;
    if (near && near !== verb) return didYouMean(`\`${typedHead.slice(0, 40)} ${verb!.slice(0, 40)}\` is not a command.`, `${head} ${near}`, afterVerb, groupUsage(head));
    return offered({ spec: one, rest: afterHead }, surface);
  }
  if (verbs.length > 0) {
    const fallback = verbs.find((s) => s.groupDefault);
    // The group's word alone, or followed by flags (`candidates --state all`), is its default command.
    if (fallback && (verb === undefined || verb.startsWith("--"))) return offered({ spec: fallback, rest: afterHead }, surface);
    if (verb === undefined) {
      const names = verbs.filter((s) => offeredOn(s, surface)).map((s) => s.path[1]!);
      return { name: "invalid", message: `\`${head}\` needs a command: ${names.slice(0, -1).join(", ")} or ${names.at(-1)}.`, usage: groupUsage(head) };
    }
    const near = nearest(verb, verbWordsOf(head));
    const message = `\`${head} ${verb.slice(0, 40)}\` is not a${/^[aeiou]/.test(head) ? "n" : ""} ${head} command.`;
    return near ? didYouMean(message, `${head} ${near}`, afterVerb, groupUsage(head)) : { name: "invalid", message, usage: groupUsage(head) };
  }
  const near = nearest(typedHead, FIRST_WORDS);
  const message = `I don't know the command ${quote(typedHead)}.`;
  return near ? didYouMean(message, near, afterHead) : { name: "invalid", message };
}

/** A refusal that names the likely command, with the rest of what was typed. */
function didYouMean(message: string, meant: string, rest: string, usage?: string): InvalidCommand {
  const shown = rest.length > 60 ? `${rest.slice(0, 60)}…` : rest;
  return { name: "invalid", message: `${message} Did you mean \`${meant}${shown ? ` ${shown}` : ""}\`?`, ...(usage ? { usage } : {}) };
}

/** The command, if `surface` offers it; else where it is done. */
function offered(resolved: ResolvedCommand, surface: Surface): ResolvedCommand | InvalidCommand {
  const { spec } = resolved;
  if (offeredOn(spec, surface)) return resolved;
  const there = surface === "slack" ? "the local console and the `korus` command" : "Slack";
  return { name: "invalid", message: `\`${pathText(spec)}\` works in ${there}, not here.${spec.elsewhere ? ` ${spec.elsewhere}` : ""}` };
}

/** Reads a resolved command's arguments by its schema: the command, or the first mistake with the usage line. */
export function readArgs(resolved: ResolvedCommand): ParsedCommand {
  const { spec, rest } = resolved;
  const read = spec.args.safeParse({ words: rest.split(/\s+/).filter(Boolean), text: rest });
  if (read.success) return { name: spec.name, ...read.data } as ParsedCommand;
  const issue = read.error.issues[0];
  const usage = (issue && "params" in issue ? (issue.params as { usage?: string } | undefined)?.usage : undefined) ?? spec.usage;
  return { name: "invalid", message: issue?.message ?? `\`${pathText(spec)}\` cannot read that.`, usage };
}

/** Parses the text after `/korus` (or a console line without the `/korus`). */
export function parseCommand(text: string, surface: Surface = "slack"): ParsedCommand {
  const resolved = resolveCommand(text, surface);
  return "spec" in resolved ? readArgs(resolved) : resolved;
}

/** Every help entry of the Slack commands, in order. One source for Slack, the console and the README. */
export const COMMANDS: readonly CommandHelp[] = COMMAND_SPECS.filter((s) => s.help && offeredOn(s, "slack")).map((s) => s.help!);

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

/** The console's lines for what Slack does in forms and buttons: each command's flags, from the registry. */
export function consoleFormHelp(): string[] {
  return COMMAND_SPECS.filter((s) => s.console).map((s) => `- \`${s.console!.usage}\`${s.console!.note ? `: ${s.console!.note}` : ""}`);
}

/** The usage line of a command with the console's flags (its form's fields), for a form's mistakes. */
export function consoleUsage(name: CommandName): string {
  const spec = COMMAND_SPECS.find((s) => s.name === name)!;
  return spec.console?.usage ?? spec.usage;
}
