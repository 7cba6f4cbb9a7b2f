import { defineConfig } from "vitest/config";
import { SLOW_TESTS } from "./test/slow-tests.js";

// `npm test`: everything but the slow suite (test/slow-tests.ts), which `npm run test:slow` runs (vitest.slow.config.ts).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", ...SLOW_TESTS],
    // PGlite starts in about a second.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    reporters: ["default", "./test/support/slowest-reporter.ts"],
  },
});
