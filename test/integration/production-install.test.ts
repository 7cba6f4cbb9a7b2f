/**
 * The container image, built and run without Docker, as far as that goes: the build context .dockerignore leaves
 * (copied from the checkout), the Dockerfile's build-stage RUN commands in it (npm ci of the lockfile, prepare, npm
 * pack), scripts/install-production.sh into an empty folder (production dependencies only, no npm warning), then the
 * Dockerfile's CMD with its ENV, as an unprivileged user (when the test runs as root) on a data folder that user owns
 * with mode 0700, as the image's /data: /healthz, a signed `/korus status`, and the installed korus command.
 * Needs the npm registry (or npm's cache) for the dependencies.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { FakeSlackApi } from "../support/fake-slack-api.js";
import { cleanEnv, PROJECT_ROOT, type ProcessUser, run, startProcess } from "../support/processes.js";
import { SlackClient } from "../support/signed-request.js";

const require = createRequire(import.meta.url);
const ignore = require("@balena/dockerignore") as typeof import("@balena/dockerignore").default;

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

/** One stage of the Dockerfile: its RUN commands (continuation lines joined), ENV pairs and CMD. */
interface Stage {
  run: string[];
  env: Record<string, string>;
  cmd?: string[];
}

function dockerfileStages(text: string): Stage[] {
  const instructions = text
    .replace(/\\\n/g, " ")
    .split("\n")
    .filter((line) => line.trim() && !line.trimStart().startsWith("#"));
  const stages: Stage[] = [];
  for (const line of instructions) {
    const [, keyword, rest] = /^(\w+)\s+(.*)$/.exec(line.trim()) ?? [];
    if (keyword === "FROM") stages.push({ run: [], env: {} });
    const stage = stages.at(-1);
    if (!stage || !rest) continue;
    if (keyword === "RUN") stage.run.push(rest.replace(/\s+/g, " "));
    if (keyword === "ENV") for (const [, key, value] of rest.matchAll(/(\w+)=(\S+)/g)) stage.env[key!] = value!;
    if (keyword === "CMD") stage.cmd = JSON.parse(rest) as string[];
  }
  return stages;
}

/** The checkout's files the build context holds (untracked ones too, as `docker build` sends them). */
function copyBuildContext(to: string): number {
  const rules = ignore().add(readFileSync(path.join(PROJECT_ROOT, ".dockerignore"), "utf8"));
  const files = execFileSync("git", ["ls-files", "-co", "--exclude-standard"], { cwd: PROJECT_ROOT, encoding: "utf8" })
    .split("\n")
    .filter((f) => f && !rules.ignores(f) && existsSync(path.join(PROJECT_ROOT, f)));
  for (const file of files) cpSync(path.join(PROJECT_ROOT, file), path.join(to, file));
  return files.length;
}

describe("the production install, as the Dockerfile builds and runs it", () => {
  it("builds from the .dockerignore'd context, installs with production dependencies only and no warning, and serves Slack from there as an unprivileged user", async () => {
    const [build, runtime] = dockerfileStages(readFileSync(path.join(PROJECT_ROOT, "Dockerfile"), "utf8"));
    expect(build!.run[0]).toMatch(/^npm ci /);
    expect(runtime!.cmd).toBeDefined();
    const work = mkdtempSync(path.join(tmpdir(), "korus-prod-"));
    // About 1.1 GB (context, tarball, node_modules, data): kept only while the test runs, or every run fills the disk.
    // Removing some 60,000 files can take minutes on a loaded machine.
    onTestFinished(() => rm(work, { recursive: true, force: true }), 300_000);
    chmodSync(work, 0o755);

    // The build stage: its RUN commands, in order, in a copy of the build context (/pkg is a folder of the test's).
    const context = path.join(work, "context");
    const pkgDir = path.join(work, "pkg");
    const copied = copyBuildContext(context);
    const buildStarted = performance.now();
    const buildOutput = build!.run
      .map((command) => execFileSync("sh", ["-c", `{ ${command.replaceAll("/pkg", pkgDir)}; } 2>&1`], { cwd: context, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }))
      .join("");
    const buildSeconds = (performance.now() - buildStarted) / 1000;
    expect(buildOutput).toContain("database image made");
    // npm ci of the lockfile, as `docker build` runs it: no warning (engines, install scripts).
    expect(buildOutput).not.toMatch(/npm warn|npm WARN/);
    const tarball = readdirSync(pkgDir).find((f) => f.endsWith(".tgz"))!;
    const files = execFileSync("tar", ["-tzf", path.join(pkgDir, tarball)], { encoding: "utf8" })
      .split("\n")
      .map((f) => f.replace(/^package\//, ""));
    expect(files).toContain("dist/main.js");
    expect(files).toContain("dist/db-image/PG_VERSION");
    expect(files).toContain("prisma/migrations/20261129000000_init/migration.sql");
    expect(files.some((f) => f.startsWith("src/") || f.startsWith("test/"))).toBe(false);

    // The runtime stage: install-production.sh as its RUN does, with every line npm prints kept.
    const app = path.join(work, "app");
    const installStarted = performance.now();
    const install = await run("sh", [path.join(context, "scripts/install-production.sh"), path.join(pkgDir, tarball), app], { env: process.env, timeoutMs: 240_000 });
    const installSeconds = (performance.now() - installStarted) / 1000;
    expect(install.code, install.stderr).toBe(0);
    expect(`${install.stdout}${install.stderr}`).not.toMatch(/npm warn|npm WARN/);
    const modules = path.join(app, "node_modules");
    for (const dev of ["typescript", "vitest", "prisma", "tsx", "@prisma/prisma-schema-wasm"]) expect(existsSync(path.join(modules, dev))).toBe(false);
    // docx's nanoid as tested (5, not 6, which wants Node 22): the package's overrides reach the deployment.
    expect((JSON.parse(readFileSync(path.join(modules, "nanoid/package.json"), "utf8")) as { version: string }).version).toMatch(/^5\./);

    // The image's /data: owned by the user the bot runs as, mode 0700 (`install -d -o node -g node -m 0700 /data`).
    const user: ProcessUser | undefined = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;
    const dataDir = path.join(work, "data");
    mkdirSync(dataDir, { mode: 0o700 });
    if (user) chownSync(dataDir, user.uid, user.gid);
    const env = cleanEnv({ ...runtime!.env, KORUS_DATA_DIR: dataDir, PORT: "0", SLACK_BOT_TOKEN: "xoxb-production-install", SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl, HOME: work });
    expect(runtime!.env).toMatchObject({ NODE_ENV: "production", KORUS_DATA_DIR: "/data" });

    const [command, ...args] = runtime!.cmd!;
    expect(command).toBe("node");
    const started = performance.now();
    const bot = await startProcess(process.execPath, args, { cwd: app, env, ready: /serving Slack over HTTP on port (\d+)/, ...(user ? { user } : {}) });
    try {
      const baseUrl = `http://127.0.0.1:${bot.match[1]}`;
      expect((await fetch(`${baseUrl}/healthz`)).status).toBe(200);
      const readySeconds = (performance.now() - started) / 1000;
      expect((await fetch(`${baseUrl}/readyz`)).status).toBe(200);
      const ack = await new SlackClient(baseUrl, SECRET, { responseUrl: fake.responseUrl("prod") }).command("status as-of 2017-07-20");
      expect(ack.status).toBe(200);
      expect(JSON.stringify(ack.json)).toContain("22 days left");
      // The data folder is the bot user's alone, and the database is in it.
      expect(statSync(dataDir).mode & 0o777).toBe(0o700);
      if (user) expect(readdirSync(dataDir).filter((f) => statSync(path.join(dataDir, f)).uid !== user.uid)).toEqual([]);
      // The korus command of the installed package goes through the running bot.
      const cli = await run(path.join(modules, ".bin/korus"), ["facts", "search", "special", "session"], {
        cwd: app,
        env: cleanEnv({ KORUS_DATA_DIR: dataDir, HOME: work }),
        ...(user ? { user } : {}),
      });
      expect(cli.stderr).toBe("");
      expect(cli.stdout).toContain("special session");
      console.log(
        `[production-install] context ${copied} files; build stage ${buildSeconds.toFixed(1)} s; tarball ${tarball}: ${mib(statSync(path.join(pkgDir, tarball)).size)} (${files.length} files); ` +
          `installed in ${installSeconds.toFixed(1)} s, node_modules ${mib(folderBytes(modules))}; ${user ? `as uid ${user.uid}, ` : ""}bot started to /healthz 200 in ${readySeconds.toFixed(2)} s on Node ${process.versions.node}`,
      );
    } finally {
      bot.signal("SIGTERM");
    }
    expect((await bot.exited).code).toBe(0);
  }, 480_000);
});
