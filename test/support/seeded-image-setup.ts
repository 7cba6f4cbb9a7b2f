/**
 * `npm test`'s global setup (vitest.config.ts): names the file of the seeded test database's dump for this run, in
 * node_modules/.cache/korus, by a hash of the prebuilt image and of src/ and prisma/ (the seed, the migrations and the
 * code that stores them), so a change to any of them names a new one. The first worker that needs it makes it and the
 * others wait for it (test/support/test-db.ts, seededImage): seeding once per run, and not at all on a run whose inputs
 * did not change, instead of once in each of the three workers. Without the variable (another runner, no prebuilt
 * image) each worker seeds as before.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { SEEDED_IMAGE_VARIABLE } from "./test-db.js";

const ROOT = path.join(import.meta.dirname, "../..");

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(path.join(ROOT, folder), { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(ROOT, path.join(e.parentPath, e.name)))
    .sort();
}

export default async function setup(): Promise<void> {
  const hash = createHash("sha256");
  for (const file of ["dist/db-image.tar.gz", "dist/db-image.json", "package-lock.json", ...(await filesUnder("src")), ...(await filesUnder("prisma"))]) {
    try {
      hash.update(`\0${file}\0`).update(await readFile(path.join(ROOT, file)));
    } catch {
      return; // No prebuilt image: each worker makes its database as before.
    }
  }
  process.env[SEEDED_IMAGE_VARIABLE] = path.join(ROOT, "node_modules/.cache/korus", `seeded-${hash.digest("hex").slice(0, 16)}.tar`);
}
