import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // PGlite starts in about a second; the console tests spawn whole processes.
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
