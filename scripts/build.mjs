// `npm run build` (also run by `npm install` through `prepare`): bundles the bot, the korus command and the image
// builder from src/ into dist/ with esbuild (one file each plus shared chunks, so that starting loads a handful of
// files instead of a thousand modules), then makes the prebuilt database image unless it is up to date.
// Type checking is `npm run typecheck` (tsc), part of `npm test`.
// `--if-changed` (`npm test`, `npm run test:slow`): the bundling is skipped when dist/ was bundled from exactly the files
// it would read now (same contents, same build script, same package-lock.json and tsconfig.json); the image is still
// checked. On a fresh clone `npm install` has just bundled, so the tests' build costs about a second instead of 5-6 s
// of CPU (and 10-30 s of waiting on a loaded machine).
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as esbuild from "esbuild";

const started = performance.now();
// What the last bundling read and wrote, and the hash of it all (written below, after a bundling).
const STAMP = "dist/.build-inputs.json";
const CONFIG_FILES = ["scripts/build.mjs", "package-lock.json", "tsconfig.json"];

/** The hash of the build's configuration and of every file it read; undefined when one of them is gone. */
function inputsHash(files) {
  const hash = createHash("sha256").update(esbuild.version);
  for (const file of [...CONFIG_FILES, ...files]) {
    if (!existsSync(file)) return undefined;
    hash.update(`\0${file}\0`).update(readFileSync(file));
  }
  return hash.digest("hex");
}

function upToDate() {
  if (!existsSync(STAMP)) return false;
  const stamp = JSON.parse(readFileSync(STAMP, "utf8"));
  return stamp.outputs.every((file) => existsSync(file)) && inputsHash(stamp.inputs) === stamp.hash;
}

if (process.argv.includes("--if-changed") && upToDate()) {
  console.error(`build: dist/ is up to date with what it is built from (checked in ${((performance.now() - started) / 1000).toFixed(1)} s); not bundled again`);
  const image = spawnSync(process.execPath, ["dist/build-image.js"], { stdio: "inherit" });
  process.exit(image.status ?? 1);
}
// Packages that find files of their own beside their code (WebAssembly, worker scripts) or load optional native
// modules stay in node_modules and are imported from there.
const external = ["@electric-sql/pglite", "@resvg/resvg-js", "vega", "vega-lite", "@prisma/client", "@prisma/adapter-pg", "pglite-prisma-adapter", "pg", "pino", "pino-pretty"];
// A clean dist/ but for the database image, which takes seconds to make and is remade only when needed.
const KEEP = new Set(["db-image", "db-image.json", "db-image.tar.gz"]);
for (const entry of existsSync("dist") ? readdirSync("dist") : []) if (!KEEP.has(entry)) rmSync(`dist/${entry}`, { recursive: true, force: true });
// Modules Bolt requires when it loads but korus-bot needs only sometimes: each is replaced by a small stand-in
// (scripts/lazy/) that loads it from node_modules on first use. Socket Mode (with undici) only in Socket Mode; raw-body (with
// iconv-lite's tables) only if Bolt reads a body itself.
const LAZY = { "@slack/socket-mode": "scripts/lazy/socket-mode.cjs", "raw-body": "scripts/lazy/raw-body.cjs" };
const lazyModules = {
  name: "lazy-modules",
  setup(build) {
    build.onResolve({ filter: /^(@slack\/socket-mode|raw-body)$/ }, (args) => {
      // The stand-in's own require gets the real module, from node_modules (not bundled: not even parsed at start).
      if (args.importer.includes("/scripts/lazy/")) return { path: args.path, external: true };
      return { path: new URL(`../${LAZY[args.path]}`, import.meta.url).pathname };
    });
  },
};
// Prisma's query compiler is read from its base64 module's file instead of importing that module, whose 2.2 MB string
// would stay in the heap twice for the life of the process (src/db/query-compiler-wasm.ts).
const GENERATED_CLASS = /src\/generated\/prisma\/internal\/class\.ts$/;
const QUERY_COMPILER_IMPORT = 'await import("@prisma/client/runtime/query_compiler_small_bg.postgresql.wasm-base64.mjs")';
const queryCompilerFromFile = {
  name: "query-compiler-from-file",
  setup(build) {
    build.onLoad({ filter: GENERATED_CLASS }, async (args) => {
      const source = readFileSync(args.path, "utf8");
      if (!source.includes(QUERY_COMPILER_IMPORT)) throw new Error(`${args.path}: the query compiler import changed; update scripts/build.mjs`);
      const reader = new URL("../src/db/query-compiler-wasm.ts", import.meta.url).pathname;
      const contents = `import { readQueryCompilerWasm as __readQueryCompilerWasm } from ${JSON.stringify(reader)};\n${source.replace(QUERY_COMPILER_IMPORT, "__readQueryCompilerWasm()")}`;
      return { contents, loader: "ts" };
    });
  },
};
const result = await esbuild.build({
  plugins: [lazyModules, queryCompilerFromFile],
  entryPoints: { main: "src/main.ts", korus: "src/cli/entry.ts", "build-image": "src/db/build-image.ts" },
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external,
  chunkNames: "chunks/[name]-[hash]",
  // Whitespace and comments out (names kept): V8 keeps every loaded module's source text for the life of the process,
  // and one non-Latin-1 character in a comment (an em dash) stores a whole chunk's source in two bytes a character.
  // Measured in the bot's heap snapshot after the bench's load (issue 25): script sources in the heap 7.9 -> 4.0 MiB, all strings 10.4 -> 6.3 MiB.
  minifyWhitespace: true,
  sourcemap: "linked",
  metafile: true,
  logLevel: "warning",
  // CommonJS packages inside an ES module bundle still call require() for Node's own modules.
  banner: { js: 'import { createRequire as __korusRequire } from "node:module"; const require = __korusRequire(import.meta.url);' },
});
const bytes = Object.entries(result.metafile.outputs)
  .filter(([file]) => file.endsWith(".js"))
  .reduce((sum, [, o]) => sum + o.bytes, 0);
const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.includes(":"));
writeFileSync(STAMP, JSON.stringify({ hash: inputsHash(inputs), inputs, outputs: Object.keys(result.metafile.outputs) }));
console.error(`build: bundled src/ into dist/ in ${((performance.now() - started) / 1000).toFixed(1)} s (${(bytes / 1024 / 1024).toFixed(1)} MB of JavaScript)`);
const image = spawnSync(process.execPath, ["dist/build-image.js"], { stdio: "inherit" });
process.exit(image.status ?? 1);
