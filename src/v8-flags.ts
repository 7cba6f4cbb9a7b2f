import v8 from "node:v8";

/**
 * Compile WebAssembly (PGlite's PostgreSQL, Prisma's query compiler) on the main thread when it is instantiated,
 * instead of in the background: measured here, opening the embedded database left the event loop stalled for about
 * 300 ms after PGlite was ready while background compile threads finished, and a synchronous compile takes less in all
 * (a first query answered ~250 ms sooner). Imported first by the entry points, before any WebAssembly is compiled.
 */
v8.setFlagsFromString("--no-wasm-async-compilation");

/**
 * WebAssembly stays in Liftoff, V8's baseline compiler: it is never recompiled by TurboFan. By default V8 recompiles
 * every hot PostgreSQL function on background threads, which cost 1.6-1.8 s of CPU at each start and kept about
 * 40 MiB of optimized code resident for as long as the process runs. Measured on the shared two-core machine under
 * load (issue 25; bench --quick, the bot alone with and without the flag, alternating): resident memory after the
 * status load 172.4 / 173.0 MiB against 210.4 / 235.7, cold start to the first status 5.4 / 5.5 s against
 * 8.0 / 9.4 s, and the steady state of PostgreSQL's work no slower (a third import of 3,000 facts in one process:
 * 4.3 / 3.5 s against 5.3 / 5.7 s; the recompiling competes with the queries for the CPU). `--no-wasm-tier-up`
 * alone did not stop the recompiling (dynamic tiering goes on).
 */
v8.setFlagsFromString("--liftoff-only");
