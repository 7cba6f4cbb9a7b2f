import { chmodSync, existsSync, lstatSync, mkdirSync, readdirSync, rmSync, type Stats, statSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { Database } from "./database.js";
import { describeOwner, isLockFile, LOCK_FILE, type OwnerInfo, type OwnerRole, type OwnerState, tryLockDataFolder } from "./data-folder-lock.js";
import { KorusError } from "../errors.js";
import { copyImageTo } from "./image-files.js";
import { ANSWERS_SOCKET_NAME, SOCKET_NAME, socketPathFor } from "./socket-path.js";

export { socketPathFor } from "./socket-path.js";

/** A data folder being created from the image holds this file until it is complete. */
const CREATING_MARKER = "korus-creating";
/** Files of ours that may sit in a data folder that holds no database yet. */
const isOurFile = (name: string) => isLockFile(name) || name === SOCKET_NAME || name === ANSWERS_SOCKET_NAME || name === CREATING_MARKER;

/** Raised when the data folder cannot be used: another bot owns it, or it is not a korus database. */
export class DataFolderError extends KorusError<"data_folder_unavailable"> {
  constructor(
    message: string,
    readonly holder?: OwnerInfo,
  ) {
    super("data_folder_unavailable", message);
  }
}

/** How to open an embedded data folder. */
export interface EmbeddedOptions {
  dataDir: string;
  /**
   * "bot": own the folder and serve it to `korus` commands on a unix socket; refuse if another bot owns it.
   * "cli": own the folder for this one command if nobody does; else go through the bot that owns it.
   */
  role: OwnerRole;
  /** What this process is doing, shown to whoever has to wait for it ("korus facts import"). */
  command: string;
  /**
   * How long to wait for a folder held by a one-off command, or for the owning bot's socket. Default: 60 s for a
   * command; for a bot, as long as the command takes (it answers Slack meanwhile that it is busy).
   */
  waitMs?: number;
  /** Told when this process has to wait, and why: once for each process it waits for. */
  onWait?: (message: string, holder: OwnerInfo) => void;
  /** Told how a new folder was created (from the image, or by initdb and why). */
  onNotice?: (message: string) => void;
  /** Told how long the steps of opening took. */
  onDebug?: (message: string) => void;
}

/**
 * Opens the embedded database in `dataDir` the one safe way: PGlite belongs to one process, and a second process
 * opening the same files loses writes without an error. The process that takes the folder's lock opens PGlite
 * (a new folder from the prebuilt image); a bot then serves it on a unix socket; any other process connects there.
 */
export async function openEmbedded(options: EmbeddedOptions): Promise<Database> {
  const dataDir = path.resolve(options.dataDir);
  makeFolderPrivate(dataDir);
  const waitMs = options.waitMs ?? (options.role === "bot" ? Number.POSITIVE_INFINITY : 60_000);
  const deadline = Date.now() + waitMs;
  let toldOf: OwnerInfo | undefined;
  const wait = async (message: string, holder: OwnerInfo, state: Exclude<OwnerState, "gone">) => {
    const hint = state === "unknown" ? unknownHint(dataDir, holder) : "";
    if (Date.now() > deadline) throw new DataFolderError(`${message}, and still is after ${Math.round(waitMs / 1000)} s.${hint}`, holder);
    if (toldOf?.pid !== holder.pid || toldOf.since !== holder.since) options.onWait?.(`${message}; waiting for it.${hint}`, holder);
    toldOf = holder;
    await new Promise((r) => setTimeout(r, 150));
  };
  for (;;) {
    const attempt = await tryLockDataFolder(dataDir, options.role, options.command);
    if (attempt.acquired) {
      // What the owner creates in the folder from now on (the files PostgreSQL adds while it runs, the sockets, the
      // marker) is this user's only: PGlite creates them with modes like 0644, which the umask narrows to 0600.
      const umask = process.umask(0o077);
      const release = () => {
        attempt.lock.release();
        process.umask(umask);
      };
      try {
        return await openOwned(dataDir, options, release, (socket) => attempt.lock.setSocket(socket));
      } catch (error) {
        release();
        throw error;
      }
    }
    const { holder, state } = attempt;
    const what = `the embedded database in ${dataDir} is in use by ${describeOwner(holder)}`;
    if (options.role === "bot" && holder.role === "bot" && holder.pid > 0) {
      throw new DataFolderError(`${what}. Stop that one first, or set KORUS_DATA_DIR to another folder.${state === "unknown" ? unknownHint(dataDir, holder) : ""}`, holder);
    }
    if (options.role === "cli" && holder.role === "bot") {
      const db = await connectToOwner(dataDir, holder);
      if (db) return db;
      await wait(`${what}, which is still starting`, holder, state);
      continue;
    }
    await wait(what, holder, state);
  }
}

/** What to do about a lock taken on a host this process cannot check (its presence socket is out of reach). */
function unknownHint(dataDir: string, holder: OwnerInfo): string {
  return ` It was taken on ${holder.host}, whose processes cannot be checked from here; if nothing of korus runs there any more, delete ${path.join(dataDir, LOCK_FILE)}.`;
}

/**
 * Creates the data folder readable by this user only, or makes an existing one so (a `mkdir data` or a Docker volume
 * is 0755: PostgreSQL's files in it would be open to every local user). A folder this user cannot change is refused
 * with what to run.
 */
function makeFolderPrivate(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const stat = statSync(dataDir);
  if ((stat.mode & 0o077) === 0) return;
  try {
    chmodSync(dataDir, 0o700);
  } catch (error) {
    throw new DataFolderError(`${notPrivate(dataDir, stat, error)}: run \`chmod 700 ${dataDir}\` as its owner, or set KORUS_DATA_DIR to a folder of your own`);
  }
}

/** "X is open to other users (mode 0755) and belongs to uid 0, so this user (uid 1000) cannot make it private (EPERM)" */
function notPrivate(file: string, stat: Stats, error: unknown): string {
  const mode = `0${(stat.mode & 0o777).toString(8)}`;
  return `${file} is open to other users (mode ${mode}) and belongs to uid ${stat.uid}, so this user (uid ${process.getuid?.() ?? "?"}) cannot make it private (${(error as NodeJS.ErrnoException).code})`;
}

/**
 * Makes every folder in the data folder 0700 and every file 0600, whatever an older version, a copy or an archive
 * left (the database image's files are 0666). The owner does it before PostgreSQL opens the files.
 */
function makeFilesPrivate(root: string, dir = root): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isSymbolicLink()) continue;
    const file = path.join(dir, entry.name);
    const wanted = entry.isDirectory() ? 0o700 : 0o600;
    const mode = lstatSync(file).mode & 0o777;
    if ((mode & 0o077) !== 0) {
      try {
        chmodSync(file, mode & wanted);
      } catch (error) {
        throw new DataFolderError(`${notPrivate(file, lstatSync(file), error)}: run \`chmod -R go= ${root}\` as its owner`);
      }
    }
    if (entry.isDirectory()) makeFilesPrivate(root, file);
  }
}

async function openOwned(dataDir: string, options: EmbeddedOptions, unlock: () => void, announceSocket: (path: string) => void): Promise<Database> {
  // Loaded only by the owner: a `korus` command beside a running bot never needs PGlite.
  const loading = Promise.all([import("@electric-sql/pglite"), import("./pglite-database.js"), import("./pglite-server.js")]);
  // Awaited below, after a new folder's copy (which runs meanwhile); until then a failure must not count as unhandled.
  loading.catch(() => undefined);
  const marker = path.join(dataDir, CREATING_MARKER);
  if (existsSync(marker)) {
    // A previous first start died while creating the database: start over.
    for (const entry of readdirSync(dataDir)) if (!isLockFile(entry)) rmSync(path.join(dataDir, entry), { recursive: true, force: true });
  }
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    const strangers = readdirSync(dataDir).filter((entry) => !isOurFile(entry));
    if (strangers.length > 0) {
      throw new DataFolderError(
        `${dataDir} holds other files (${strangers.slice(0, 3).join(", ")}${strangers.length > 3 ? ", ..." : ""}) and no korus database; set KORUS_DATA_DIR to a new or empty folder`,
      );
    }
    writeFileSync(marker, "");
    const copyStarted = performance.now();
    const problem = await copyImageTo(dataDir);
    options.onDebug?.(`new data folder: image copied in ${Math.round(performance.now() - copyStarted)} ms`);
    // Without an image, PGlite runs initdb when it opens the empty folder.
    if (problem) options.onNotice?.(`creating the database with initdb, which takes a few seconds: ${problem}`);
  }
  const closeStarted = performance.now();
  makeFilesPrivate(dataDir);
  options.onDebug?.(`data folder made private in ${Math.round(performance.now() - closeStarted)} ms`);
  const [{ PGlite }, { pgliteDatabase, pgliteOptions }, { servePgliteSocket }] = await loading;
  const openStarted = performance.now();
  const pglite: PGlite = await PGlite.create(dataDir, pgliteOptions());
  options.onDebug?.(`PGlite opened in ${Math.round(performance.now() - openStarted)} ms`);
  if (existsSync(marker)) rmSync(marker);
  let stopServing: (() => Promise<void>) | undefined;
  let onExternalWork: ((listener: () => void) => void) | undefined;
  let externalWorkSince: (() => number | undefined) | undefined;
  try {
    // PGlite sets the modes of what initdb and its start write (0666, 0644) itself, whatever the umask: once more.
    makeFilesPrivate(dataDir);
    if (options.role === "bot") {
      const socketPath = socketPathFor(dataDir);
      mkdirSync(path.dirname(socketPath), { recursive: true, mode: 0o700 });
      const server = await servePgliteSocket(pglite, socketPath, { onWarning: (m) => options.onNotice?.(m) });
      stopServing = async () => {
        await server.stop();
        // A socket folder of our own in the temp folder (long data folder paths) goes too.
        if (path.dirname(socketPath) !== dataDir) rmSync(path.dirname(socketPath), { recursive: true, force: true });
      };
      onExternalWork = (listener) => server.onUnitEnd(listener);
      externalWorkSince = () => server.heldSince();
      announceSocket(socketPath);
    }
  } catch (error) {
    await pglite.close();
    throw error;
  }
  return pgliteDatabase(pglite, `embedded PostgreSQL (PGlite) in ${dataDir}`, { beforeClose: stopServing, afterClose: unlock, onExternalWork, externalWorkSince });
}

/** A database that goes through the bot owning `dataDir`, or undefined when its socket does not answer yet. */
async function connectToOwner(dataDir: string, holder: OwnerInfo): Promise<Database | undefined> {
  // Where this process finds the folder's socket; the path the owner recorded differs when the folder is mounted
  // elsewhere in its container.
  let socketPath = socketPathFor(dataDir);
  if (!(await answers(socketPath))) {
    if (!holder.socket || holder.socket === socketPath || !(await answers(holder.socket))) return undefined;
    socketPath = holder.socket;
  }
  // PGlite has one database and ignores credentials; `pg` finds the socket from its folder and the port.
  const { poolDatabase } = await import("./pool-database.js");
  return poolDatabase(
    { host: path.dirname(socketPath), port: 5432, user: "postgres", database: "postgres", max: 1 },
    "pglite-socket",
    `embedded PostgreSQL (PGlite) in ${dataDir}, through ${describeOwner(holder)}`,
  );
}

function answers(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(socketPath);
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}
