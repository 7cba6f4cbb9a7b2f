import { defineConfig } from "vitest/config";
import { PROPERTY_TESTS, SLOW_TESTS } from "./test/slow-tests.js";

// `npm run test:slow`: the multi-process and PostgreSQL suites (test/slow-tests.ts), and the property tests at their
// full count of cases (KORUS_PROPERTY_RUNS=full; `npm test` runs them at a fast count). The PostgreSQL tests skip
// themselves without KORUS_TEST_DATABASE_URL.
export default defineConfig({
  test: {
    include: [...SLOW_TESTS, ...PROPERTY_TESTS],
    env: { KORUS_PROPERTY_RUNS: process.env.KORUS_PROPERTY_RUNS || "full" },
    // These tests spawn whole processes (bots, the CLI, npm), several per test: on a loaded 2-core machine one takes
    // more than the fast suite's 30 s. A timeout is a hang guard here, not a speed check (speed is the bench's).
    testTimeout: 120_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Removing the run's temporary folder (hundreds of data folders) outlasts vitest's 10 s default on a loaded machine.
    teardownTimeout: 120_000,
    // One temporary folder for the run, removed at its end: every test's mkdtemp (data folders, installs) lands in it.
    globalSetup: ["./test/support/run-tmpdir-setup.ts"],
    reporters: ["default", "./test/support/slowest-reporter.ts"],
  },
});
