/**
 * Where the owner of an embedded data folder listens: PostgreSQL's socket (the database, for `korus` commands and the
 * console) and the answers socket (whole answers the bot gives a `korus` command: src/cli/owner-answers.ts). A module
 * of its own with nothing but Node's built-ins: a `korus status` finds the answers socket before loading anything else.
 */
import { createHash } from "node:crypto";
import { chmodSync, realpathSync, rmSync } from "node:fs";
import type { Server } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

/** The socket file's name, as PostgreSQL names it (so `pg` finds it from the folder and port 5432). */
export const SOCKET_NAME = ".s.PGSQL.5432";
/** The answers socket, beside PostgreSQL's (a name no longer than it, so that it fits wherever that one does). */
export const ANSWERS_SOCKET_NAME = ".s.KORUS.ans";
// Unix socket paths are limited to 107 bytes on Linux (103 on macOS); keep a margin.
const MAX_SOCKET_PATH = 100;

/** Where the owner of `dataDir` serves it: a socket in the folder, or (for a long path) in the temp folder. */
export function socketPathFor(dataDir: string): string {
  const inFolder = path.join(dataDir, SOCKET_NAME);
  if (Buffer.byteLength(inFolder) <= MAX_SOCKET_PATH) return inFolder;
  const id = createHash("sha256").update(realpathSync(dataDir)).digest("hex").slice(0, 16);
  return path.join(tmpdir(), `korus-${id}`, SOCKET_NAME);
}

/** Where the owner of `dataDir` answers `korus` commands: beside its database socket. */
export function answersSocketPathFor(dataDir: string): string {
  return path.join(path.dirname(socketPathFor(dataDir)), ANSWERS_SOCKET_NAME);
}

/**
 * Makes `server` listen on the unix socket `socketPath`, readable and writable by this user only. A socket file left by
 * an owner that was killed would make listen() fail with EADDRINUSE; the caller holds the data folder's lock, so any
 * file there is stale and is replaced.
 */
export async function listenPrivately(server: Server, socketPath: string): Promise<void> {
  rmSync(socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(socketPath, () => {
      server.off("error", reject);
      resolve();
    });
  });
  chmodSync(socketPath, 0o600);
}
