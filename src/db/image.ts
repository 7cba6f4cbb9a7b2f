import { createHash } from "node:crypto";
import { existsSync, readdirSync, rmSync } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { migrate, readMigrations } from "./migrate.js";
import { pgliteDatabase, pgliteOptions } from "./pglite-database.js";
import { SEED_FILE, seed } from "./seed.js";
import { IMAGE_DIR, IMAGE_META_FILE, IMAGE_TAR, type ImageMeta, pgliteVersion } from "./image-files.js";

// Making the prebuilt database image (npm run build); image-files.ts says what it is and how it is used.
export * from "./image-files.js";

/** The folders under `dir`, relative to it, parents first. */
function foldersUnder(dir: string, prefix = ""): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) => {
      const rel = path.join(prefix, e.name);
      return [rel, ...foldersUnder(dir, rel)];
    });
}

/** How the image is made; changing the recipe (here or in buildImage) means a new value, so old images are remade. */
const IMAGE_FORMAT = "postgres-only-1";

/** The hash of what an image would be made of now. */
export async function imageInputs(): Promise<string> {
  const hash = createHash("sha256")
    .update(await pgliteVersion())
    .update(`\0${IMAGE_FORMAT}`);
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
    // Only the `postgres` database stays: template0 and template1 are there for CREATE DATABASE, which an embedded
    // store never runs, and they are 600 of the image's 1,075 files (14 of 40 MB) that every new data folder copies.
    // One statement at a time: DROP DATABASE cannot run in the transaction a multi-statement text makes.
    for (const statement of DROP_TEMPLATES) await db.withSession((s) => s.exec(statement));
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

/** Drops the template databases (a database marked as a template cannot be dropped until unmarked). */
const DROP_TEMPLATES = ["ALTER DATABASE template0 IS_TEMPLATE false", "DROP DATABASE template0", "ALTER DATABASE template1 IS_TEMPLATE false", "DROP DATABASE template1"];

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
