import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { describeOwner, isOwnerAlive, LOCK_FILE, type OwnerInfo, processStartTime, tryLockDataFolder } from "../../../src/db/data-folder-lock.js";
import { PROJECT_ROOT } from "../../support/processes.js";

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
});

/** A process that just stays alive, to stand for another owner. */
function sleeper(): ChildProcess {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  children.push(child);
  return child;
}

function lockNaming(pid: number, extra: Partial<OwnerInfo> = {}): OwnerInfo {
  return { pid, startTime: processStartTime(pid), host: hostname(), role: "bot", command: "korus-bot", since: "2026-12-02T12:00:01.000Z", socket: null, ...extra };
}

const folder = () => mkdtempSync(path.join(tmpdir(), "korus-lock-"));

describe("the data folder's lock", () => {
  it("is taken by the first process and names it; released, it is gone", () => {
    const dir = folder();
    const first = tryLockDataFolder(dir, "bot", "korus-bot");
    expect(first.acquired).toBe(true);
    if (!first.acquired) return;
    const written = JSON.parse(readFileSync(path.join(dir, LOCK_FILE), "utf8")) as OwnerInfo;
    expect(written).toMatchObject({ pid: process.pid, role: "bot", command: "korus-bot", host: hostname() });
    first.lock.release();
    expect(existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it("is refused while the process named in it runs, and the refusal names that process", async () => {
    const dir = folder();
    const other = sleeper();
    await new Promise((r) => other.once("spawn", r));
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(lockNaming(other.pid!)));
    const attempt = tryLockDataFolder(dir, "bot", "korus-bot");
    expect(attempt.acquired).toBe(false);
    if (attempt.acquired) return;
    expect(attempt.holder.pid).toBe(other.pid);
    expect(describeOwner(attempt.holder)).toBe(`korus-bot (pid ${other.pid}, since 2026-12-02 12:00:01 UTC)`);
  });

  it("is taken over when its owner was killed (SIGKILL leaves the file behind)", async () => {
    const dir = folder();
    const other = sleeper();
    await new Promise((r) => other.once("spawn", r));
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(lockNaming(other.pid!)));
    other.kill("SIGKILL");
    await new Promise((r) => other.once("exit", r));
    const attempt = tryLockDataFolder(dir, "cli", "korus facts add");
    expect(attempt.acquired).toBe(true);
    expect(JSON.parse(readFileSync(path.join(dir, LOCK_FILE), "utf8")).pid).toBe(process.pid);
  });

  it("does not take a reused pid for the owner: the process start time must match too", () => {
    // pid 1 always runs, but it is not the process that wrote this lock.
    const stale = lockNaming(1, { startTime: "123" });
    expect(isOwnerAlive(stale)).toBe(processStartTime(1) === null);
    // In a container the new bot may get the very pid of the old one.
    expect(isOwnerAlive(lockNaming(process.pid, { startTime: "1" }))).toBe(false);
  });

  it("lets exactly one of many processes take over the same stale lock", async () => {
    const dir = folder();
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(lockNaming(2 ** 22 + 17, { startTime: "1" })));
    const script = `
      const { tryLockDataFolder } = await import(${JSON.stringify(path.join(PROJECT_ROOT, "src/db/data-folder-lock.ts"))});
      const r = tryLockDataFolder(process.argv[1], "cli", "racer");
      console.log(r.acquired ? "won" : "lost");
      // Hold the lock until the test ends (it kills the racers): a winner that exited would free the lock for a racer
      // that a loaded machine started late, and that one would win too.
      setInterval(() => {}, 60_000);
    `;
    const racers = Array.from({ length: 6 }, () => {
      const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script, dir], { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "inherit"] });
      children.push(child);
      return new Promise<string>((resolve) => {
        let out = "";
        child.stdout!.on("data", (d) => {
          out += d;
          if (out.includes("\n")) resolve(out.trim());
        });
        child.on("exit", () => resolve(out.trim()));
      });
    });
    const results = await Promise.all(racers);
    expect(results.filter((r) => r === "won")).toHaveLength(1);
    expect(results.filter((r) => r === "lost")).toHaveLength(5);
  }, 60_000);
});
