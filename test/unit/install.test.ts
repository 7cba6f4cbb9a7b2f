/**
 * What an admin installs: the supported Node versions (package.json engines, every package in the lockfile, the
 * Dockerfile's image), the install scripts npm may run (none: allowScripts), .env.example, the Dockerfile (linted with
 * dockerfile-utils, the linter of VS Code's Docker support) and the build context .dockerignore leaves.
 * test/integration/production-install.test.ts builds from that context and runs the result.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { validate } from "dockerfile-utils";
import { describe, expect, it } from "vitest";
import { CONFIG_VARIABLES, loadConfig } from "../../src/config.js";

const require = createRequire(import.meta.url);
const ignore = require("@balena/dockerignore") as typeof import("@balena/dockerignore").default;
const semver = require("semver") as { satisfies(version: string, range: string): boolean; minVersion(range: string): { version: string } | null };

const root = new URL("../../", import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), "utf8");
const pkg = JSON.parse(read("package.json")) as { engines: { node: string }; allowScripts?: Record<string, boolean>; devDependencies: Record<string, string>; overrides: Record<string, unknown> };
const lock = JSON.parse(read("package-lock.json")) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[]; hasInstallScript?: boolean; link?: boolean; resolved?: string }>;
};

/** The first release of each Node line the project supports: 20.19 (tested here), 22 and 24 LTS. */
const SUPPORTED_LINES = ["20.19.0", "22.13.0", "24.0.0"];

describe("Node versions", () => {
  it("package.json engines admits 20.19, 22 and 24 LTS, and nothing older", () => {
    for (const version of SUPPORTED_LINES) expect(semver.satisfies(version, pkg.engines.node), version).toBe(true);
    for (const version of ["18.20.0", "20.18.3", "22.12.0", "23.11.0"]) expect(semver.satisfies(version, pkg.engines.node), version).toBe(false);
  });

  it("no package in the lockfile declares an engine one of those versions lacks (npm would warn EBADENGINE)", () => {
    const unsupported = Object.entries(lock.packages).flatMap(([where, p]) => {
      const range = !Array.isArray(p.engines) ? p.engines?.node : undefined;
      if (!where || !range) return [];
      const failing = SUPPORTED_LINES.filter((version) => !semver.satisfies(version, range));
      return failing.length > 0 ? [`${where}@${p.version ?? "?"} wants node ${range}: not ${failing.join(", ")}`] : [];
    });
    expect(unsupported).toEqual([]);
  });

  it("prisma's @prisma/streams-local (Node 22+, for `prisma dev` only) is the local stub, not the registry's", () => {
    const entry = lock.packages["node_modules/@prisma/streams-local"];
    expect(entry).toMatchObject({ link: true, resolved: "scripts/prisma-streams-local-stub" });
    expect(Object.keys(lock.packages).filter((k) => k.endsWith("/@prisma/streams-local") && !lock.packages[k]!.link)).toEqual([]);
  });

  it("the Dockerfile runs on a Node LTS image the engines admit", () => {
    const images = [...read("Dockerfile").matchAll(/^FROM\s+node:(\d+)(?:\.\d+)*-(\S+)/gm)];
    expect(images.length).toBe(2);
    for (const [, major, variant] of images) {
      expect(["22", "24"]).toContain(major);
      expect(variant).toMatch(/^(bookworm|trixie)-slim\b/);
      expect(semver.satisfies(`${major}.13.0`, pkg.engines.node)).toBe(true);
    }
  });
});

describe("install scripts (npm 11 allowScripts)", () => {
  const withScripts = Object.entries(lock.packages)
    .filter(([where, p]) => where && p.hasInstallScript)
    .map(([where]) => where.slice(where.lastIndexOf("node_modules/") + "node_modules/".length));

  it("every dependency that carries one has an entry, so that npm install prints no warning", () => {
    expect(withScripts.length).toBeGreaterThan(0);
    expect(Object.keys(pkg.allowScripts ?? {}).sort()).toEqual([...new Set(withScripts)].sort());
  });

  it("none is allowed: the build needs none of them (esbuild's JS API finds its platform package, prisma generate runs offline)", () => {
    expect(Object.values(pkg.allowScripts ?? {})).toEqual(withScripts.map(() => false));
  });
});

/** The lines of .env.example that set a variable, commented out or not. */
function envLines(): Array<{ name: string; value: string; commented: boolean }> {
  return read(".env.example")
    .split("\n")
    .flatMap((line) => {
      const m = /^(# )?([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
      return m ? [{ name: m[2]!, value: m[3]!, commented: m[1] !== undefined }] : [];
    });
}

describe(".env.example", () => {
  const lines = envLines();
  const BASE = { SLACK_BOT_TOKEN: "xoxb-1-2-env-example", SLACK_SIGNING_SECRET: "env-example-secret" };

  it("lists every variable the bot reads, and POSTGRES_PASSWORD for compose.yaml", () => {
    const named = new Set(lines.map((l) => l.name));
    expect(CONFIG_VARIABLES.filter((v) => !named.has(v))).toEqual([]);
    expect(named.has("POSTGRES_PASSWORD")).toBe(true);
    expect(read("compose.yaml")).toContain("${POSTGRES_PASSWORD:?");
  });

  it("sets only the lines to fill in, empty; every default is a comment, so the image's KORUS_DATA_DIR=/data stands", () => {
    expect(lines.filter((l) => !l.commented)).toEqual([
      { name: "SLACK_BOT_TOKEN", value: "", commented: false },
      { name: "SLACK_SIGNING_SECRET", value: "", commented: false },
      { name: "POSTGRES_PASSWORD", value: "", commented: false },
    ]);
    expect(lines.find((l) => l.name === "KORUS_DATA_DIR")).toEqual({ name: "KORUS_DATA_DIR", value: "./data", commented: true });
  });

  it("shows values the bot accepts, and the real default where it shows one", () => {
    const defaults = loadConfig(BASE);
    for (const line of lines.filter((l) => l.commented && (CONFIG_VARIABLES as readonly string[]).includes(l.name))) {
      const extra = line.name === "SLACK_BOT_ID" ? { SLACK_BOT_USER_ID: "U012ABCDEF" } : {};
      expect(() => loadConfig({ ...BASE, ...extra, [line.name]: line.value }), `${line.name}=${line.value}`).not.toThrow();
    }
    const same = (name: string) => expect(loadConfig({ ...BASE, [name]: lines.find((l) => l.name === name)!.value }), name).toEqual(defaults);
    for (const name of ["PORT", "KORUS_DATA_DIR", "KORUS_TZ", "KORUS_REMINDER_LEAD_HOURS", "KORUS_WATCH_TEMPLATES", "LOG_LEVEL"]) same(name);
  });
});

describe("the Dockerfile", () => {
  const dockerfile = read("Dockerfile");

  it("has no problem dockerfile-utils finds", () => {
    expect(validate(dockerfile).map((d) => `line ${d.range.start.line + 1}: ${d.message}`)).toEqual([]);
  });

  it("runs the bot as node, on a /data owned by node with mode 0700, which KORUS_DATA_DIR names", () => {
    const runtime = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));
    expect(runtime).toMatch(/install -d -o node -g node -m 0700 \/data\b/);
    expect(runtime).toMatch(/^USER node$/m);
    expect(runtime).toMatch(/KORUS_DATA_DIR=\/data\b/);
    expect(runtime).toMatch(/^VOLUME \["\/data"\]$/m);
  });
});

describe("the build context (.dockerignore)", () => {
  const rules = ignore().add(read(".dockerignore"));
  const tracked = execFileSync("git", ["ls-files"], { cwd: root, encoding: "utf8" }).split("\n").filter(Boolean);
  const context = tracked.filter((f) => !rules.ignores(f));

  it("holds what the build reads: the packages' lists, the sources, the build scripts, and every file npm pack ships", () => {
    for (const file of [
      "package.json",
      "package-lock.json",
      "tsconfig.json",
      "prisma.config.ts",
      "src/main.ts",
      "scripts/generate.mjs",
      "scripts/build.mjs",
      "scripts/install-production.sh",
      "scripts/prisma-streams-local-stub/package.json",
      "prisma/schema.prisma",
      "manifest.yml",
      ".env.example",
      "README.md",
      "bin/korus.js",
    ]) {
      expect(context, file).toContain(file);
    }
    // package.json "files": what npm pack ships from the sources (dist/ is built in the context).
    const shipped = (pkg as unknown as { files: string[] }).files.filter((entry) => !entry.startsWith("!") && !entry.startsWith("dist"));
    for (const entry of shipped) {
      const files = tracked.filter((f) => f === entry || f.startsWith(`${entry}/`));
      expect(files.length, entry).toBeGreaterThan(0);
      expect(
        files.filter((f) => rules.ignores(f)),
        entry,
      ).toEqual([]);
    }
  });

  it("leaves out what is local or secret: .env, data, node_modules, dist, generated code, logs, tests, git", () => {
    for (const file of [
      ".env",
      ".env.local",
      "data/PG_VERSION",
      "node_modules/pg/package.json",
      "dist/main.js",
      "src/generated/prisma/client.ts",
      "isolate-0x1-2-v8.log",
      "coverage/index.html",
      ".git/config",
      "test/unit/install.test.ts",
      "bench/run.ts",
      ".ci/run",
      "compose.yaml",
    ]) {
      expect(rules.ignores(file), file).toBe(true);
    }
  });
});
