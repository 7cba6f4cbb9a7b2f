import type { PGlite } from "@electric-sql/pglite";
import type { PrismaClient } from "../generated/prisma/client.js";

/** A connection on which raw SQL runs, used by the migration runner and the health check. */
export interface SqlSession {
  /** Runs SQL text that may hold several statements, with no parameters. */
  exec(sql: string): Promise<void>;
  /** Runs one parameterized statement and returns its rows. */
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** How this process reaches the data. */
export type DatabaseKind =
  /** PGlite in this process (it owns the data folder, or the database lives in memory). */
  | "pglite"
  /** The embedded database owned by another process (the bot), over its unix socket. */
  | "pglite-socket"
  /** A PostgreSQL server. */
  | "postgresql";

/** The bot's database: a Prisma client plus the raw session beneath it. */
export interface Database {
  readonly prisma: PrismaClient;
  readonly kind: DatabaseKind;
  /** Where the data lives, for humans (never contains a password). */
  readonly description: string;
  /** The embedded instance, when this process holds one (to dump it, or serve it to others). */
  readonly pglite?: PGlite;
  /** Runs `fn` on one dedicated connection (PGlite has only one). */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /** True when a trivial query answers. */
  ping(): Promise<boolean>;
  /** Closes the database (and whatever it holds: a lock, a socket). Safe to call twice. */
  close(): Promise<void>;
  /**
   * Calls `listener` after another process (a `korus` command going through this one) finished a unit of work on
   * the database, so that caches of this process can drop what may have changed. Only the owner of an embedded data
   * folder can tell; elsewhere this does nothing.
   */
  onExternalWork?(listener: () => void): void;
  /**
   * When (performance.now()) another process's unit of work that holds the embedded database now began (a `korus`
   * command's statement, or its whole transaction), or undefined when none does. Meanwhile nothing can commit, so what
   * this process read before it began is still what is committed. Only the owner of an embedded data folder can tell.
   */
  externalWorkSince?(): number | undefined;
}

/** True when a trivial query answers on `session`. */
export async function ping(session: SqlSession): Promise<boolean> {
  try {
    await session.query("SELECT 1 AS ok");
    return true;
  } catch {
    return false;
  }
}
