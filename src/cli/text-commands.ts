import type { Clock } from "../clock.js";
import { consoleFormHelp, helpMarkdown, readArgs, resolveCommand } from "../commands/parse.js";
import { type CommandNameOn, type CommandOf, type ConsoleFormName, REGISTRY } from "../commands/registry.js";
import type { CommandServices } from "../commands/services.js";
import type { TerminalServices } from "../commands/services-cli.js";
import type { TemplateStore } from "../memos/templates/store.js";
import { FactQueryError } from "../facts/query.js";
import { FactError } from "../facts/service.js";
import { statusToMarkdown } from "../status/markdown.js";
import { MemoError } from "../memos/read.js";
import { runBriefTextCommand } from "./briefs.js";
import type { ChatReaders } from "./command-deps.js";
import { CONSOLE_FORMS, type ConsoleFormDeps } from "./console-forms.js";
import { splitWords } from "./form-fields.js";
import { FEED_CONSOLE_HELP, runFeedTextCommand } from "./feeds-text.js";
import { runDeadlineTextCommand } from "./deadlines.js";
import { TopicError } from "../topics/slug.js";

/** What the console adds to the help: its forms, and the memo commands that do in a terminal what buttons do in Slack. */
export const CONSOLE_HELP = [
  "",
  "**In this console** every command above works. Those that open a form in Slack ask their fields here one by one (the default in brackets, Enter keeps it); in a script, give the fields as flags:",
  ...consoleFormHelp(),
  FEED_CONSOLE_HELP,
  "`fact` and `facts`, `memo` and `memos`, `schedule` and `schedules` are the same word here, in Slack and in `npx korus`.",
  "Assembly history: `npx korus memo assemble ID` keeps each version, `npx korus memo diff ID [from] [to]` shows what changed.",
  "",
].join("\n");

/** What the terminal commands need. */
export interface TextCommandDeps {
  clock: Clock;
  timeZone: string;
  templates: TemplateStore;
  /**
   * The terminal's services, built once by the composition root (src/commands/services-cli.ts); without fetch settings
   * there, feeds add and poll in the console say to use `npx korus`.
   */
  terminal: TerminalServices;
  /** Reads a channel pasted from the workspace (`<#C123ABC|trade>`) as its id, as the adapter reads its own commands. */
  chat: Pick<ChatReaders, "mentionsToIds">;
}

/** The answer to a command in the terminal: Markdown, whether the command was done, and whether it was misread. */
export interface TextAnswer {
  ok: boolean;
  output: string;
  /** A command that could not be read as typed (unknown, or its words or flags wrong), not one that was refused. */
  usage?: true;
}

type ConsoleDeps = TextCommandDeps & Omit<ConsoleFormDeps, keyof TextCommandDeps> & { services: CommandServices };

/**
 * One handler per console command that is not a form: a mapped type over the registry, so a command declared without
 * a handler here (or a form in CONSOLE_FORMS) does not compile.
 */
type ConsoleHandlers = { [K in Exclude<CommandNameOn<"console">, ConsoleFormName>]: (command: CommandOf<K>, deps: ConsoleDeps) => Promise<TextAnswer> };

/** A service's refusal as the answer, for the kinds of refusal a command expects. */
async function refusing(kinds: readonly (abstract new (...args: never[]) => Error)[], work: () => Promise<TextAnswer>): Promise<TextAnswer> {
  try {
    return await work();
  } catch (error) {
    if (kinds.some((kind) => error instanceof kind)) return { ok: false, output: `${(error as Error).message}\n` };
    throw error;
  }
}

const markdown = async (output: Promise<string>): Promise<TextAnswer> => ({ ok: true, output: await output });
const feed = (word: string) => (command: { text: string }, deps: ConsoleDeps) =>
  runFeedTextCommand(`${word} ${command.text}`, deps).then((answer) => answer ?? { ok: false, output: `\`${word}\` cannot read that.\n` });

const HANDLERS: ConsoleHandlers = {
  help: async () => ({ ok: true, output: `${helpMarkdown()}${CONSOLE_HELP}` }),
  status: (c, deps) => refusing([TopicError], async () => ({ ok: true, output: statusToMarkdown(await deps.services.status(c.asOf, c.topic)) })),
  facts: (c, deps) => refusing([FactQueryError], () => markdown(deps.services.searchMarkdown(c.query))),
  "fact-show": async (c, deps) => {
    const output = await deps.services.factMarkdown(c.id);
    return output === undefined ? { ok: false, output: `There is no fact #${c.id}.\n` } : { ok: true, output };
  },
  "fact-history": (c, deps) => refusing([FactError], () => markdown(deps.services.factHistoryMarkdown(c.id))),
  "memo-list": (_c, deps) => markdown(deps.services.memoListMarkdown()),
  "memo-show": (c, deps) => refusing([MemoError], () => markdown(deps.services.memoMarkdown(c.id))),
  "memo-history": (c, deps) => refusing([MemoError], () => markdown(deps.services.sectionHistoryMarkdown(c.id, c.section))),
  "memo-assemble": (c, deps) => refusing([MemoError], () => markdown(deps.services.assembledMemoMarkdown(c.id))),
  brief: runBriefTextCommand,
  "schedule-create": runBriefTextCommand,
  "schedule-list": runBriefTextCommand,
  "schedule-pause": runBriefTextCommand,
  "schedule-resume": runBriefTextCommand,
  "schedule-delete": runBriefTextCommand,
  figures: async (c, deps) => {
    const answer = await deps.services.figures(c);
    return { ok: answer.ok, output: answer.markdown };
  },
  chart: async (c) => ({
    ok: false,
    output: `A chart is a picture: in Slack \`/korus chart ${c.series}\` posts it; in the terminal \`npx korus chart ${c.series} --out chart.png\` writes it (or .svg). \`/korus figures ${c.series}\` lists its periods here.\n`,
  }),
  ask: (c, deps) => markdown(deps.services.askMarkdown(c.question)),
  "alerts-on": runDeadlineTextCommand,
  "alerts-off": runDeadlineTextCommand,
  "alerts-list": runDeadlineTextCommand,
  topics: runDeadlineTextCommand,
  timeline: runDeadlineTextCommand,
  "feeds-list": feed("feeds list"),
  "feeds-add": feed("feeds add"),
  "feeds-remove": feed("feeds remove"),
  "feeds-poll": feed("feeds poll"),
  "candidates-list": feed("candidates list"),
  "candidates-show": feed("candidates show"),
  "candidates-accept": feed("candidates accept"),
  "candidates-dismiss": feed("candidates dismiss"),
  sources: feed("sources"),
};

/** Whether a registry command is answered by a console form. */
function isForm(name: string): name is ConsoleFormName {
  return name in CONSOLE_FORMS;
}

/**
 * Runs one `/korus ...` command (the `/korus` is optional) and answers in Markdown: the local console's twin of the
 * Slack command, over the same registry and services. The forms Slack opens (memo new, fact add, schedule new...) are
 * asked here line by line, or read from flags.
 */
export async function runTextCommand(line: string, deps: TextCommandDeps & Omit<ConsoleFormDeps, keyof TextCommandDeps>): Promise<TextAnswer> {
  // `/korus status`, `korus status` and `npx korus status` (a hint copied from an answer) all mean `status` here.
  // A channel copied from Slack (`<#C123ABC|trade>`) is read as its id, as Slack's own text is.
  const text = deps.chat.mentionsToIds(line.trim().replace(/^(\/korus\b|(npx\s+)?korus\s)/i, ""));
  const resolved = resolveCommand(text, "console");
  if (!("spec" in resolved)) {
    return { ok: false, usage: true, output: `${resolved.message}\n${resolved.usage ? `Usage: ${resolved.usage}\n` : `\n${helpMarkdown()}`}` };
  }
  // The console's user acts as an admin: whoever runs it has the database itself (src/commands/services-cli.ts).
  const withServices: ConsoleDeps = { ...deps, services: await deps.terminal.commands() };
  const name = resolved.spec.name;
  if (isForm(name)) return CONSOLE_FORMS[name](splitWords(resolved.rest), withServices);
  const parsed = readArgs(resolved);
  if (parsed.name === "invalid") return { ok: false, usage: true, output: `${parsed.message}\nUsage: ${parsed.usage ?? REGISTRY[name].usage}\n` };
  const handle = HANDLERS[parsed.name as keyof ConsoleHandlers] as (command: unknown, deps: ConsoleDeps) => Promise<TextAnswer>;
  return handle(parsed, withServices);
}
