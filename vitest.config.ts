import { defineConfig } from "vitest/config";
import { SLOW_TESTS } from "./test/slow-tests.js";

// `npm test`: everything but the slow suite (test/slow-tests.ts), which `npm run test:slow` runs (vitest.slow.config.ts).
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", ...SLOW_TESTS],
    // Hang guards, not speed checks (speed is the bench's): PGlite starts in about a second, but on a loaded 2-core machine
    // (load average 16-25, several engineers' suites) the ask evaluation's setup took more than 60 s and a test running
    // the korus command twice more than 30 s, and failed only for that.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Removing the run's temporary folder (hundreds of data folders) outlasts vitest's 10 s default on a loaded machine.
    teardownTimeout: 120_000,
    // Two workers on two cores. Three filled the waits of files that sleep (sockets, timers, Retry-After), but each
    // worker loads every module and makes its first database again, and on a shared machine the third only adds
    // contention: full runs one after the other on this machine (load average 5-8 from other engineers' suites), three
    // workers then two: 156 then 150 CPU-s with 145 then 107 s wall, and 163 then 149 CPU-s with 131 then 122 s wall.
    maxWorkers: 2,
    // Files in one worker share loaded modules (Bolt, Prisma, PGlite's WebAssembly) instead of importing them again for
    // every file: about 30 s of the suite on two cores. Every file builds its own database and bot, and none mocks modules
    // or changes process-wide state, so sharing modules shares nothing a test can see.
    isolate: false,
    // One temporary folder for the run, removed at its end (every test's mkdtemp lands in it); then the seeded test
    // database's dump, made once per run before the workers start (not once per worker).
    globalSetup: ["./test/support/run-tmpdir-setup.ts", "./test/support/seeded-image-setup.ts"],
    reporters: ["default", "./test/support/slowest-reporter.ts"],
    // KORUS_TEST_CPU_LOG=file: one line per test file with the CPU its worker spent (test/support/cpu-probe.ts).
    setupFiles: process.env.KORUS_TEST_CPU_LOG ? ["./test/support/cpu-probe.ts"] : [],
  },
});
