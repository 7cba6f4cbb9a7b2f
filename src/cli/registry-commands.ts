/**
 * The `korus` command built from the command registry (src/commands/registry.ts): every `/korus` command is a `korus`
 * command with the same words (`korus status usmca as-of 2017-07-20`, `korus facts steel`, `korus fact show 3`), both
 * words of each group work (`fact`/`facts`, `memo`/`memos`), and the help is the registry's. A command a group defines
 * with flags of the terminal (src/cli/terminal-commands.ts) keeps them, and takes the registry's words too: what its
 * flags cannot read is read by the registry. A mistake in the words exits 2 before the database is opened; a refusal
 * of what was asked exits 1.
 */
import type { Command } from "commander";
import { readArgs, resolveCommand } from "../commands/parse.js";
import { type CommandName, type CommandOf, COMMAND_SPECS, offeredOn, REGISTRY } from "../commands/registry.js";
import { type CommandSpec, rawArgs } from "../commands/spec.js";
import { groupWord, otherWords, sameGroup } from "../commands/words.js";
import { CliFailure } from "./failure.js";
import { TERMINAL_COMMANDS } from "./terminal-commands.js";
import type { TextAnswer } from "./text-commands.js";
import { printMarkdown } from "./screen.js";

/** Exit status for words the command could not read (src/runtime.ts EXIT_USAGE; not imported, which reads the config). */
const EXIT_USAGE = 2;

/** A word as the console reads it back (src/cli/form-fields.ts splitWords): quoted when it holds a space or a quote. */
function quoted(word: string): string {
  return /[\s"'\\]/.test(word) || word === "" ? `"${word.replace(/(["\\])/g, "\\$1")}"` : word;
}

/** The words of a `korus` command line as one registry line. */
export function registryLine(words: readonly string[]): string {
  return words.map(quoted).join(" ");
}

/** A usage line as typed in the terminal: `korus memo show ID`, not `/korus memo show ID`. */
function terminalUsage(usage: string): string {
  const line = usage.replace(/\/korus /g, "korus ");
  return line.startsWith("korus ") ? line : `korus ${line}`;
}

/** The words of a command with both words of its group: `fact|facts show`. */
function pathWithGroup(path: readonly string[]): string {
  const [first, ...rest] = path;
  return [[first, ...otherWords(first!)].join("|"), ...rest].join(" ");
}

/** A command's line in the help list: its summary, else the first clause of its help (`korus CMD --help` has it all). */
function summaryOf(spec: CommandSpec): string {
  const text = spec.summary ?? spec.help?.description ?? spec.usage;
  const sentence = (/^.*?[.!?](?=\s|$)/.exec(text)?.[0] ?? text).replace(/\.$/, "");
  if (sentence.length <= 80) return sentence;
  const clause = /^.{20,80}?(?=[:;])/.exec(sentence)?.[0];
  if (clause) return clause;
  const comma = sentence.lastIndexOf(",", 80);
  return `${sentence.slice(0, comma >= 20 ? comma : sentence.lastIndexOf(" ", 80))}…`;
}

/** What `korus help` and `korus --help` print: the registry's commands, then the terminal's own. */
export function rootHelp(): string {
  const rows: [string, string][] = COMMAND_SPECS.filter((s) => offeredOn(s, "console")).map((s) => [pathWithGroup(s.path), summaryOf(s)]);
  const own: [string, string][] = TERMINAL_COMMANDS.filter((c) => c.summary).map((c) => [pathWithGroup(c.path), c.summary!]);
  const width = Math.min(28, Math.max(...[...rows, ...own].map(([left]) => left.length)));
  const line = ([left, right]: [string, string]) => `  ${left.padEnd(width)}  ${right}`;
  return [
    "Usage: korus <command> [words] [--flags]",
    "",
    "korus-bot from the terminal: every /korus command with the same words (korus status usmca, korus facts steel),",
    "printed as Markdown (shown as text at a terminal, kept as Markdown in a pipe or file), and the terminal's own",
    "commands. `korus <command> --help` gives a command's words and flags.",
    "",
    "The /korus commands:",
    ...rows.map(line),
    "",
    "In the terminal only:",
    ...own.map(line),
    "",
  ].join("\n");
}

/** A registry command's help, after the flags of its `korus` version. */
function registryHelp(spec: CommandSpec): string {
  const help = spec.help;
  const lines = ["", `As in Slack: ${terminalUsage(help?.usage ?? spec.usage)}`];
  if (help) lines.push(`  ${help.description}`, `  Example: ${terminalUsage(help.example)}`);
  else if (spec.summary) lines.push(`  ${spec.summary}.`);
  if (spec.console) lines.push(`With flags: ${terminalUsage(spec.console.usage)}${spec.console.note ? ` (${spec.console.note})` : ""}`);
  return `${lines.join("\n")}\n`;
}

/** Words the command could not read: the reason and how to write it, on standard error; exit 2. */
function usageError(message: string, usage?: string): void {
  process.stderr.write(`korus: ${message}\n${usage ? `Usage: ${terminalUsage(usage)}\n` : "Run korus help for the commands.\n"}`);
  process.exitCode = EXIT_USAGE;
}

/**
 * Runs a registry line: its words are read first (a mistake exits 2, with the usage line, before the database is
 * opened), then `run` answers it (Markdown on standard output; a refusal on standard error, exit 1, or 2 for flags it
 * could not use).
 */
export async function runRegistryLine(line: string, run: (line: string) => Promise<TextAnswer>): Promise<void> {
  const resolved = resolveCommand(line, "console");
  if (!("spec" in resolved)) return usageError(resolved.message, resolved.usage);
  if (!resolved.spec.console) {
    const parsed = readArgs(resolved);
    if (parsed.name === "invalid") return usageError(parsed.message, parsed.usage ?? resolved.spec.usage);
  }
  const answer = await run(line);
  printMarkdown(answer.output, answer.ok ? process.stdout : process.stderr);
  if (!answer.ok) process.exitCode = answer.usage ? EXIT_USAGE : 1;
}

/**
 * Slack's words after a command, read by the registry for the `korus` version of that command (`korus brief usmca
 * as-of 2017-08-15 --format html`): its fields, or a CliFailure (exit 2) with the reason and both usages.
 */
export function readRegistryWords<K extends CommandName>(name: K, words: readonly string[], flags: string): Omit<CommandOf<K>, "name"> {
  const spec = REGISTRY[name] as CommandSpec;
  const read = readArgs({ spec: { ...spec, name }, rest: registryLine(words) });
  if (read.name === "invalid") throw new CliFailure(`${read.message}\nUsage: ${terminalUsage(read.usage ?? spec.usage)} · korus ${spec.path.join(" ")} ${flags}`, EXIT_USAGE);
  const { name: _name, ...fields } = read as CommandOf<K>;
  return fields;
}

/**
 * The words with the search's verb put in, when they are a search its group's verbs do not take: `korus facts steel
 * --limit 5` is `korus facts search steel --limit 5`, as `/korus facts steel` is a search (and `facts shwo 1` stays a
 * near miss of `show`).
 */
export function withSearchVerb(argv: readonly string[]): readonly string[] {
  const [head, verb] = argv;
  if (head === undefined || verb === undefined || verb.startsWith("-")) return argv;
  const resolved = resolveCommand(registryLine(argv), "console");
  if (!("spec" in resolved) || !resolved.spec.freeText || resolved.spec.path.length !== 1) return argv;
  const group = groupWord(head);
  const defines = (word: string) => TERMINAL_COMMANDS.some((c) => c.path[0] === group && c.path[1] === word);
  // `facts import FILE` is the terminal's own command, not a search for "import FILE".
  if (!defines("search") || defines(verb.toLowerCase())) return argv;
  return [head, "search", ...argv.slice(1)];
}

/**
 * Whether the registry reads these words, which commander could not (its error `code`): when they name a registry
 * command, but not one that reads its own words (`feeds`, `candidates`, `sources`, `memo write`): the terminal's
 * version of such a command says what is wrong with them, except for the group's word alone (`korus candidates`).
 */
export function registryReads(words: readonly string[], code: string): boolean {
  const resolved = resolveCommand(registryLine(words), "console");
  return "spec" in resolved && (resolved.spec.args !== rawArgs || code === "commander.help");
}

/** The registry's "did you mean" for words it does not know, when it has one. */
export function registrySuggestion(words: readonly string[]): string | undefined {
  const resolved = resolveCommand(registryLine(words), "console");
  return "spec" in resolved || !/Did you mean/.test(resolved.message) ? undefined : resolved.message;
}

/** The command under `parent` called `word` (or having it as an alias); `group` also takes the group's other word. */
function child(parent: Command, word: string, group = false): Command | undefined {
  const same = (name: string) => (group ? sameGroup(name, word) : name === word);
  return parent.commands.find((c) => same(c.name()) || c.aliases().some(same));
}

/**
 * Adds to `program` (its groups registered) the group words, each registry command that no group defines (answered by
 * the console's handler), and the registry's help to the commands a group defines.
 * @param run answers one registry line (src/cli/text-commands.ts runTextCommand, on the terminal's services).
 */
export function addRegistryCommands(program: Command, run: (line: string) => Promise<TextAnswer>): void {
  for (const top of program.commands) {
    for (const other of otherWords(top.name())) if (!child(program, other)) top.alias(other);
  }
  for (const spec of COMMAND_SPECS) {
    if (!offeredOn(spec, "console") || spec.name === "help") continue;
    const [first, verb] = spec.path as [string, string | undefined];
    const top = child(program, first, true);
    const defined = verb === undefined ? top : top && child(top, verb);
    if (defined) {
      defined.addHelpText("after", registryHelp(spec));
      continue;
    }
    const parent = verb === undefined ? program : (top ?? program.command(first).description(`${first} commands`));
    parent
      .command(verb ?? first)
      .description(`${summaryOf(spec)} (usage: ${terminalUsage(spec.console?.usage ?? spec.usage)})`)
      .argument("[words...]", "the command's words and flags, as in Slack and the console")
      .allowUnknownOption()
      .addHelpText("after", registryHelp(spec))
      .action(async (_words: string[], _options: unknown, command: Command) => runRegistryLine(registryLine([...spec.path, ...command.args]), run));
  }
}
