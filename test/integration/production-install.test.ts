/**
 * The production install, as the Dockerfile does it: `npm pack`, then scripts/install-production.sh into an empty
 * folder (production dependencies only), then the compiled bot started there, answering /healthz and a signed
 * `/korus status`. No image can be built on these machines, so this is what keeps the Dockerfile honest.
 * Needs the npm registry (or npm's cache) for the dependencies.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { cleanEnv, PROJECT_ROOT, run, startProcess } from "../support/processes.js";
import { SlackClient } from "../support/signed-request.js";

const SECRET = "production-install-signing-secret";
let fake: FakeSlackApi;
beforeAll(async () => {
  fake = await new FakeSlackApi().start();
});
afterAll(async () => {
  await fake.stop();
});

/** Bytes in a folder, counted as du would (apparent sizes). */
function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += folderBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

describe("the production install", () => {
  it("packs, installs with production dependencies only into an empty folder, and serves Slack from there", async () => {
    const work = mkdtempSync(path.join(tmpdir(), "korus-prod-"));
    // dist/ is built already (npm test builds first); packing does not build again.
    const packed = JSON.parse(execFileSync("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", work], { cwd: PROJECT_ROOT, encoding: "utf8" })) as Array<{ filename: string; size: number; unpackedSize: number; entryCount: number; files: Array<{ path: string }> }>;
    const pkg = packed[0]!;
    const files = pkg.files.map((f) => f.path);
    expect(files).toContain("dist/main.js");
    expect(files).toContain("dist/db-image/PG_VERSION");
    expect(files).toContain("prisma/migrations/20261129000000_init/migration.sql");
    expect(files.some((f) => f.startsWith("src/") || f.startsWith("test/"))).toBe(false);
    // Every file of the database image ships (PostgreSQL needs them all; a files pattern once dropped pg_filenode.map).
    const imageFiles = (function list(dir: string, prefix: string): string[] {
      return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? list(path.join(dir, e.name), `${prefix}${e.name}/`) : [`${prefix}${e.name}`]));
    })(path.join(PROJECT_ROOT, "dist/db-image"), "dist/db-image/");
    expect(imageFiles.filter((f) => !files.includes(f))).toEqual([]);

    const app = path.join(work, "app");
    const installStarted = performance.now();
    execFileSync("sh", [path.join(PROJECT_ROOT, "scripts/install-production.sh"), path.join(work, pkg.filename), app], { encoding: "utf8", stdio: "pipe" });
    const installSeconds = (performance.now() - installStarted) / 1000;
    const modules = path.join(app, "node_modules");
    for (const dev of ["typescript", "vitest", "prisma", "tsx", "@prisma/prisma-schema-wasm"]) expect(existsSync(path.join(modules, dev))).toBe(false);
    const installed = JSON.parse(readFileSync(path.join(modules, "korus-bot/package.json"), "utf8")) as { version: string };
    expect(installed.version).toMatch(/^\d+\.\d+\.\d+$/);

    const dataDir = path.join(work, "data");
    const started = performance.now();
    const bot = await startProcess(process.execPath, ["node_modules/korus-bot/dist/main.js"], {
      cwd: app,
      env: cleanEnv({ KORUS_DATA_DIR: dataDir, SLACK_BOT_TOKEN: "xoxb-production-install", SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, PORT: "0" }),
      ready: /serving Slack over HTTP on port (\d+)/,
    });
    try {
      const baseUrl = `http://127.0.0.1:${bot.match[1]}`;
      expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
      const readySeconds = (performance.now() - started) / 1000;
      expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);
      const ack = await new SlackClient(baseUrl, SECRET, { responseUrl: fake.responseUrl("prod") }).command("status as-of 2017-07-20");
      expect(ack.status).toBe(200);
      expect(JSON.stringify(ack.json)).toContain("22 days left");
      // The korus command of the installed package goes through the running bot.
      const cli = await run(path.join(modules, ".bin/korus"), ["facts", "search", "special", "session"], { cwd: app, env: cleanEnv({ KORUS_DATA_DIR: dataDir }) });
      expect(cli.stderr).toBe("");
      expect(cli.stdout).toContain("special session");
      console.log(
        `[production-install] tarball ${pkg.filename}: ${mib(pkg.size)} (${pkg.entryCount} files, ${mib(pkg.unpackedSize)} unpacked); ` +
          `installed in ${installSeconds.toFixed(1)} s, node_modules ${mib(folderBytes(modules))}; bot started to /healthz 200 in ${readySeconds.toFixed(2)} s`,
      );
    } finally {
      bot.signal("SIGTERM");
    }
    expect((await bot.exited).code).toBe(0);
  }, 240_000);
});
