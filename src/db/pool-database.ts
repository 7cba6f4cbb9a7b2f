/**
 * A database reached through a `pg` pool: a PostgreSQL server, or the embedded database served on another process's
 * socket. In a module of its own, loaded only then: the bot that owns its data folder never loads `pg` (about 50 ms of
 * a cold start).
 */
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.js";
import type { Database } from "./database.js";

/** Wraps a `pg` pool: a PostgreSQL server, or the embedded database served on another process's socket. */
export function poolDatabase(config: pg.PoolConfig, kind: "postgresql" | "pglite-socket", description: string): Database {
  const pool = new pg.Pool(config);
  // An idle client that loses its server emits 'error' on the pool; without a listener that would end the process.
  pool.on("error", () => undefined);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  let closed: Promise<void> | undefined;
  return {
    prisma,
    kind,
    description,
    withSession: async (fn) => {
      const client = await pool.connect();
      try {
        return await fn({
          exec: async (sql) => {
            await client.query(sql);
          },
          query: async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => (await client.query<T>(sql, params)).rows,
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
