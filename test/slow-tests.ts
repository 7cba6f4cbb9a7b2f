/**
 * The slow suite: tests that start several processes (the bot, the CLI, npm) or need the PostgreSQL server. `npm test`
 * leaves them out to stay under 90 s on two cores; `npm run test:slow` runs only them, and CI (.ci/run) runs both.
 * A file listed here that no longer exists fails the slow run (vitest finds no test file for it).
 */
export const SLOW_TESTS = [
  // Whole bot processes: start, signals, restarts, memory.
  "test/integration/processes.test.ts",
  "test/integration/runtime.test.ts",
  // The packed tarball installed with npm, then started.
  "test/integration/production-install.test.ts",
  // The bot in its own process, fuzzed over HTTP for a fixed budget of requests.
  "test/integration/slack-fuzz.test.ts",
  // Several bot processes on one PostgreSQL.
  "test/integration/brief-instances.test.ts",
  // Three alert schedulers on one PostgreSQL over 40 simulated days.
  "test/integration/alert-instances.test.ts",
  // The scheduler run day by day over two simulated months (about 20 s).
  "test/integration/alert-delivery.test.ts",
  // PostgreSQL through @prisma/adapter-pg.
  "test/integration/postgres.test.ts",
  "test/integration/memo-assemblies-postgres.test.ts",
  // The korus CLI as a process, and the data folder's lock between processes.
  "test/integration/brief-cli.test.ts",
  "test/integration/deadline-outcomes-cli.test.ts",
  "test/integration/feeds-cli.test.ts",
  "test/integration/cli-guard.test.ts",
  "test/integration/command-registry-cli.test.ts",
  // The korus command's Markdown at a pseudo-terminal and in a pipe: about 25 korus processes.
  "test/integration/terminal-output.test.ts",
  "test/integration/data-folder.test.ts",
  // korus facts import's errors and warnings as a user sees them: six korus processes on fresh data folders (about 20
  // CPU-s; from fact-sources.test.ts and fact-import-duplicates.test.ts).
  "test/integration/fact-import-cli.test.ts",
  // korus facts import of thousands of lines through a running bot.
  "test/integration/import-beside-bot.test.ts",
  "test/unit/db/data-folder-lock.test.ts",
  // A brief's window with 10,000 changes in it: counted in SQL, 60 read (a size test, from fact-sources.test.ts).
  "test/integration/brief-window.test.ts",
];

/**
 * Property tests that `npm test` runs at a fast count of cases (test/support/property-runs.ts): `npm run test:slow`
 * runs these files again with KORUS_PROPERTY_RUNS=full, at each property's full count.
 */
export const PROPERTY_TESTS = [
  // 5 facts per form in npm test, 20 here.
  "test/integration/fact-edit-property.test.ts",
  // 250 blocks in npm test, 1,000 here.
  "test/unit/slack/rich-text.test.ts",
];
