import v8 from "node:v8";

/**
 * Compile WebAssembly (PGlite's PostgreSQL, Prisma's query compiler) on the main thread when it is instantiated,
 * instead of in the background: measured here, opening the embedded database left the event loop stalled for about
 * 300 ms after PGlite was ready while background compile threads finished, and a synchronous compile takes less in all
 * (a first query answered ~250 ms sooner). Imported first by the entry points, before any WebAssembly is compiled.
 */
const NO_ASYNC_COMPILE = "--no-wasm-async-compilation";

/**
 * WebAssembly stays in Liftoff, V8's baseline compiler: it is never recompiled by TurboFan. By default V8 recompiles
 * every hot PostgreSQL function on background threads, which cost 1.6-1.8 s of CPU at each start and kept about
 * 40 MiB of optimized code resident for as long as the process runs. Measured on the shared two-core machine under
 * load (issue 25; bench --quick, the bot alone with and without the flag, alternating): resident memory after the
 * status load 172.4 / 173.0 MiB against 210.4 / 235.7, cold start to the first status 5.4 / 5.5 s against
 * 8.0 / 9.4 s, and the steady state of PostgreSQL's work no slower (a third import of 3,000 facts in one process:
 * 4.3 / 3.5 s against 5.3 / 5.7 s; the recompiling competes with the queries for the CPU). `--no-wasm-tier-up`
 * alone did not stop the recompiling (dynamic tiering goes on).
 * Its cost: PostgreSQL's hot loops stay in baseline code. On a quiet machine, one run each, the bench's 100,000-fact
 * import took 54.5 s against 43.0 s without the flag (target: under 60 s) and ranked search p95 was 84 against 65 ms;
 * that was the import path of then, every line staged and copied. On today's (a file too big to check for duplicates
 * is written once; a full bench read 35.7 s with the flag), `--only=store` at full size under load (load average 5-8,
 * other engineers' work), alternating with `KORUS_BENCH_TIER_UP=1` (the bench's process without the flag): the import
 * 64.8 and 50.6 s against 59.3 and 47.7 s, search p95 165 and 86 ms against 149 and 86, the bare insert beside it
 * 26.0 and 17.1 s against 14.5 and 12.7: the flag costs the import about a tenth now.
 * A larger tiering budget instead (`--wasm-tiering-budget` 18,000,000 or 90,000,000) kept the import at 41 s but left
 * resident memory after the status load at 225-226 MiB, over the 220 MiB target, against 172.5 MiB with this flag.
 */
const LIFTOFF_ONLY = "--liftoff-only";

/** The flags, for a process that must run as the bot does (the bench's memory floor). */
export const V8_FLAGS: readonly string[] = [NO_ASYNC_COMPILE, LIFTOFF_ONLY];
for (const flag of V8_FLAGS) v8.setFlagsFromString(flag);
