/**
 * Files a command writes (`--out`, `-o`): a memo export, an assembly, a fact export, a brief, a chart, a calendar.
 * An existing file is replaced only when the person says so (`--force`), a symbolic link is never followed (with
 * `--force` the link itself is replaced, never the file it points to), and a folder is named as a folder. A new file
 * is created with O_EXCL (so a link or file that appears meanwhile is not written through); a replacement is written
 * beside it and renamed over it, so the old file is never left half-written.
 */
import { randomBytes } from "node:crypto";
import { lstat, open, readlink, rename, unlink } from "node:fs/promises";
import path from "node:path";
import type { Stats } from "node:fs";
import { CliFailure } from "./facts.js";

/** Exit status for a file the command cannot use as it stands (src/cli/errors.ts EXIT_INPUT; not imported from there, which loads every command's errors). */
const EXIT_INPUT = 2;

/** How a command lets an existing file be replaced: its flag, named in the refusal. */
export interface OutputOptions {
  force?: boolean;
  /** The flag that allows replacing, as the command spells it (default `--force`). */
  forceFlag?: string;
}

async function lstatOrNothing(file: string): Promise<Stats | undefined> {
  try {
    return await lstat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    throw failure(file, error);
  }
}

/** A system error about `file` in words, as a CliFailure. */
function failure(file: string, error: unknown): CliFailure {
  const code = (error as NodeJS.ErrnoException).code;
  const folder = path.dirname(file);
  switch (code) {
    case "ENOENT":
      return new CliFailure(`cannot write ${file}: the folder ${folder} does not exist; nothing was written.`, EXIT_INPUT);
    case "ENOTDIR":
      return new CliFailure(`cannot write ${file}: a part of ${folder} is a file, not a folder; nothing was written.`, EXIT_INPUT);
    case "EISDIR":
      return new CliFailure(`${file} is a folder; give the name of a file in it (${path.join(file, "NAME")}). Nothing was written.`, EXIT_INPUT);
    case "EACCES":
    case "EPERM":
      return new CliFailure(`cannot write ${file}: permission denied; nothing was written.`);
    case "EROFS":
      return new CliFailure(`cannot write ${file}: the file system is read-only; nothing was written.`);
    case "ENOSPC":
      return new CliFailure(`cannot write ${file}: the disk is full; nothing was written.`);
    default:
      return new CliFailure(`cannot write ${file}: ${code ?? (error as Error).message}; nothing was written.`);
  }
}

/**
 * Checks, before any work, that `file` may be written: refuses a folder, anything that is not a file or a link, and
 * (without `force`) an existing file or link. Commands call it first so that a refusal loses nothing (an assembly is
 * not recorded for a file that cannot be written).
 * @throws CliFailure naming the file and what to do.
 */
export async function checkOutputFile(file: string, options: OutputOptions = {}): Promise<void> {
  const flag = options.forceFlag ?? "--force";
  const st = await lstatOrNothing(file);
  if (!st) return;
  if (st.isDirectory()) throw failure(file, Object.assign(new Error("folder"), { code: "EISDIR" }));
  if (!st.isFile() && !st.isSymbolicLink()) throw new CliFailure(`${file} is not a regular file (a device, socket or pipe); nothing was written.`, EXIT_INPUT);
  if (options.force) return;
  if (st.isSymbolicLink()) {
    const target = await readlink(file).catch(() => "?");
    throw new CliFailure(
      `${file} already exists as a symbolic link (to ${target}); nothing was written. Add ${flag} to replace the link itself (what it points to is never written), or choose another name.`,
      EXIT_INPUT,
    );
  }
  throw new CliFailure(`${file} already exists; nothing was written. Add ${flag} to replace it, or choose another name.`, EXIT_INPUT);
}

/** Creates `file` with O_EXCL and writes `data`; removes it again if the write fails. */
async function writeNew(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(file, "wx");
  try {
    await handle.writeFile(data);
  } catch (error) {
    await handle.close();
    await unlink(file).catch(() => {});
    throw error;
  }
  await handle.close();
}

/**
 * Writes `data` to `file` for a command's output option, by the rules above.
 * @throws CliFailure (exit 2 for a file that exists, a folder, a missing folder; 1 for the system refusing).
 */
export async function writeOutputFile(file: string, data: string | Uint8Array, options: OutputOptions = {}): Promise<void> {
  await checkOutputFile(file, options);
  const exists = (await lstatOrNothing(file)) !== undefined;
  try {
    if (!exists) {
      await writeNew(file, data);
      return;
    }
    const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString("hex")}.tmp`);
    await writeNew(temp, data);
    try {
      await rename(temp, file);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
  } catch (error) {
    // Created meanwhile by someone else: the same refusal as if it had been there before.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return checkOutputFile(file, { ...options, force: false });
    throw failure(file, error);
  }
}
