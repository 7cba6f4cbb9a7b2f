import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import net from "node:net";
import { hostname, tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { bootId, describeOwner, LOCK_FILE, type OwnerInfo, ownerState, pidNamespace, processStartTime, processStat, tryLockDataFolder } from "../../../src/db/data-folder-lock.js";
import { canUnshare, onHost, PROJECT_ROOT } from "../../support/processes.js";

const children: ChildProcess[] = [];
const servers: net.Server[] = [];
afterEach(() => {
  for (const c of children.splice(0)) c.kill("SIGKILL");
  for (const s of servers.splice(0)) s.close();
});

/** A process that just stays alive, to stand for another owner. */
function sleeper(): ChildProcess {
  const child = spawn(process.execPath, ["-e", "setTimeout(() => {}, 60000)"], { stdio: "ignore" });
  children.push(child);
  return child;
}

function lockNaming(pid: number, extra: Partial<OwnerInfo> = {}): OwnerInfo {
  return {
    pid,
    startTime: processStartTime(pid),
    host: hostname(),
    bootId: bootId(),
    pidNamespace: pidNamespace(),
    role: "bot",
    command: "korus-bot",
    since: "2026-12-02T12:00:01.000Z",
    socket: null,
    ...extra,
  };
}

const folder = () => mkdtempSync(path.join(tmpdir(), "korus-lock-"));

/** A presence socket in `dir` that answers (a live owner elsewhere) until the test ends. */
async function listening(dir: string, name: string): Promise<string> {
  const server = net.createServer((s) => s.destroy());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(path.join(dir, name), resolve));
  return name;
}

/** Runs `script` (an ES module using the lock) in its own node process; resolves once it printed its first line. */
function lockScript(script: string, args: string[], wrap: string[] = []): { child: ChildProcess; firstLine: Promise<string> } {
  const node = [process.execPath, "--import", "tsx", "--input-type=module", "-e", script, ...args];
  const [command, ...rest] = [...wrap, ...node];
  const child = spawn(command!, rest, { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "inherit"] });
  children.push(child);
  const firstLine = new Promise<string>((resolve) => {
    let out = "";
    child.stdout!.on("data", (d) => {
      out += d;
      if (out.includes("\n")) resolve(out.split("\n")[0]!);
    });
    child.on("exit", () => resolve(out.trim()));
  });
  return { child, firstLine };
}

/** Takes the lock of the folder in argv[1] and keeps it: a bot that was then killed, or is alive elsewhere. */
const HOLDER = `
  const { tryLockDataFolder } = await import(${JSON.stringify(path.join(PROJECT_ROOT, "src/db/data-folder-lock.ts"))});
  const r = await tryLockDataFolder(process.argv[1], "bot", "korus-bot");
  console.log(r.acquired ? "locked " + process.pid : "refused");
  setInterval(() => {}, 60_000);
`;

const lockOf = (dir: string) => JSON.parse(readFileSync(path.join(dir, LOCK_FILE), "utf8")) as OwnerInfo;

describe("the data folder's lock", () => {
  it("is taken by the first process and names it, its host, boot and presence socket; released, all of it is gone", async () => {
    const dir = folder();
    const first = await tryLockDataFolder(dir, "bot", "korus-bot");
    expect(first.acquired).toBe(true);
    if (!first.acquired) return;
    const written = lockOf(dir);
    expect(written).toMatchObject({ pid: process.pid, role: "bot", command: "korus-bot", host: hostname(), bootId: bootId(), pidNamespace: pidNamespace() });
    expect(written.bootId).toMatch(/^[0-9a-f-]{36}$/);
    expect(written.presence).toMatch(/^korus-owner-\d+-[0-9a-f]{12}\.sock$/);
    expect(existsSync(path.join(dir, written.presence!))).toBe(true);
    first.lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it("is refused while the process named in it runs, and the refusal names that process", async () => {
    const dir = folder();
    const other = sleeper();
    await new Promise((r) => other.once("spawn", r));
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(lockNaming(other.pid!)));
    const attempt = await tryLockDataFolder(dir, "bot", "korus-bot");
    expect(attempt.acquired).toBe(false);
    if (attempt.acquired) return;
    expect(attempt.holder.pid).toBe(other.pid);
    expect(attempt.state).toBe("alive");
    expect(describeOwner(attempt.holder)).toBe(`korus-bot (pid ${other.pid}, since 2026-12-02 12:00:01 UTC)`);
    // The refused attempt leaves no presence socket behind.
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
  });

  it("is taken over when its owner was killed (SIGKILL leaves the file behind)", async () => {
    const dir = folder();
    const other = sleeper();
    await new Promise((r) => other.once("spawn", r));
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(lockNaming(other.pid!)));
    other.kill("SIGKILL");
    await new Promise((r) => other.once("exit", r));
    const attempt = await tryLockDataFolder(dir, "cli", "korus facts add");
    expect(attempt.acquired).toBe(true);
    expect(lockOf(dir).pid).toBe(process.pid);
  });

  it("does not take a reused pid for the owner: the process start time must match too", async () => {
    // pid 1 always runs, but it is not the process that wrote this lock.
    const stale = lockNaming(1, { startTime: "123" });
    expect(await ownerState(stale, folder())).toBe(processStartTime(1) === null ? "alive" : "gone");
    // In a container every start may get the same pid: a lock naming this very process is a leftover.
    expect(await ownerState(lockNaming(process.pid, { startTime: "1" }), folder())).toBe("gone");
  });

  it("takes over the lock of a zombie: an owner killed whose parent has not reaped it", async () => {
    const dir = folder();
    // The shell starts the owner, then becomes `sleep`, which never reaps its child: killed, the owner stays a zombie.
    const { child, firstLine } = lockScript(HOLDER, [dir], ["sh", "-c", '"$@" & exec sleep 60', "sh"]);
    const line = await firstLine;
    expect(line).toMatch(/^locked \d+$/);
    const owner = Number(line.split(" ")[1]);
    expect(owner).not.toBe(child.pid);
    expect((await tryLockDataFolder(dir, "bot", "korus-bot")).acquired).toBe(false);
    process.kill(owner, "SIGKILL");
    for (let i = 0; i < 100 && processStat(owner)?.state !== "Z"; i++) await new Promise((r) => setTimeout(r, 20));
    expect(processStat(owner)?.state).toBe("Z");
    expect(lockOf(dir).pid).toBe(owner);
    const attempt = await tryLockDataFolder(dir, "bot", "korus-bot");
    expect(attempt.acquired).toBe(true);
    expect(lockOf(dir).pid).toBe(process.pid);
    // The zombie's presence socket went with its lock.
    expect(readdirSync(dir).filter((f) => f.endsWith(".sock"))).toEqual([lockOf(dir).presence]);
    if (attempt.acquired) attempt.lock.release();
  }, 30_000);

  describe("taken on another host (a new container with another hostname on the same volume)", () => {
    it.skipIf(!canUnshare("--uts"))(
      "is left alone while its owner's socket answers, and taken over once the owner is killed",
      async () => {
        const dir = folder();
        const { child, firstLine } = lockScript(HOLDER, [dir], onHost("container-a"));
        expect(await firstLine).toMatch(/^locked \d+$/);
        expect(lockOf(dir).host).toBe("container-a");
        const refused = await tryLockDataFolder(dir, "bot", "korus-bot");
        expect(refused).toMatchObject({ acquired: false, state: "alive" });
        if (!refused.acquired) expect(describeOwner(refused.holder)).toMatch(/^korus-bot \(pid \d+ on container-a, since /);
        child.kill("SIGKILL");
        await new Promise((r) => child.once("exit", r));
        // Its pid is never asked about (on another host it would mean nothing): the socket no longer answers.
        const attempt = await tryLockDataFolder(dir, "bot", "korus-bot");
        expect(attempt.acquired).toBe(true);
        expect(lockOf(dir)).toMatchObject({ pid: process.pid, host: hostname() });
        if (attempt.acquired) attempt.lock.release();
      },
      30_000,
    );

    it.skipIf(!canUnshare("--pid", "--fork", "--mount-proc"))(
      "is judged by its socket when taken in another pid namespace under the same hostname",
      async () => {
        const dir = folder();
        // As `docker run --hostname korus` twice: the same name, pids of another namespace (the owner is pid 1 there).
        const { child, firstLine } = lockScript(HOLDER, [dir], ["unshare", "--pid", "--fork", "--kill-child", "--mount-proc"]);
        expect(await firstLine).toBe("locked 1");
        expect(lockOf(dir)).toMatchObject({ pid: 1, host: hostname() });
        expect(lockOf(dir).pidNamespace).not.toBe(pidNamespace());
        expect(await tryLockDataFolder(dir, "bot", "korus-bot")).toMatchObject({ acquired: false, state: "alive" });
        child.kill("SIGKILL");
        await new Promise((r) => child.once("exit", r));
        // unshare passes the kill on to the owner (pid 1 there), which ends a moment later. pid 1 runs here too, but it
        // is not that owner: once its socket stops answering, the lock is taken over.
        let attempt = await tryLockDataFolder(dir, "bot", "korus-bot");
        for (let i = 0; i < 50 && !attempt.acquired; i++) {
          await new Promise((r) => setTimeout(r, 100));
          attempt = await tryLockDataFolder(dir, "bot", "korus-bot");
        }
        expect(attempt.acquired).toBe(true);
        if (attempt.acquired) attempt.lock.release();
      },
      30_000,
    );

    it("is judged by a socket in the folder, wherever the folder is mounted there", async () => {
      const dir = folder();
      const elsewhere = { host: "container-a", pid: 1, startTime: "99", bootId: bootId() };
      const live = await listening(dir, "korus-owner-1-0123456789ab.sock");
      expect(await ownerState(lockNaming(1, { ...elsewhere, presence: live }), dir)).toBe("alive");
      // Recorded as a name: a copy of the folder at another path is asked at its own path.
      expect(await ownerState(lockNaming(1, { ...elsewhere, presence: "korus-owner-1-ffffffffffff.sock" }), dir)).toBe("gone");
      // Another boot of this very host: pids of the old boot mean nothing either.
      expect(await ownerState(lockNaming(1, { bootId: "00000000-0000-0000-0000-000000000000", startTime: processStartTime(1), presence: live }), dir)).toBe("alive");
    });

    it("is never taken over when it cannot be checked, and the refusal says what to delete", async () => {
      const dir = folder();
      // A lock written before presence sockets by a command (no socket) on another host.
      writeFileSync(
        path.join(dir, LOCK_FILE),
        JSON.stringify({ pid: 7, startTime: "1", host: "container-a", role: "cli", command: "korus facts import", since: "2026-12-02T12:00:01.000Z", socket: null }),
      );
      const attempt = await tryLockDataFolder(dir, "cli", "korus status");
      expect(attempt).toMatchObject({ acquired: false, state: "unknown" });
      // An absolute socket path (a long folder path's socket in a temporary folder) that is not here: unknown too.
      const far = lockNaming(1, { host: "container-a", presence: "/tmp/korus-owner-1-0123456789ab.sock" });
      expect(await ownerState(far, dir)).toBe("unknown");
    });

    it("takes over a lock written before presence sockets by a bot whose database socket is dead", async () => {
      const dir = folder();
      // The old format: host and pid, and the bot's database socket, which it served until it was killed.
      writeFileSync(path.join(dir, ".s.PGSQL.5432"), "");
      writeFileSync(
        path.join(dir, LOCK_FILE),
        JSON.stringify({ pid: 7, startTime: "1", host: "vm-old", role: "bot", command: "korus-bot", since: "2026-12-02T12:00:01.000Z", socket: "/data/.s.PGSQL.5432" }),
      );
      const attempt = await tryLockDataFolder(dir, "bot", "korus-bot");
      expect(attempt.acquired).toBe(true);
      if (attempt.acquired) attempt.lock.release();
    });
  });

  it("lets exactly one of many processes take over the same stale lock", async () => {
    const dir = folder();
    writeFileSync(path.join(dir, LOCK_FILE), JSON.stringify(lockNaming(2 ** 22 + 17, { startTime: "1" })));
    const script = `
      const { tryLockDataFolder } = await import(${JSON.stringify(path.join(PROJECT_ROOT, "src/db/data-folder-lock.ts"))});
      const r = await tryLockDataFolder(process.argv[1], "cli", "racer");
      console.log(r.acquired ? "won" : "lost");
      // Hold the lock until the test ends (it kills the racers): a winner that exited would free the lock for a racer
      // that a loaded machine started late, and that one would win too.
      setInterval(() => {}, 60_000);
    `;
    const results = await Promise.all(Array.from({ length: 6 }, () => lockScript(script, [dir]).firstLine));
    expect(results.filter((r) => r === "won")).toHaveLength(1);
    expect(results.filter((r) => r === "lost")).toHaveLength(5);
  }, 60_000);
});
