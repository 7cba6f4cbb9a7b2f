/**
 * The `korus` command's side of the command registry (src/commands/registry.ts): both words of each group work
 * (`korus fact add`, `korus memos list`), and each registry subcommand that the hand-written groups (facts.ts, memos.ts,
 * briefs.ts...) do not define is a `korus` command too (`korus facts show 3`, `korus schedule new --weekday monday ...`),
 * answered by the console's handler in Markdown. Commander's "did you mean" then knows every word.
 */
import type { Command } from "commander";
import { COMMAND_SPECS, offeredOn } from "../commands/registry.js";
import { otherWords, sameGroup } from "../commands/words.js";
import type { TextAnswer } from "./text-commands.js";

/** A word as the console reads it back (src/cli/console-forms.ts splitWords): quoted when it holds a space or a quote. */
function quoted(word: string): string {
  return /[\s"'\\]/.test(word) || word === "" ? `"${word.replace(/(["\\])/g, "\\$1")}"` : word;
}

/** The command under `parent` called `word` (or having it as an alias); `group` also takes the group's other word. */
function child(parent: Command, word: string, group = false): Command | undefined {
  const same = (name: string) => (group ? sameGroup(name, word) : name === word);
  return parent.commands.find((c) => same(c.name()) || c.aliases().some(same));
}

/**
 * Adds the group words and the missing registry subcommands to `program`, after the groups it needs are registered.
 * @param run answers one console line (the registry's words, then the arguments as typed).
 */
export function addRegistryCommands(program: Command, run: (line: string) => Promise<TextAnswer>): void {
  for (const top of program.commands) {
    for (const other of otherWords(top.name())) if (!child(program, other)) top.alias(other);
  }
  for (const spec of COMMAND_SPECS) {
    if (!offeredOn(spec, "console") || spec.name === "help") continue;
    const [first, verb] = spec.path as [string, string | undefined];
    const top = child(program, first, true);
    if (verb === undefined && top) continue;
    const parent = verb === undefined ? program : (top ?? program.command(first).description(`${first} commands`));
    const name = verb ?? first;
    if (verb !== undefined && child(parent, verb)) continue;
    parent
      .command(name)
      .description(`${spec.summary ?? spec.help?.description ?? spec.usage} (usage: ${spec.console?.usage ?? spec.usage.replace(/^\/korus /, "")})`)
      .argument("[words...]", "the command's words and flags, as in the console")
      .allowUnknownOption()
      .helpOption(false)
      .action(async (_words: string[], _options: unknown, command: Command) => {
        const answer = await run([...spec.path, ...command.args.map(quoted)].join(" "));
        // An answer on standard output; a refusal (a usage line with it) on standard error, with a failing exit.
        (answer.ok ? process.stdout : process.stderr).write(answer.output);
        if (!answer.ok) process.exitCode = 1;
      });
  }
}
