import { PGlite } from "@electric-sql/pglite";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
const req = createRequire(import.meta.url);
const img = await readFile("dist/db-image.tar.gz");
for (let i = 0; i < 3; i++) { const t = performance.now(); const p = await PGlite.create("memory://", { loadDataDir: new Blob([img]) }); await p.query("select 1"); console.log("plain", Math.round(performance.now() - t)); await p.close(); }
const dir = req.resolve("@electric-sql/pglite").replace(/index\.(c?js)$/, "");
const t0 = performance.now();
const wasmModule = await WebAssembly.compile(await readFile(dir + "pglite.wasm"));
console.log("compile", Math.round(performance.now() - t0));
for (let i = 0; i < 3; i++) { const t = performance.now(); const p = await PGlite.create("memory://", { loadDataDir: new Blob([img]), wasmModule }); await p.query("select 1"); console.log("cached", Math.round(performance.now() - t)); await p.close(); }
