import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import type { Database } from "./database.js";
import { describeOwner, LOCK_FILE, type OwnerInfo, type OwnerRole, tryLockDataFolder } from "./data-folder-lock.js";
import { KorusError } from "../errors.js";
import { copyImageTo } from "./image-files.js";

/** The socket file's name, as PostgreSQL names it (so `pg` finds it from the folder and port 5432). */
const SOCKET_NAME = ".s.PGSQL.5432";
/** A data folder being created from the image holds this file until it is complete. */
const CREATING_MARKER = "korus-creating";
/** Files of ours that may sit in a data folder that holds no database yet. */
const OUR_FILES = new Set([LOCK_FILE, `${LOCK_FILE}.takeover`, SOCKET_NAME, CREATING_MARKER]);
// Unix socket paths are limited to 107 bytes on Linux (103 on macOS); keep a margin.
const MAX_SOCKET_PATH = 100;

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
  /** How long to wait for a folder held by a one-off command, or for the owning bot's socket. Default 60 s. */
  waitMs?: number;
  /** Told once, when this process has to wait, and why. */
  onWait?: (message: string) => void;
  /** Told how a new folder was created (from the image, or by initdb and why). */
  onNotice?: (message: string) => void;
  /** Told how long the steps of opening took. */
  onDebug?: (message: string) => void;
}

/** Where the owner of `dataDir` serves it: a socket in the folder, or (for a long path) in the temp folder. */
export function socketPathFor(dataDir: string): string {
  const inFolder = path.join(dataDir, SOCKET_NAME);
  if (Buffer.byteLength(inFolder) <= MAX_SOCKET_PATH) return inFolder;
  const id = createHash("sha256").update(realpathSync(dataDir)).digest("hex").slice(0, 16);
  return path.join(tmpdir(), `korus-${id}`, SOCKET_NAME);
}

/**
 * Opens the embedded database in `dataDir` the one safe way: PGlite belongs to one process, and a second process
 * opening the same files loses writes without an error. The process that takes the folder's lock opens PGlite
 * (a new folder from the prebuilt image); a bot then serves it on a unix socket; any other process connects there.
 */
export async function openEmbedded(options: EmbeddedOptions): Promise<Database> {
  const dataDir = path.resolve(options.dataDir);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const deadline = Date.now() + (options.waitMs ?? 60_000);
  let told = false;
  const wait = async (message: string) => {
    if (Date.now() > deadline) throw new DataFolderError(`${message}, and still is after ${Math.round((options.waitMs ?? 60_000) / 1000)} s`);
    if (!told) options.onWait?.(`${message}; waiting for it`);
    told = true;
    await new Promise((r) => setTimeout(r, 150));
  };
  for (;;) {
    const attempt = tryLockDataFolder(dataDir, options.role, options.command);
    if (attempt.acquired) {
      try {
        return await openOwned(dataDir, options, attempt.lock.release, (socket) => attempt.lock.setSocket(socket));
      } catch (error) {
        attempt.lock.release();
        throw error;
      }
    }
    const holder = attempt.holder;
    const what = `the embedded database in ${dataDir} is in use by ${describeOwner(holder)}`;
    if (options.role === "bot" && holder.role === "bot" && holder.pid > 0) {
      throw new DataFolderError(`${what}. Stop that one first, or set KORUS_DATA_DIR to another folder.`, holder);
    }
    if (options.role === "cli" && holder.role === "bot") {
      const db = await connectToOwner(dataDir, holder);
      if (db) return db;
      await wait(`${what}, which is still starting`);
      continue;
    }
    await wait(what);
  }
}

async function openOwned(
  dataDir: string,
  options: EmbeddedOptions,
  unlock: () => void,
  announceSocket: (path: string) => void,
): Promise<Database> {
  // Loaded only by the owner: a `korus` command beside a running bot never needs PGlite.
  const loading = Promise.all([import("@electric-sql/pglite"), import("./pglite-database.js"), import("./pglite-server.js")]);
  // Awaited below, after a new folder's copy (which runs meanwhile); until then a failure must not count as unhandled.
  loading.catch(() => undefined);
  const marker = path.join(dataDir, CREATING_MARKER);
  if (existsSync(marker)) {
    // A previous first start died while creating the database: start over.
    for (const entry of readdirSync(dataDir)) if (entry !== LOCK_FILE) rmSync(path.join(dataDir, entry), { recursive: true, force: true });
  }
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    const strangers = readdirSync(dataDir).filter((entry) => !OUR_FILES.has(entry));
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
  const [{ PGlite }, { pgliteDatabase, pgliteOptions }, { servePgliteSocket }] = await loading;
  const openStarted = performance.now();
  const pglite: PGlite = await PGlite.create(dataDir, pgliteOptions());
  options.onDebug?.(`PGlite opened in ${Math.round(performance.now() - openStarted)} ms`);
  if (existsSync(marker)) rmSync(marker);
  let stopServing: (() => Promise<void>) | undefined;
  let onExternalWork: ((listener: () => void) => void) | undefined;
  let externalWorkSince: (() => number | undefined) | undefined;
  try {
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
  const socketPath = holder.socket ?? socketPathFor(dataDir);
  if (!(await answers(socketPath))) return undefined;
  // PGlite has one database and ignores credentials; `pg` finds the socket from its folder and the port.
  const { poolDatabase } = await import("./pool-database.js");
  return poolDatabase({ host: path.dirname(socketPath), port: 5432, user: "postgres", database: "postgres", max: 1 }, "pglite-socket", `embedded PostgreSQL (PGlite) in ${dataDir}, through ${describeOwner(holder)}`);
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
