import { defineConfig } from "vitest/config";
import { SLOW_TESTS } from "./test/slow-tests.js";

// `npm run test:slow`: the multi-process and PostgreSQL suites (test/slow-tests.ts). The PostgreSQL tests skip
// themselves without KORUS_TEST_DATABASE_URL.
export default defineConfig({
  test: {
    include: SLOW_TESTS,
    // The console and process tests spawn whole processes.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", "./test/support/slowest-reporter.ts"],
  },
});
