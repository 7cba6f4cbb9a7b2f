import { createHash } from "node:crypto";
import { constants, existsSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { copyFile, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { migrate, readMigrations } from "./migrate.js";
import { pgliteDatabase, pgliteOptions } from "./pglite-database.js";
import { SEED_FILE, seed } from "./seed.js";
import { packagePath } from "../paths.js";

/**
 * The prebuilt database image that `npm run build` makes: a migrated embedded database. A new data folder is a copy of
 * its folder (migrated and seeded with the source article's facts), instead of running initdb (seconds, and nearly
 * 800 MiB) and the seed; an in-memory database (tests, the bench) loads its tar (migrated, no facts). The paths resolve from this file, so src/ (tests) and dist/ find the same files.
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

/** The folders under `dir`, relative to it, parents first. */
function foldersUnder(dir: string, prefix = ""): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => {
      const rel = path.join(prefix, e.name);
      return [rel, ...foldersUnder(dir, rel)];
    });
}

/** The installed PGlite's version (a data folder is only readable by the version that wrote its format). */
export async function pgliteVersion(): Promise<string> {
  const entry = fileURLToPath(import.meta.resolve("@electric-sql/pglite"));
  const pkg = JSON.parse(await readFile(new URL("../package.json", `file://${entry}`), "utf8")) as { version: string };
  return pkg.version;
}

/** The hash of what an image would be made of now. */
export async function imageInputs(): Promise<string> {
  const hash = createHash("sha256").update(await pgliteVersion());
  for (const m of await readMigrations()) hash.update(`\0${m.name}\0${m.checksum}`);
  hash.update("\0").update(await readFile(SEED_FILE));
  return hash.digest("hex");
}

/**
 * Makes the image: a new database, migrated, checkpointed, dumped as a tar; then the tar loaded into a folder,
 * seeded (its audit rows say the facts were stored when the image was built) and closed cleanly: the folder new data
 * folders copy.
 */
export async function buildImage(): Promise<ImageMeta> {
  const pglite = await PGlite.create("memory://", pgliteOptions());
  const db = pgliteDatabase(pglite, "the image being built");
  let tar: Blob;
  let migrations: string[];
  try {
    migrations = await migrate(db);
    // Leave the files as a clean shutdown would, so that opening them needs no recovery.
    await db.withSession((s) => s.exec("CHECKPOINT"));
    tar = await pglite.dumpDataDir("gzip");
  } finally {
    await db.close();
  }
  const bytes = Buffer.from(await tar.arrayBuffer());
  await writeFile(IMAGE_TAR, bytes);
  const dir = fileURLToPath(IMAGE_DIR);
  rmSync(dir, { recursive: true, force: true });
  const folder = pgliteDatabase(await PGlite.create(dir, pgliteOptions({ loadDataDir: new Blob([new Uint8Array(bytes)]) })), "the image's folder");
  try {
    await seed(folder);
    await folder.withSession((s) => s.exec("CHECKPOINT"));
  } finally {
    await folder.close();
  }
  const meta: ImageMeta = {
    pgliteVersion: await pgliteVersion(),
    migrations,
    inputs: await imageInputs(),
    createdAt: new Date().toISOString(),
    bytes: bytes.length,
    folders: foldersUnder(dir),
  };
  await writeFile(IMAGE_META_FILE, `${JSON.stringify(meta, null, 2)}\n`);
  return meta;
}

/** Makes the image unless the one there was made of the same inputs. */
export async function ensureImage(): Promise<{ meta: ImageMeta; rebuilt: boolean }> {
  try {
    const meta = JSON.parse(await readFile(IMAGE_META_FILE, "utf8")) as ImageMeta;
    if (meta.inputs === (await imageInputs()) && Array.isArray(meta.folders) && existsSync(IMAGE_TAR) && existsSync(new URL("PG_VERSION", IMAGE_DIR))) return { meta, rebuilt: false };
  } catch {
    // No image yet.
  }
  return { meta: await buildImage(), rebuilt: true };
}

/** The image's description, if it is there. */
async function readMeta(): Promise<ImageMeta | undefined> {
  try {
    return JSON.parse(await readFile(IMAGE_META_FILE, "utf8")) as ImageMeta;
  } catch {
    return undefined;
  }
}

/** Why there is no image this PGlite and checkout can use, or undefined when there is one. */
export async function imageProblem(): Promise<string | undefined> {
  const meta = await readMeta();
  if (!meta) return `no prebuilt database image at ${fileURLToPath(IMAGE_META_FILE)} (npm run build makes it)`;
  const installed = await pgliteVersion();
  if (meta.pgliteVersion !== installed) return `the prebuilt database image was made with PGlite ${meta.pgliteVersion}, this is ${installed} (npm run build remakes it)`;
  const known = new Set((await readMigrations()).map((m) => m.name));
  if (meta.migrations.some((name) => !known.has(name))) return "the prebuilt database image holds migrations this checkout does not have (npm run build remakes it)";
  return undefined;
}

/** Copies the image's folder into `dataDir` (which holds no database yet). @returns why not, when there is no usable image. */
export async function copyImageTo(dataDir: string): Promise<string | undefined> {
  const problem = (await imageProblem()) ?? (existsSync(new URL("PG_VERSION", IMAGE_DIR)) ? undefined : "the prebuilt database image's folder is missing (npm run build makes it)");
  if (problem) return problem;
  await copyTree(fileURLToPath(IMAGE_DIR), dataDir);
  for (const folder of (await readMeta())?.folders ?? []) mkdirSync(path.join(dataDir, folder), { recursive: true, mode: 0o700 });
  return undefined;
}

/**
 * Copies the files under `from` into `to`, the folders first, then every file at once: the copies run on libuv's
 * thread pool while the main thread goes on (at start it is loading the bot's code meanwhile). A reflink where the file
 * system has them.
 */
async function copyTree(from: string, to: string): Promise<void> {
  const files: Array<[string, string]> = [];
  const walk = (source: string, target: string) => {
    mkdirSync(target, { recursive: true, mode: 0o700 });
    for (const entry of readdirSync(source, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(source, entry.name), path.join(target, entry.name));
      else if (entry.isFile()) files.push([path.join(source, entry.name), path.join(target, entry.name)]);
    }
  };
  walk(from, to);
  await Promise.all(files.map(([source, target]) => copyFile(source, target, constants.COPYFILE_FICLONE)));
}

/** The image as a tar for an in-memory database, or undefined when there is no usable one. */
export async function imageTar(): Promise<Blob | undefined> {
  if (await imageProblem()) return undefined;
  try {
    return new Blob([new Uint8Array(await readFile(IMAGE_TAR))]);
  } catch {
    return undefined;
  }
}
