// The floor of the bot's memory on the embedded database: node with PGlite alone on the same data folder, opened with
// the bot's start parameters (shared_buffers...), reading every fact once as the bot's status and search do. Prints
// "rss N" (bytes) and exits. Arguments: the data folder, then the start parameters as JSON (from pgliteOptions()).
import { readFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";

const [dataDir, params] = process.argv.slice(2);
const pglite = await PGlite.create(dataDir, { startParams: JSON.parse(params) });
await pglite.query("SELECT count(*), max(title), max(summary) FROM fact");
await new Promise((r) => setTimeout(r, 500));
const rss = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))[1]) * 1024;
console.log(`rss ${rss}`);
await pglite.close();
