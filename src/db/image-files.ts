import { existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { MIGRATIONS_DIR } from "./migrate.js";
import { packagePath } from "../paths.js";

/**
 * The prebuilt database image that `npm run build` makes: a migrated embedded database. A new data folder is a copy of
 * its folder (migrated and seeded with the source article's facts), instead of running initdb (seconds, and nearly
 * 800 MiB) and the seed; an in-memory database (tests, the bench) loads its tar (migrated, no facts). The paths resolve from this file, so src/ (tests) and dist/ find the same files.
 *
 * This module finds, checks and copies the image without loading PGlite (a new data folder's copy starts while PGlite
 * loads); image.ts makes it.
 */
export const IMAGE_DIR = packagePath("dist/db-image/");
/** The same database as a gzipped tar, for PGlite's `loadDataDir` (in-memory databases). */
export const IMAGE_TAR = packagePath("dist/db-image.tar.gz");
/** What the image holds: the PGlite version it was made with and the migrations applied. */
export const IMAGE_META_FILE = packagePath("dist/db-image.json");

/** The image's description, written beside it. */
export interface ImageMeta {
  pgliteVersion: string;
  migrations: string[];
  /** A hash of what the image is made of: the migrations, the seed facts and PGlite's version. */
  inputs: string;
  createdAt: string;
  /** Size of the gzipped tar. */
  bytes: number;
  /**
   * Every folder of the image, relative to it. PostgreSQL needs its empty folders (pg_wal/archive_status, ...), and
   * npm's package format drops empty folders, so they are made again when the image is copied.
   */
  folders: string[];
}

/** The installed PGlite's version (a data folder is only readable by the version that wrote its format). */
export async function pgliteVersion(): Promise<string> {
  const entry = fileURLToPath(import.meta.resolve("@electric-sql/pglite"));
  const pkg = JSON.parse(await readFile(new URL("../package.json", `file://${entry}`), "utf8")) as { version: string };
  return pkg.version;
}

/** The image's description, if it is there. */
function readMeta(): ImageMeta | undefined {
  try {
    return JSON.parse(readFileSync(IMAGE_META_FILE, "utf8")) as ImageMeta;
  } catch {
    return undefined;
  }
}

/**
 * Why there is no image this PGlite and checkout can use, or undefined when there is one. Synchronous (three small
 * reads), so that a new data folder's copy starts at once instead of after the bot's code has loaded.
 */
export function imageProblem(): string | undefined {
  const meta = readMeta();
  if (!meta) return `no prebuilt database image at ${fileURLToPath(IMAGE_META_FILE)} (npm run build makes it)`;
  const installed = installedPgliteVersion();
  if (meta.pgliteVersion !== installed) return `the prebuilt database image was made with PGlite ${meta.pgliteVersion}, this is ${installed} (npm run build remakes it)`;
  const known = new Set(migrationNames());
  if (meta.migrations.some((name) => !known.has(name))) return "the prebuilt database image holds migrations this checkout does not have (npm run build remakes it)";
  return undefined;
}

function installedPgliteVersion(): string {
  const entry = fileURLToPath(import.meta.resolve("@electric-sql/pglite"));
  return (JSON.parse(readFileSync(new URL("../package.json", `file://${entry}`), "utf8")) as { version: string }).version;
}

/** The names of this checkout's migrations (their folders). */
function migrationNames(): string[] {
  return readdirSync(MIGRATIONS_DIR, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name);
}

/**
 * Copies the image's folder into `dataDir` (which holds no database yet) on a worker thread, started before this
 * returns: about 500 files, which as promises on the main thread cost it some 300 ms of a cold start while it loads the
 * bot's code. A reflink where the file system has them.
 * @returns why not, when there is no usable image; else when the copy is done.
 */
export async function copyImageTo(dataDir: string): Promise<string | undefined> {
  const problem = imageProblem() ?? (existsSync(new URL("PG_VERSION", IMAGE_DIR)) ? undefined : "the prebuilt database image's folder is missing (npm run build makes it)");
  if (problem) return problem;
  const folders = readMeta()?.folders ?? [];
  await new Promise<void>((resolve, reject) => {
    const worker = new Worker(COPY_TREE_WORKER, { eval: true, workerData: { from: fileURLToPath(IMAGE_DIR), to: dataDir } });
    worker.once("message", () => resolve());
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`copying the database image stopped (worker exit ${code})`)));
  });
  for (const folder of folders) mkdirSync(path.join(dataDir, folder), { recursive: true, mode: 0o700 });
  return undefined;
}

/** The worker's script (CommonJS, evaluated as text so that the bundle needs no file of its own for it). */
const COPY_TREE_WORKER = `
const { workerData, parentPort } = require("node:worker_threads");
const fs = require("node:fs");
const path = require("node:path");
const walk = (source, target) => {
  fs.mkdirSync(target, { recursive: true, mode: 0o700 });
  for (const entry of fs.readdirSync(source, { withFileTypes: true })) {
    const from = path.join(source, entry.name);
    const to = path.join(target, entry.name);
    if (entry.isDirectory()) walk(from, to);
    else if (entry.isFile()) fs.copyFileSync(from, to, fs.constants.COPYFILE_FICLONE);
  }
};
walk(workerData.from, workerData.to);
parentPort.postMessage("copied");
`;

/** The image as a tar for an in-memory database, or undefined when there is no usable one. */
export async function imageTar(): Promise<Blob | undefined> {
  if (imageProblem()) return undefined;
  try {
    return new Blob([new Uint8Array(await readFile(IMAGE_TAR))]);
  } catch {
    return undefined;
  }
}
