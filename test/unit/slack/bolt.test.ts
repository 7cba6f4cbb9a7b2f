/**
 * Pins the Bolt version src/slack/bolt.ts was reviewed against: that file reaches into `@slack/bolt/dist/…`, which is not
 * Bolt's public API. When package.json's @slack/bolt changes, this fails until someone reviews the adapter (the paths,
 * the shapes below) and moves BOLT_VERSION_REVIEWED.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BOLT_BODY_LIMIT, BOLT_VERSION_REVIEWED, isValidBoltRequest, loadBoltClasses } from "../../../src/slack/bolt.js";
import { signature } from "../../support/signed-request.js";

const root = path.resolve(import.meta.dirname, "../../..");
const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
const installed = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@slack/bolt/package.json"), "utf8")) as { version: string };

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return name === "generated" ? [] : sources(full);
    return name.endsWith(".ts") ? [full] : [];
  });
}

describe("Bolt's internals behind src/slack/bolt.ts", () => {
  it("package.json pins the Bolt version the adapter was reviewed against, and that version is installed", () => {
    expect(pkg.dependencies["@slack/bolt"], "@slack/bolt changed: review src/slack/bolt.ts, then move BOLT_VERSION_REVIEWED").toBe(BOLT_VERSION_REVIEWED);
    expect(installed.version).toBe(BOLT_VERSION_REVIEWED);
  });

  it("is the only file that imports @slack/bolt/dist/…", () => {
    const deep = sources(path.join(root, "src"))
      .filter((file) => /from "@slack\/bolt\/dist\/|import\("@slack\/bolt\/dist\//.test(readFileSync(file, "utf8")))
      .map((file) => path.relative(root, file));
    expect(deep).toEqual(["src/slack/bolt.ts"]);
  });

  it("gets the classes, the body limit and the signature check it relies on", async () => {
    const { App, HTTPReceiver } = await loadBoltClasses();
    expect(typeof App).toBe("function");
    expect(typeof App.prototype.start).toBe("function");
    expect(typeof App.prototype.command).toBe("function");
    expect(typeof HTTPReceiver).toBe("function");
    expect(typeof HTTPReceiver.prototype.start).toBe("function");
    expect(typeof HTTPReceiver.prototype.stop).toBe("function");
    // src/slack/request.ts and docs say 4 MB for a signed body, as Bolt's own receiver reads.
    expect(BOLT_BODY_LIMIT).toBe(4 * 1024 * 1024);
  });

  it("the signature check accepts a correctly signed body and refuses a tampered one", () => {
    const secret = "0123456789abcdef0123456789abcdef";
    const body = "token=x&command=%2Fkorus&text=status";
    const now = Math.floor(Date.now() / 1000);
    const check = (raw: string) =>
      isValidBoltRequest({
        signingSecret: secret,
        body: raw,
        headers: { "x-slack-signature": signature(secret, now, body), "x-slack-request-timestamp": now },
        nowMilliseconds: now * 1000,
      });
    expect(check(body)).toBe(true);
    expect(check(`${body}&x=1`)).toBe(false);
  });
});
