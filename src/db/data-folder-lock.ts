import { mkdirSync, readFileSync, rmdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
import path from "node:path";

/** The lock file in an embedded data folder: who owns the folder now. */
export const LOCK_FILE = "korus-owner.json";

/** What kind of process owns a data folder: the bot (it serves the others) or a one-off `korus` command. */
export type OwnerRole = "bot" | "cli";

/** The contents of the lock file. */
export interface OwnerInfo {
  pid: number;
  /** The process's start time as the kernel counts it (Linux), so that a reused pid is not taken for the owner. */
  startTime: string | null;
  host: string;
  role: OwnerRole;
  /** What the owner is doing, for the waiting side's messages ("korus facts import"). */
  command: string;
  /** ISO time the lock was taken. */
  since: string;
  /** Where the owner serves the database to other processes, when it does. */
  socket: string | null;
}

/** A lock this process holds. */
export interface HeldLock {
  readonly info: OwnerInfo;
  /** Records where the owner serves the database, once it does. */
  setSocket(socketPath: string): void;
  /** Removes the lock file if it is still ours. Safe to call twice. */
  release(): void;
}

/** Either the lock is ours now, or a live process holds it. */
export type LockAttempt = { acquired: true; lock: HeldLock } | { acquired: false; holder: OwnerInfo };

/** A takeover left behind by a process that died in the middle of one is cleared after this long. */
const TAKEOVER_STALE_MS = 10_000;

/**
 * The kernel's start time of a process (field 22 of /proc/PID/stat), or null where there is no /proc or no such
 * process. Two processes with the same pid have different start times.
 */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces; fields after it start at 3.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19] ?? null;
  } catch {
    return null;
  }
}

/** Whether the process named in a lock file is still running (a process on another host is assumed to be). */
export function isOwnerAlive(info: OwnerInfo): boolean {
  if (info.host !== hostname()) return true;
  // In a container every start may get the same pid: a lock naming this very process is a leftover.
  if (info.pid === process.pid) return false;
  try {
    process.kill(info.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  const now = processStartTime(info.pid);
  return info.startTime === null || now === null || now === info.startTime;
}

function readOwner(file: string): OwnerInfo | "missing" | "unreadable" {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "ENOENT" ? "missing" : "unreadable";
  }
  try {
    const info = JSON.parse(text) as OwnerInfo;
    return Number.isInteger(info.pid) ? info : "unreadable";
  } catch {
    return "unreadable";
  }
}

const sameOwner = (a: OwnerInfo, b: OwnerInfo) => a.pid === b.pid && a.startTime === b.startTime && a.since === b.since && a.host === b.host;

/**
 * Tries once to take the data folder's lock. A lock whose owner has died (killed with SIGKILL, say) is taken over;
 * a lock held by a live process is left alone and its owner returned.
 *
 * Taking over is done under a second, short-lived lock (a directory, whose creation is atomic), and only after
 * reading the stale file again inside it, so two processes that both found the same stale lock cannot both win.
 */
export function tryLockDataFolder(dataDir: string, role: OwnerRole, command: string): LockAttempt {
  const file = path.join(dataDir, LOCK_FILE);
  const info: OwnerInfo = {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    host: hostname(),
    role,
    command,
    since: new Date().toISOString(),
    socket: null,
  };
  for (let attempt = 0; attempt < 100; attempt++) {
    if (create(file, info)) return { acquired: true, lock: held(file, info) };
    const holder = readOwner(file);
    if (holder === "missing") continue;
    if (holder === "unreadable") {
      // Being written this very moment, or the remains of a crash while writing it.
      if (Date.now() - mtime(file) < 2000) return { acquired: false, holder: unknownOwner(role) };
    } else if (isOwnerAlive(holder)) {
      return { acquired: false, holder };
    }
    takeOver(file, holder);
  }
  throw new Error(`could not take the lock ${file}: it keeps changing`);
}

function create(file: string, info: OwnerInfo): boolean {
  try {
    writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`, { flag: "wx", mode: 0o600 });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
}

function takeOver(file: string, stale: OwnerInfo | "unreadable"): void {
  const guard = `${file}.takeover`;
  try {
    mkdirSync(guard);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    if (Date.now() - mtime(guard) > TAKEOVER_STALE_MS) rmdirSync(guard, { maxRetries: 0 });
    // Another process is taking over right now: give it a moment before looking again.
    else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    return;
  }
  try {
    const now = readOwner(file);
    const unchanged = stale === "unreadable" ? now === "unreadable" : now !== "missing" && now !== "unreadable" && sameOwner(now, stale);
    if (unchanged) unlinkSync(file);
  } finally {
    rmdirSync(guard);
  }
}

function held(file: string, info: OwnerInfo): HeldLock {
  let released = false;
  const onExit = () => release();
  function release() {
    if (released) return;
    released = true;
    process.off("exit", onExit);
    const now = readOwner(file);
    if (now !== "missing" && now !== "unreadable" && sameOwner(now, info)) unlinkSync(file);
  }
  // Whatever ends the process (short of SIGKILL), the lock goes with it.
  process.on("exit", onExit);
  return {
    info,
    setSocket(socketPath) {
      info.socket = socketPath;
      // Written in place: the identity fields that takeovers compare do not change.
      writeFileSync(file, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
    },
    release,
  };
}

function mtime(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function unknownOwner(role: OwnerRole): OwnerInfo {
  return { pid: 0, startTime: null, host: hostname(), role, command: "korus", since: new Date().toISOString(), socket: null };
}

/** "korus-bot (pid 1234, since 2026-12-02 12:00:01 UTC)" for messages. */
export function describeOwner(info: OwnerInfo): string {
  const who = info.role === "bot" ? "korus-bot" : `\`${info.command}\``;
  const since = info.since.replace("T", " ").replace(/\.\d+Z$/, " UTC");
  const where = info.host !== hostname() ? ` on ${info.host}` : "";
  return info.pid > 0 ? `${who} (pid ${info.pid}${where}, since ${since})` : "another korus process";
}
