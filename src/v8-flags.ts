import v8 from "node:v8";

/**
 * Compile WebAssembly (PGlite's PostgreSQL, Prisma's query compiler) on the main thread when it is instantiated,
 * instead of in the background: measured here, opening the embedded database left the event loop stalled for about
 * 300 ms after PGlite was ready while background compile threads finished, and a synchronous compile takes less in all
 * (a first query answered ~250 ms sooner); later tier-up of hot code still runs in the background, so queries are not
 * slower. Imported first by the entry points, before any WebAssembly is compiled.
 */
v8.setFlagsFromString("--no-wasm-async-compilation");
