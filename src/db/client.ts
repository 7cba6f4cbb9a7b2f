import type { Database } from "./database.js";
import type { OwnerInfo, OwnerRole } from "./data-folder-lock.js";
import { openEmbedded } from "./embedded.js";

export type { Database, DatabaseKind, SqlSession } from "./database.js";

/** Where to find the data: a PostgreSQL URL, or a folder (or `memory://`) for the embedded database. */
export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  /**
   * For a data folder: "bot" owns it and serves it to other processes; "cli" (the default) goes through the bot that
   * owns it, or owns it for the length of one command when no bot runs.
   */
  role?: OwnerRole;
  /** What this process is doing, for anyone who must wait for it. */
  command?: string;
  /** How long to wait for a data folder that another command holds. */
  waitMs?: number;
  onWait?: (message: string, holder: OwnerInfo) => void;
  onNotice?: (message: string) => void;
  onDebug?: (message: string) => void;
  /** For `memory://`: false starts from an empty cluster (initdb) instead of the prebuilt, migrated image. */
  fromImage?: boolean;
}

/**
 * Opens the database named by the options: PostgreSQL through @prisma/adapter-pg; an embedded data folder through
 * its owner (see openEmbedded); `memory://` as a private in-process PGlite (tests, the bench).
 */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl);
  if (options.dataDir.startsWith("memory://")) {
    // Loaded only here: a process that reaches the data through another one never needs PGlite.
    const [{ PGlite }, { pgliteDatabase, pgliteOptions }, { imageTar }] = await Promise.all([import("@electric-sql/pglite"), import("./pglite-database.js"), import("./image-files.js")]);
    // Migrated already when the prebuilt image is there (the migration runner then finds nothing to do).
    const image = options.fromImage === false ? undefined : await imageTar();
    const pglite = await PGlite.create(options.dataDir, pgliteOptions(image ? { loadDataDir: image } : {}));
    return pgliteDatabase(pglite, "embedded PostgreSQL (PGlite) in memory");
  }
  return openEmbedded({
    dataDir: options.dataDir,
    role: options.role ?? "cli",
    command: options.command ?? "korus",
    waitMs: options.waitMs,
    onWait: options.onWait,
    onNotice: options.onNotice,
    onDebug: options.onDebug,
  });
}

async function openPostgres(databaseUrl: string): Promise<Database> {
  const { poolDatabase } = await import("./pool-database.js");
  const url = new URL(databaseUrl);
  return poolDatabase({ connectionString: databaseUrl, max: 10 }, "postgresql", `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`);
}
