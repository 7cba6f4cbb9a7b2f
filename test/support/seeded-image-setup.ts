/**
 * `npm test`'s global setup (vitest.config.ts): names a file for the seeded test database's dump of this run, in a
 * temporary folder removed at the end of the run. The first worker that needs it makes it and the others wait for it
 * (test/support/test-db.ts, seededImage): seeding once per run instead of once in each worker. The dump
 * is not kept for later runs: tests rely on the seed's facts having been stored moments before (a brief's "what
 * changed in the last 7 days" lists them). Without the variable (another runner) each worker seeds as before.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { SEEDED_IMAGE_VARIABLE } from "./test-db.js";

export default async function setup(): Promise<() => Promise<void>> {
  const folder = await mkdtemp(path.join(tmpdir(), "korus-seeded-"));
  process.env[SEEDED_IMAGE_VARIABLE] = path.join(folder, "seeded.tar");
  return () => rm(folder, { recursive: true, force: true });
}
