import { createHash } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { pgliteDatabase } from "./database.js";
import { migrate, readMigrations } from "./migrate.js";

/**
 * The prebuilt database image: a migrated (not yet seeded) embedded database as a gzipped tar of its data folder, made by
 * `npm run build`. A new data folder is loaded from it (PGlite's `loadDataDir`) instead of running initdb, which
 * takes seconds and nearly 800 MiB. Both paths resolve from this file, so src/ (tests) and dist/ find the same file.
 */
export const IMAGE_FILE = new URL("../../dist/db-image.tar.gz", import.meta.url);
/** What the image holds: the PGlite version it was made with and the migrations applied. */
export const IMAGE_META_FILE = new URL("../../dist/db-image.json", import.meta.url);

/** The image's description, written beside it. */
export interface ImageMeta {
  pgliteVersion: string;
  migrations: string[];
  /** A hash of what the image is made of: the migrations and PGlite's version. */
  inputs: string;
  createdAt: string;
  bytes: number;
}

/** The installed PGlite's version (a data folder is only readable by the version that wrote its format). */
export async function pgliteVersion(): Promise<string> {
  const entry = fileURLToPath(import.meta.resolve("@electric-sql/pglite"));
  const pkg = JSON.parse(await readFile(new URL("../package.json", `file://${entry}`), "utf8")) as { version: string };
  return pkg.version;
}

/**
 * Makes the image: a new in-memory database, migrated, dumped. It holds no facts: the seed is stored when a data
 * folder is first opened, so that its audit rows say when that was.
 */
export async function buildImage(file: URL = IMAGE_FILE, metaFile: URL = IMAGE_META_FILE): Promise<ImageMeta> {
  const pglite = await PGlite.create("memory://");
  const db = pgliteDatabase(pglite, "the image being built");
  try {
    const migrations = await migrate(db);
    // Leave the files as a clean shutdown would, so that loading them needs no recovery.
    await db.withSession((s) => s.exec("CHECKPOINT"));
    const blob = await pglite.dumpDataDir("gzip");
    const bytes = Buffer.from(await blob.arrayBuffer());
    await writeFile(file, bytes);
    const meta: ImageMeta = {
      pgliteVersion: await pgliteVersion(),
      migrations,
      inputs: await imageInputs(),
      createdAt: new Date().toISOString(),
      bytes: bytes.length,
    };
    await writeFile(metaFile, `${JSON.stringify(meta, null, 2)}\n`);
    return meta;
  } finally {
    await db.close();
  }
}

/** The hash of what an image would be made of now. */
export async function imageInputs(): Promise<string> {
  const hash = createHash("sha256").update(await pgliteVersion());
  for (const m of await readMigrations()) hash.update(`\0${m.name}\0${m.checksum}`);
  return hash.digest("hex");
}

/** Makes the image unless the one there was made of the same inputs. */
export async function ensureImage(): Promise<{ meta: ImageMeta; rebuilt: boolean }> {
  try {
    const meta = JSON.parse(await readFile(IMAGE_META_FILE, "utf8")) as ImageMeta;
    await readFile(IMAGE_FILE);
    if (meta.inputs === (await imageInputs())) return { meta, rebuilt: false };
  } catch {
    // No image yet.
  }
  return { meta: await buildImage(), rebuilt: true };
}

/**
 * The image, if there is one this PGlite can load; otherwise why not (the caller then runs initdb, slowly).
 */
export async function readImage(file: URL = IMAGE_FILE, metaFile: URL = IMAGE_META_FILE): Promise<{ blob: Blob; meta: ImageMeta } | { missing: string }> {
  let meta: ImageMeta;
  let bytes: Buffer;
  try {
    meta = JSON.parse(await readFile(metaFile, "utf8")) as ImageMeta;
    bytes = await readFile(file);
  } catch {
    return { missing: `no prebuilt database image at ${fileURLToPath(file)} (npm run build makes it)` };
  }
  const installed = await pgliteVersion();
  if (meta.pgliteVersion !== installed) {
    return { missing: `the prebuilt database image was made with PGlite ${meta.pgliteVersion}, this is ${installed} (npm run build remakes it)` };
  }
  const known = new Set((await readMigrations()).map((m) => m.name));
  if (meta.migrations.some((name) => !known.has(name))) {
    return { missing: "the prebuilt database image holds migrations this checkout does not have (npm run build remakes it)" };
  }
  return { blob: new Blob([new Uint8Array(bytes)]), meta };
}
