/**
 * Global setup of both test suites (vitest.config.ts, vitest.slow.config.ts): one temporary folder per run, made the
 * TMPDIR of the run's workers and of every process they start, and removed when the run ends. Tests make their data
 * folders, sockets, outputs and installs with `mkdtemp(tmpdir())` and most leave them: before this, a day of runs on a
 * developer's machine left some 2,500 folders (about 28 GB of databases and 1.1 GB per production-install run) in /tmp.
 */
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export default async function setup(): Promise<() => Promise<void>> {
  const folder = await mkdtemp(path.join(tmpdir(), "korus-test-run-"));
  // Readable by the other user a test runs the bot as (the production install runs it as nobody).
  await chmod(folder, 0o755);
  process.env.TMPDIR = folder;
  return () => rm(folder, { recursive: true, force: true });
}
