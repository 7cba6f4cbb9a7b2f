/**
 * What the bot loads before it can answer its first `/korus status` (issue 25: cold start under 2 s, resident memory
 * under 220 MiB): the modules main.ts, serve.ts and the database's opening import statically, read from esbuild's
 * metafile as the build bundles them. Code a status never needs is loaded on first use instead; a failure names the
 * chain of imports that brought a package back into the start.
 */
import * as esbuild from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;
/** Where the bot starts: main.ts, and what it imports as the database opens and Slack is served. */
const START = ["src/main.ts", "src/serve.ts", "src/db/ready.ts"];
/** Packages loaded on first use, and where they are loaded then. */
const LATER: Record<string, string> = {
  feedsmith: "src/feeds/parse.ts, when a feed is fetched",
  "sanitize-html": "src/feeds/parse.ts and src/sources/readable.ts, when a feed or a page is read",
  "chrono-node": "src/feeds/parse.ts, when a feed is fetched",
  "ical-generator": "src/calendar/http.ts, with the first GET /calendar/<token>.ics",
};

/** For every module reached from START by static imports (and CommonJS requires), the module that imported it. */
let importer: Map<string, string | null>;

beforeAll(async () => {
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: START,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outdir: "/nonexistent",
    write: false,
    metafile: true,
    logLevel: "silent",
    // The packages scripts/build.mjs leaves in node_modules are not followed.
    packages: "bundle",
    external: ["@electric-sql/pglite", "@resvg/resvg-js", "vega", "vega-lite", "@prisma/client", "@prisma/adapter-pg", "pglite-prisma-adapter", "pg", "pino", "pino-pretty"],
  });
  const inputs = result.metafile.inputs;
  importer = new Map(START.map((s) => [s, null]));
  const queue = [...START];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const i of inputs[file]?.imports ?? []) {
      if (i.external || (i.kind !== "import-statement" && i.kind !== "require-call") || importer.has(i.path)) continue;
      importer.set(i.path, file);
      queue.push(i.path);
    }
  }
}, 120_000);

/** "src/serve.ts -> src/feeds/feeds.ts -> node_modules/feedsmith/..." for the first module of `pkg` reached, if any. */
function chainTo(pkg: string): string | undefined {
  const hit = [...importer.keys()].find((file) => file.includes(`node_modules/${pkg}/`));
  if (!hit) return undefined;
  const chain: string[] = [];
  for (let file: string | null | undefined = hit; file; file = importer.get(file)) chain.unshift(file);
  return chain.join(" -> ");
}

describe("what the bot loads before its first status", () => {
  it("finds what it looks for: Bolt and the scheduler's croner are loaded at start", () => {
    expect(chainTo("@slack/bolt")).toMatch(/^src\/serve\.ts -> /);
    expect(chainTo("croner")).toMatch(/^src\/serve\.ts -> /);
  });

  it.each(Object.entries(LATER))("does not load %s (loaded by %s)", (pkg) => {
    expect(chainTo(pkg)).toBeUndefined();
  });
});
