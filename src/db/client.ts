import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client.js";

/** A connection on which raw SQL runs, used by the migration runner and the health check. */
export interface SqlSession {
  /** Runs SQL text that may hold several statements, with no parameters. */
  exec(sql: string): Promise<void>;
  /** Runs one parameterized statement and returns its rows. */
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** The bot's database: a Prisma client plus the raw session beneath it. */
export interface Database {
  readonly prisma: PrismaClient;
  readonly kind: "pglite" | "postgresql";
  /** Where the data lives, for humans (never contains a password). */
  readonly description: string;
  /** Runs `fn` on one dedicated connection (PGlite has only one). */
  withSession<T>(fn: (session: SqlSession) => Promise<T>): Promise<T>;
  /** True when a trivial query answers. */
  ping(): Promise<boolean>;
  /** Closes the database. Safe to call twice. */
  close(): Promise<void>;
}

/** Where to find the data: a PostgreSQL URL, or a folder (or `memory://`) for the embedded database. */
export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
}

/** Opens the database named by the options: PostgreSQL through @prisma/adapter-pg, else PGlite in-process. */
export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl) : openPglite(options.dataDir);
}

async function openPglite(dataDir: string): Promise<Database> {
  const inMemory = dataDir.startsWith("memory://");
  const location = inMemory ? dataDir : path.resolve(dataDir);
  if (!inMemory) mkdirSync(location, { recursive: true });
  const pglite = await PGlite.create(location);
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const session: SqlSession = {
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    query: async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
      (await pglite.query<T>(sql, params)).rows,
  };
  let closed: Promise<void> | undefined;
  return {
    prisma,
    kind: "pglite",
    description: inMemory ? "embedded PostgreSQL (PGlite) in memory" : `embedded PostgreSQL (PGlite) in ${location}`,
    // PGlite serves one connection; its own queue serializes callers.
    withSession: (fn) => fn(session),
    ping: () => ping(session),
    close: () =>
      (closed ??= (async () => {
        await prisma.$disconnect().catch(() => undefined);
        if (!pglite.closed) await pglite.close();
      })()),
  };
}

async function openPostgres(databaseUrl: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  // An idle client that loses its server emits 'error' on the pool; without a listener that would end the process.
  pool.on("error", () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  const url = new URL(databaseUrl);
  const description = `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
  let closed: Promise<void> | undefined;
  return {
    prisma,
    kind: "postgresql",
    description,
    withSession: async (fn) => {
      const client = await pool.connect();
      try {
        return await fn({
          exec: async (sql) => {
            await client.query(sql);
          },
          query: async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
            (await client.query<T>(sql, params)).rows,
        });
      } finally {
        client.release();
      }
    },
    ping: async () => {
      try {
        await pool.query("SELECT 1");
        return true;
      } catch {
        return false;
      }
    },
    close: () =>
      (closed ??= (async () => {
        await prisma.$disconnect().catch(() => undefined);
        if (!pool.ended) await pool.end().catch(() => undefined);
      })()),
  };
}

async function ping(session: SqlSession): Promise<boolean> {
  try {
    await session.query("SELECT 1 AS ok");
    return true;
  } catch {
    return false;
  }
}
