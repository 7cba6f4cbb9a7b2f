/**
 * The `korus` command line: every `/korus` command with the same words, from the command registry
 * (src/cli/registry-commands.ts), printed as Markdown (as text at a terminal: src/cli/screen.ts), and the terminal's own
 * commands (src/cli/terminal-commands.ts).
 * A composition root like main.ts: it reads the environment once, and builds the terminal's services
 * (src/commands/services-cli.ts) over the database it opens for a command; the groups are handed those, and what they
 * read of Slack (channels typed or pasted, src/slack/terminal-readers.ts; the app manifest, src/slack/manifest.ts): the
 * one file of src/cli that imports src/slack.
 *
 * Each group of commands (facts, memo, brief...) is loaded only when it is the one asked for, so that a quick
 * command does not pay for loading every other one: `korus status` beside a running bot answers in well under a
 * second. `korus help` is built from the tables alone; an unknown word loads every group (for "did you mean").
 */
import "../v8-flags.js";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { systemClock } from "../clock.js";
import { isIsoDate } from "../facts/dates.js";
import { createLogger } from "../logger.js";
import { secretsOf } from "../config.js";
import { dateInZone } from "../time-zone.js";
import { openReadyDatabase } from "../db/ready.js";
import { EXIT_USAGE, loadConfigOrExit, loadDotEnv } from "../runtime.js";
import { openDatabase } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { seed } from "../db/seed.js";
import type { TemplateStore } from "../memos/templates/store.js";
import { localUser } from "./local-user.js";
import { hostname } from "node:os";
import { createTerminalServices, type TerminalServices } from "../commands/services-cli.js";
import { addRegistryCommands, readRegistryWords, registryLine, registryReads, registrySuggestion, rootHelp, runRegistryLine, withSearchVerb } from "./registry-commands.js";
import { type GroupName, groupOf } from "./terminal-commands.js";
import { slackTerminalReaders } from "../slack/terminal-readers.js";
import { printMarkdown } from "./screen.js";
import { count, counted } from "../render/count.js";

loadDotEnv();
const config = loadConfigOrExit(process.env);
// The terminal's reader is a person: readable warnings unless LOG_FORMAT says otherwise.
const logger = createLogger(config.logLevel === "info" ? "warn" : config.logLevel, "korus", undefined, {
  format: config.logFormat ?? "pretty",
  secrets: secretsOf(config),
});
/** What this command is, for anyone who has to wait for it ("korus facts import"). */
const commandLine = [
  "korus",
  ...process.argv
    .slice(2)
    .filter((a) => !a.startsWith("-"))
    .slice(0, 2),
].join(" ");
/** How this process opens the database: through the bot when one owns the data folder. */
const openAs = {
  role: "cli" as const,
  command: commandLine,
  onWait: (message: string) => process.stderr.write(`korus: ${message}\n`),
};

function isoDateOption(value: string): string {
  if (!isIsoDate(value)) throw new InvalidArgumentError("not a calendar date; write it as YYYY-MM-DD, like 2017-07-20.");
  return value;
}

/** Commander's words for a mistake, kept until it is known whether the registry reads the words instead. */
let commanderSaid = "";
const program = new Command("korus")
  .description("korus-bot from the terminal: the status of KORUS, the fact store, and database chores")
  .showHelpAfterError("(run korus help for the commands)")
  .configureOutput({
    writeErr: (text) => {
      commanderSaid += text;
    },
  })
  .exitOverride();

/** Who runs this command: `cli:<account>`, shown by KORUS_USER_NAME or the account's full name. */
const user = localUser(config.userName);

/** The templates, loaded and checked once, by the first command that needs them. */
let templateStore: Promise<TemplateStore> | undefined;
const templates = (): Promise<TemplateStore> => (templateStore ??= import("../template-store.js").then((m) => m.openTemplateStore()));

/**
 * Runs `fn` with the terminal's services (the composition root of the `korus` command): the migrated database is
 * opened for the command and closed on every path (PGlite left open keeps the process alive). The terminal user's name
 * is kept there first, so that whatever this command records shows it.
 */
async function withServices<T>(fn: (services: TerminalServices) => Promise<T>): Promise<T> {
  const db = await openReadyDatabase(config, logger, openAs);
  try {
    const services = createTerminalServices({
      db,
      clock: systemClock,
      timeZone: config.timeZone,
      templates,
      // Whoever runs the CLI has the database itself: an admin of what it records.
      user: user.id,
      fetching: config.fetching,
      reviewers: config.admins,
      instanceId: `cli:${hostname()}:${process.pid}`,
      scheduler: async (clock) => (await import("../scheduled-posts.js")).createScheduler(config, db, logger, await templates(), { clock }),
      ...(config.memoBanner ? { banner: config.memoBanner } : {}),
    });
    await services.rememberUser(user, systemClock.now());
    return await fn(services);
  } finally {
    await db.close();
  }
}

/** One registry line answered as the local console answers it (the registry commands no group defines). */
async function runConsoleLine(line: string) {
  const [{ runTextCommand }, store] = await Promise.all([import("./text-commands.js"), templates()]);
  return withServices((terminal) => runTextCommand(line, { clock: systemClock, timeZone: config.timeZone, templates: store, terminal, chat: slackTerminalReaders }));
}

program
  .command("status")
  .description("the status of an agreement as Markdown: its phase, next deadline, latest developments, positions and sources")
  .argument("[words...]", "as in Slack: a topic, public, as-of YYYY-MM-DD")
  .addOption(new Option("--as-of <date>", "the status as it stood on this date (YYYY-MM-DD)").argParser(isoDateOption))
  .addOption(new Option("--topic <topic>", "the agreement (korus topics lists them; default korus)"))
  .action(async (words: string[], options: { asOf?: string; topic?: string }) => {
    const [{ statusToMarkdown }, { parseTopic }] = await Promise.all([import("../status/markdown.js"), import("../topics/slug.js")]);
    // The registry's words (`status usmca as-of 2017-07-20`), then the flags, which win.
    const fromWords = readRegistryWords("status", words, "[--topic T] [--as-of YYYY-MM-DD]");
    const topic = parseTopic(options.topic ?? fromWords.topic ?? "korus");
    const report = await withServices((services) => services.status(options.asOf ?? fromWords.asOf, topic));
    printMarkdown(statusToMarkdown(report));
  });

/** What every group is given: the services, and how its options read. */
const groupDeps = { withServices, isoDate: isoDateOption, clock: systemClock, timeZone: config.timeZone, chat: slackTerminalReaders };
/** The groups of commands, each registered only when needed. */
const groups: Record<GroupName, () => Promise<void>> = {
  core: async () => {},
  facts: async () => (await import("./facts.js")).registerFactCommands(program, { ...groupDeps, today: () => dateInZone(systemClock.now(), config.timeZone) }),
  memos: async () => (await import("./memos.js")).registerMemoCommands(program, { ...groupDeps, ...(config.memoBanner ? { banner: config.memoBanner } : {}), templates }),
  figures: async () => (await import("./figures.js")).registerFigureCommands(program, groupDeps),
  briefs: async () => (await import("./briefs.js")).registerBriefCommands(program, groupDeps),
  deadlines: async () => (await import("./deadlines.js")).registerDeadlineCommands(program, { ...groupDeps, ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}) }),
  manifest: async () => {
    const [{ registerManifestCommand }, { appManifest }] = await Promise.all([import("./manifest.js"), import("../slack/manifest.js")]);
    registerManifestCommand(program, appManifest);
  },
  feeds: async () => (await import("./feeds.js")).registerFeedCommands(program, { ...groupDeps, fetching: config.fetching }),
};
const argv = [...withSearchVerb(process.argv.slice(2))];
const asked = argv.find((a) => !a.startsWith("-"));
if (argv.length === 0 || (argv.length === 1 && ["help", "--help", "-h"].includes(argv[0]!))) {
  process.stdout.write(rootHelp());
  process.exit(0);
}
if (asked === "help") {
  // `korus help status` is `korus status --help`.
  argv.splice(argv.indexOf("help"), 1);
  argv.push("--help");
}
// Either word of a group (`fact` or `facts`, `memo` or `memos`) finds it.
const group = asked === undefined ? undefined : groupOf(asked);
if (group) await groups[group]();
else for (const register of Object.values(groups)) await register();
// The registry's words and commands beside the groups', answered as the console answers them.
addRegistryCommands(program, runConsoleLine);

const dbCommand = program.command("db").description("database chores");
dbCommand
  .command("migrate")
  .description("apply pending database migrations (the package's migrations folder)")
  .action(async () => {
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, ...openAs });
    try {
      const applied = await migrate(db);
      process.stdout.write(applied.length > 0 ? `Applied ${counted(applied.length, "migration")} to ${db.description}: ${applied.join(", ")}\n` : `${db.description} is up to date.\n`);
    } finally {
      await db.close();
    }
  });
dbCommand
  .command("seed")
  .description("store the facts of the source article (facts already stored are left as they are)")
  .action(async () => {
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, ...openAs });
    try {
      await migrate(db);
      const result = await seed(db);
      process.stdout.write(`Seed facts: ${count(result.added)} added, ${count(result.updated)} updated, ${count(result.unchanged)} unchanged.\n`);
    } finally {
      await db.close();
    }
  });

/** Commander's mistakes after which the registry may read the words (`korus status usmca`, `korus facts steel`). */
const REGISTRY_READS = new Set([
  "commander.unknownCommand",
  "commander.invalidArgument",
  "commander.excessArguments",
  "commander.help",
  "commander.unknownOption",
  "commander.missingArgument",
  "commander.missingMandatoryOptionValue",
]);

try {
  await program.parseAsync(argv, { from: "user" });
} catch (error) {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) {
      process.stderr.write(commanderSaid);
      process.exit(0);
    }
    // Words that the command's flags could not read but the registry can (no `--flag` typed: a mistyped flag is the
    // flag's mistake) are read by the registry, as in Slack and the console.
    if (REGISTRY_READS.has(error.code) && !argv.some((w) => w.startsWith("--")) && registryReads(argv, error.code)) {
      await runRegistryLine(registryLine(argv), runConsoleLine).catch(failed);
      process.exit(process.exitCode ?? 0);
    }
    const suggestion = /Did you mean/.test(commanderSaid) ? undefined : registrySuggestion(argv);
    process.stderr.write(`${commanderSaid}${suggestion ? `korus: ${suggestion}\n` : ""}`);
    process.exit(EXIT_USAGE);
  }
  await failed(error);
}

/** A failure: one of ours in words with its exit code, anything else as a failure (its stack only at debug). */
async function failed(error: unknown): Promise<never> {
  const { describeError, describeFailure } = await import("./errors.js");
  const known = describeError(error);
  if (known) {
    process.stderr.write(`korus: ${known.message}\n`);
    process.exit(known.exitCode);
  }
  logger.debug(error);
  process.stderr.write(`korus: ${describeFailure(error)}\n`);
  process.exit(1);
}
