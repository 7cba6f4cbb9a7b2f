import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, readlinkSync, rmdirSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import net from "node:net";
import { hostname, tmpdir } from "node:os";
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
  /**
   * The kernel's boot id (/proc/sys/kernel/random/boot_id): pids of another boot mean nothing. Absent from locks
   * written before it was recorded.
   */
  bootId?: string | null;
  /** The pid namespace (/proc/self/ns/pid): a container's pids mean nothing in another container. */
  pidNamespace?: string | null;
  role: OwnerRole;
  /** What the owner is doing, for the waiting side's messages ("korus facts import"). */
  command: string;
  /** ISO time the lock was taken. */
  since: string;
  /** Where the owner serves the database to other processes, when it does. */
  socket: string | null;
  /**
   * A unix socket the owner listens on from before it writes the lock until it ends, so that a process on another
   * host or boot (a new container on the same volume) can tell whether it is still there: a name inside the data
   * folder (whatever path the folder has in the other container), or an absolute path when the folder's path is too
   * long for a socket. A socket nobody listens on any more refuses the connection.
   */
  presence?: string | null;
}

/** A lock this process holds. */
export interface HeldLock {
  readonly info: OwnerInfo;
  /** Records where the owner serves the database, once it does. */
  setSocket(socketPath: string): void;
  /** Removes the lock file if it is still ours, and stops answering on the presence socket. Safe to call twice. */
  release(): void;
}

/**
 * What is known of the owner named in a lock: "alive" (its process runs, or its presence socket answers), "gone"
 * (no such process, a zombie, another process with its pid, or nothing listens on its socket), or "unknown" (on
 * another host or boot with a socket this process cannot reach): only "gone" is taken over.
 */
export type OwnerState = "alive" | "gone" | "unknown";

/** Either the lock is ours now, or a process holds it that is alive or cannot be told dead. */
export type LockAttempt = { acquired: true; lock: HeldLock } | { acquired: false; holder: OwnerInfo; state: Exclude<OwnerState, "gone"> };

/** A takeover left behind by a process that died in the middle of one is cleared after this long. */
const TAKEOVER_STALE_MS = 10_000;
/** How long a presence socket may take to answer before its owner counts as unknown (a connect is immediate). */
const PROBE_TIMEOUT_MS = 2000;
// Unix socket paths are limited to 107 bytes on Linux (103 on macOS); keep a margin.
const MAX_SOCKET_PATH = 100;
const PRESENCE_NAME = /^korus-owner-\d+-[0-9a-f]{12}\.sock$/;

/** Whether `name` is one of the lock's files in a data folder (the lock, its takeover guard, presence sockets). */
export function isLockFile(name: string): boolean {
  return name === LOCK_FILE || name === `${LOCK_FILE}.takeover` || PRESENCE_NAME.test(name);
}

/** What /proc says of a process: its state letter (R, S, Z for a zombie...) and its start time; null without one. */
export function processStat(pid: number): { state: string; startTime: string } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) is in parentheses and may hold spaces; fields after it start at 3 (the state).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[0] && fields[19] ? { state: fields[0], startTime: fields[19] } : null;
  } catch {
    return null;
  }
}

/**
 * The kernel's start time of a process (field 22 of /proc/PID/stat), or null where there is no /proc or no such
 * process. Two processes with the same pid have different start times.
 */
export function processStartTime(pid: number): string | null {
  return processStat(pid)?.startTime ?? null;
}

function readProc(read: () => string): string | null {
  try {
    return read().trim() || null;
  } catch {
    return null;
  }
}

/** This boot of the kernel, where Linux says. */
export const bootId = (): string | null => readProc(() => readFileSync("/proc/sys/kernel/random/boot_id", "utf8"));
/** This process's pid namespace, where Linux says. */
export const pidNamespace = (): string | null => readProc(() => readlinkSync("/proc/self/ns/pid"));

/** Whether a recorded value agrees with this process's (a value either side does not know agrees). */
const agrees = (recorded: string | null | undefined, here: string | null) => recorded == null || here === null || recorded === here;

/** Whether the lock was taken where its pid can be checked from here: this host, this boot, this pid namespace. */
function takenHere(info: OwnerInfo): boolean {
  return info.host === hostname() && agrees(info.bootId, bootId()) && agrees(info.pidNamespace, pidNamespace());
}

/** The state of an owner whose pid can be checked here. */
function localState(info: OwnerInfo): OwnerState {
  // In a container every start may get the same pid: a lock naming this very process is a leftover.
  if (info.pid === process.pid) return "gone";
  try {
    process.kill(info.pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return "gone";
  }
  const now = processStat(info.pid);
  // A zombie (killed, its parent has not reaped it yet) holds no files and serves nothing.
  if (now && (now.state === "Z" || now.state === "X")) return "gone";
  if (info.startTime !== null && now !== null && now.startTime !== info.startTime) return "gone";
  return "alive";
}

/** How a unix socket answers a connection. */
type Probe = "answers" | "refused" | "missing" | "unknown";

function probe(socketPath: string): Promise<Probe> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    const done = (result: Probe) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => done("unknown"), PROBE_TIMEOUT_MS);
    socket.once("connect", () => done("answers"));
    socket.once("error", (error: NodeJS.ErrnoException) => {
      // EAGAIN: its backlog is full (a busy owner is still an owner); EACCES: another user's. Both are unknown.
      done(error.code === "ECONNREFUSED" ? "refused" : error.code === "ENOENT" ? "missing" : "unknown");
    });
  });
}

/** The state of an owner on another host, boot or pid namespace, told by its presence socket. */
async function remoteState(info: OwnerInfo, dataDir: string): Promise<OwnerState> {
  if (info.presence) {
    // A name inside the folder: whatever path the folder has here, the socket is there. An absolute one (a long
    // folder path) may be in a temporary folder this host does not see: only a refusal is an answer then.
    const inFolder = !path.isAbsolute(info.presence);
    const result = await probe(inFolder ? path.join(dataDir, path.basename(info.presence)) : info.presence);
    if (result === "answers") return "alive";
    return result === "refused" || (inFolder && result === "missing") ? "gone" : "unknown";
  }
  // A lock written before presence sockets: a bot that served had its database socket in the folder.
  if (info.socket && path.basename(info.socket) === ".s.PGSQL.5432" && !/^korus-[0-9a-f]{16}$/.test(path.basename(path.dirname(info.socket)))) {
    const result = await probe(path.join(dataDir, ".s.PGSQL.5432"));
    return result === "answers" ? "alive" : result === "unknown" ? "unknown" : "gone";
  }
  return "unknown";
}

/**
 * Whether the owner named in a lock file is still there. Where its pid can be checked (this host, boot and pid
 * namespace): its process runs, is not a zombie and started when the lock says. Elsewhere (a new container on the
 * same volume, a reboot): its presence socket answers.
 */
export async function ownerState(info: OwnerInfo, dataDir: string): Promise<OwnerState> {
  return takenHere(info) ? localState(info) : remoteState(info, dataDir);
}

/** A listening presence socket (see OwnerInfo.presence). */
interface Presence {
  /** As recorded in the lock: a name in the folder, or an absolute path. */
  readonly recorded: string;
  close(): void;
}

async function listenForPresence(dataDir: string): Promise<Presence> {
  const name = `korus-owner-${process.pid}-${randomBytes(6).toString("hex")}.sock`;
  const inFolder = path.join(dataDir, name);
  const file = Buffer.byteLength(inFolder) <= MAX_SOCKET_PATH ? inFolder : path.join(tmpdir(), name);
  // It only has to accept: the kernel completes a connection even while this process is busy.
  const server = net.createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(file, () => {
      server.off("error", reject);
      resolve();
    });
  });
  chmodSync(file, 0o600);
  // It must not keep a process alive that has nothing else to do.
  server.unref();
  let closed = false;
  return {
    recorded: file === inFolder ? name : file,
    close() {
      if (closed) return;
      closed = true;
      server.close();
      rmFile(file);
    },
  };
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

const sameOwner = (a: OwnerInfo, b: OwnerInfo) => a.pid === b.pid && a.startTime === b.startTime && a.since === b.since && a.host === b.host && (a.presence ?? null) === (b.presence ?? null);

/**
 * Tries once to take the data folder's lock. A lock whose owner is gone (killed with SIGKILL, a zombie, or on another
 * host or boot with nothing listening on its presence socket: a container that was killed) is taken over; a lock
 * whose owner is alive, or cannot be told dead from here, is left alone and its owner returned.
 *
 * The presence socket listens before the lock is written, so that a lock naming one always names a live one while
 * its owner lives. Taking over is done under a second, short-lived lock (a directory, whose creation is atomic), and
 * only after reading the stale file again inside it, so two processes that both found the same stale lock cannot
 * both win.
 */
export async function tryLockDataFolder(dataDir: string, role: OwnerRole, command: string): Promise<LockAttempt> {
  const file = path.join(dataDir, LOCK_FILE);
  const presence = await listenForPresence(dataDir);
  try {
    const info: OwnerInfo = {
      pid: process.pid,
      startTime: processStartTime(process.pid),
      host: hostname(),
      bootId: bootId(),
      pidNamespace: pidNamespace(),
      role,
      command,
      since: new Date().toISOString(),
      socket: null,
      presence: presence.recorded,
    };
    for (let attempt = 0; attempt < 100; attempt++) {
      if (create(file, info)) return { acquired: true, lock: held(file, info, presence) };
      const holder = readOwner(file);
      if (holder === "missing") continue;
      if (holder === "unreadable") {
        // Being written this very moment, or the remains of a crash while writing it.
        if (Date.now() - mtime(file) < 2000) return fail(presence, { acquired: false, holder: unknownOwner(role), state: "alive" });
      } else {
        const state = await ownerState(holder, dataDir);
        if (state !== "gone") return fail(presence, { acquired: false, holder, state });
      }
      await takeOver(file, holder);
    }
    throw new Error(`could not take the lock ${file}: it keeps changing`);
  } catch (error) {
    presence.close();
    throw error;
  }
}

function fail(presence: Presence, attempt: LockAttempt): LockAttempt {
  presence.close();
  return attempt;
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

async function takeOver(file: string, stale: OwnerInfo | "unreadable"): Promise<void> {
  const guard = `${file}.takeover`;
  try {
    mkdirSync(guard);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    if (Date.now() - mtime(guard) > TAKEOVER_STALE_MS) rmdirSync(guard, { maxRetries: 0 });
    // Another process is taking over right now: give it a moment before looking again.
    else await new Promise((r) => setTimeout(r, 20));
    return;
  }
  try {
    const now = readOwner(file);
    const unchanged = stale === "unreadable" ? now === "unreadable" : now !== "missing" && now !== "unreadable" && sameOwner(now, stale);
    if (unchanged) {
      unlinkSync(file);
      // The dead owner's presence socket, when it is a file of the folder.
      if (stale !== "unreadable" && stale.presence && PRESENCE_NAME.test(stale.presence)) rmFile(path.join(path.dirname(file), stale.presence));
    }
  } finally {
    rmdirSync(guard);
  }
}

function rmFile(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Gone already.
  }
}

function held(file: string, info: OwnerInfo, presence: Presence): HeldLock {
  let released = false;
  const onExit = () => release();
  function release() {
    if (released) return;
    released = true;
    process.off("exit", onExit);
    const now = readOwner(file);
    if (now !== "missing" && now !== "unreadable" && sameOwner(now, info)) unlinkSync(file);
    presence.close();
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
