/**
 * The `korus` command line: the same verbs as the slash command, printed as Markdown, plus database chores.
 * A composition root like main.ts: it reads the environment once.
 *
 * Each group of commands (facts, memo, brief...) is loaded only when it is the one asked for, so that a quick
 * command does not pay for loading every other one: `korus status` beside a running bot answers in well under a
 * second. `korus --help` loads them all.
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
import { type Database, openDatabase } from "../db/client.js";
import { migrate } from "../db/migrate.js";
import { seed } from "../db/seed.js";
import type { TemplateStore } from "../memos/templates/store.js";
import { localUser, rememberLocalUser } from "./local-user.js";
import { sameGroup } from "../commands/words.js";

loadDotEnv();
const config = loadConfigOrExit(process.env);
// The terminal's reader is a person: readable warnings unless LOG_FORMAT says otherwise.
const logger = createLogger(config.logLevel === "info" ? "warn" : config.logLevel, "korus", undefined, {
  format: config.logFormat ?? "pretty",
  secrets: secretsOf(config),
});
/** What this command is, for anyone who has to wait for it ("korus facts import"). */
const commandLine = ["korus", ...process.argv.slice(2).filter((a) => !a.startsWith("-")).slice(0, 2)].join(" ");
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

const program = new Command("korus")
  .description("korus-bot from the terminal: the status of KORUS, the fact store, and database chores")
  .showHelpAfterError("(run korus --help for the commands)")
  .exitOverride();

program
  .command("status")
  .description("print the status as Markdown")
  .addOption(new Option("--as-of <date>", "the status as it stood on this date (YYYY-MM-DD)").argParser(isoDateOption))
  .addOption(new Option("--topic <topic>", "the agreement (korus topics lists them)").default("korus"))
  .action(async (options: { asOf?: string; topic: string }) => {
    const [{ getStatus }, { statusToMarkdown }, { parseTopic }] = await Promise.all([import("../status/service.js"), import("../status/markdown.js"), import("../topics/slug.js")]);
    const topic = parseTopic(options.topic);
    const report = await withDatabase((db) => getStatus({ prisma: db.prisma, clock: systemClock, timeZone: config.timeZone }, options.asOf, topic));
    process.stdout.write(statusToMarkdown(report));
  });

/** Who runs this command: `cli:<account>`, shown by KORUS_USER_NAME or the account's full name. */
const user = localUser(config.userName);

/**
 * Opens the migrated database for one command and closes it on every path (PGlite left open keeps the process alive).
 * The terminal user's name is kept there first, so that whatever this command records shows it.
 */
async function withDatabase<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await openReadyDatabase(config, logger, openAs);
  try {
    await rememberLocalUser(db.prisma, user);
    return await fn(db);
  } finally {
    await db.close();
  }
}

/** The templates, loaded and checked once, by the first command that needs them. */
let templateStore: Promise<TemplateStore> | undefined;
const templates = (): Promise<TemplateStore> => (templateStore ??= import("../template-store.js").then((m) => m.openTemplateStore()));

/** The commands' services, built once for this process (on the database the command opened). */
let services: import("../commands/services.js").CommandServices | undefined;

/** One line answered as the local console answers it: the registry commands that no group defines. */
async function runConsoleLine(line: string) {
  const [{ runTextCommand }, { createCommandServices }, { cliUser }] = await Promise.all([import("./text-commands.js"), import("../commands/services.js"), import("./facts.js")]);
  const store = await templates();
  return withDatabase(async (db) => {
    // Whoever runs the CLI has the database itself: an admin, as in the other groups.
    services ??= createCommandServices({ prisma: db.prisma, clock: systemClock, timeZone: config.timeZone, templates: store, admins: [cliUser()], ...(config.memoBanner ? { banner: config.memoBanner } : {}) });
    return runTextCommand(line, { prisma: db.prisma, clock: systemClock, timeZone: config.timeZone, templates: store, fetching: config.fetching, services, ...(config.memoBanner ? { banner: config.memoBanner } : {}) });
  });
}

/** The groups of commands, each registered only when needed. */
const groups = {
  facts: async () =>
    (await import("./facts.js")).registerFactCommands(program, {
      withDatabase,
      isoDate: isoDateOption,
      today: () => dateInZone(systemClock.now(), config.timeZone),
    }),
  memos: async () =>
    (await import("./memos.js")).registerMemoCommands(program, {
      withDatabase,
      clock: systemClock,
      timeZone: config.timeZone,
      banner: config.memoBanner,
      templates,
    }),
  figures: async () =>
    (await import("./figures.js")).registerFigureCommands(program, {
      withDatabase,
      isoDate: isoDateOption,
      clock: systemClock,
      timeZone: config.timeZone,
    }),
  briefs: async () =>
    (await import("./briefs.js")).registerBriefCommands(program, {
      withDatabase,
      isoDate: isoDateOption,
      timeZone: config.timeZone,
      clock: systemClock,
      templates,
      scheduler: async (db, clock) => (await import("../scheduled-posts.js")).createScheduler(config, db, logger, await templates(), { clock }),
    }),
  deadlines: async () =>
    (await import("./deadlines.js")).registerDeadlineCommands(program, {
      withDatabase,
      isoDate: isoDateOption,
      timeZone: config.timeZone,
      clock: systemClock,
      ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    }),
  manifest: async () => (await import("./manifest.js")).registerManifestCommand(program),
  feeds: async () =>
    (await import("./feeds.js")).registerFeedCommands(program, {
      withDatabase,
      isoDate: isoDateOption,
      clock: systemClock,
      timeZone: config.timeZone,
      fetching: config.fetching,
      admins: config.admins,
    }),
};
/** Which group each top-level command is in. */
const GROUP_OF: Record<string, keyof typeof groups> = {
  facts: "facts",
  memo: "memos",
  templates: "memos",
  brief: "briefs",
  schedule: "briefs",
  scheduler: "briefs",
  figures: "figures",
  chart: "figures",
  ask: "figures",
  alerts: "deadlines",
  topics: "deadlines",
  timeline: "deadlines",
  deadlines: "deadlines",
  calendar: "deadlines",
  topic: "deadlines",
  manifest: "manifest",
  feeds: "feeds",
  candidates: "feeds",
  sources: "feeds",
};
const asked = process.argv.slice(2).find((a) => !a.startsWith("-"));
// Either word of a group (`fact` or `facts`, `memo` or `memos`) finds it.
const groupKey = asked === undefined ? undefined : Object.keys(GROUP_OF).find((word) => sameGroup(word, asked));
const group = groupKey === undefined ? undefined : GROUP_OF[groupKey];
if (group) await groups[group]();
else if (asked !== "status" && asked !== "db") for (const register of Object.values(groups)) await register();
if (asked !== "status" && asked !== "db") {
  // The registry's words and commands beside the groups', answered as the console answers them.
  (await import("./registry-commands.js")).addRegistryCommands(program, runConsoleLine);
}

const dbCommand = program.command("db").description("database chores");
dbCommand
  .command("migrate")
  .description("apply pending migrations from prisma/migrations")
  .action(async () => {
    const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, ...openAs });
    try {
      const applied = await migrate(db);
      process.stdout.write(
        applied.length > 0 ? `Applied ${applied.length} migration(s) to ${db.description}: ${applied.join(", ")}\n` : `${db.description} is up to date.\n`,
      );
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
      process.stdout.write(`Seed facts: ${result.added} added, ${result.updated} updated, ${result.unchanged} unchanged.\n`);
    } finally {
      await db.close();
    }
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Commander has already printed the message (or the help/version text).
    process.exit(error.exitCode === 0 ? 0 : EXIT_USAGE);
  }
  const { describeError } = await import("./errors.js");
  const known = describeError(error);
  if (known) {
    process.stderr.write(`korus: ${known.message}\n`);
    process.exit(known.exitCode);
  }
  logger.debug(error);
  process.stderr.write(`korus: failed: ${(error as Error).message}\n`);
  process.exit(1);
}
