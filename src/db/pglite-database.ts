import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../generated/prisma/client.js";
import { type Database, ping, type SqlSession } from "./database.js";

/** Wraps a PGlite of this process. `beforeClose` runs first on close (stop serving it), `afterClose` last (unlock). */
export function pgliteDatabase(
  pglite: PGlite,
  description: string,
  hooks: {
    beforeClose?: () => Promise<void>;
    afterClose?: () => void;
    onExternalWork?: (listener: () => void) => void;
    externalWorkSince?: () => number | undefined;
  } = {},
): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(yieldingPGlite(pglite)) });
  const session: SqlSession = {
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    query: async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => (await pglite.query<T>(sql, params)).rows,
  };
  let closed: Promise<void> | undefined;
  return {
    prisma,
    kind: "pglite",
    description,
    pglite,
    // PGlite serves one connection; its own queue serializes callers.
    withSession: (fn) => fn(session),
    ping: () => ping(session),
    ...(hooks.onExternalWork ? { onExternalWork: hooks.onExternalWork } : {}),
    ...(hooks.externalWorkSince ? { externalWorkSince: hooks.externalWorkSince } : {}),
    close: () =>
      (closed ??= (async () => {
        try {
          await hooks.beforeClose?.();
          await prisma.$disconnect().catch(() => undefined);
          if (!pglite.closed) await pglite.close();
        } finally {
          hooks.afterClose?.();
        }
      })()),
  };
}

/**
 * PostgreSQL's buffer pool inside PGlite. PGlite's default (128 MB) is touched at start and costs ~150 MiB of resident
 * memory; 16 MB keeps a bot on the embedded database near 200 MiB, and the fact store's working set fits (the
 * operating system caches the files beneath it).
 */
const SHARED_BUFFERS = "16MB";

/** PGlite's options for every instance the bot opens (owner, in-memory, image): its start parameters plus `extra`. */
export function pgliteOptions<T extends object>(extra: T = {} as T): T & { startParams: string[] } {
  return { ...extra, startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${SHARED_BUFFERS}`] };
}

/** One turn of the event loop: timers, sockets and other requests run before the caller goes on. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * PGlite as Prisma's adapter sees it, giving the event loop a turn before each statement. PGlite runs in this
 * process, and a statement's promise settles in a microtask: under load, one request's queries and the next one's
 * chain through microtasks without ever reaching the timers or the sockets, so acks that are due (the ack budget's
 * timer) and answers already written wait for a whole queue of database work. Measured in the bench (section
 * submissions at concurrency 32, embedded): p99 about 5.5 s without the turn.
 */
function yieldingPGlite(pglite: PGlite): PGlite {
  const yielding = <T extends object>(target: T, wrapTransaction: boolean): T =>
    new Proxy(target, {
      get(object, property) {
        const value = Reflect.get(object, property, object) as unknown;
        if (typeof value !== "function") return value;
        if (property === "query" || property === "exec") {
          return async (...args: unknown[]) => {
            await nextTurn();
            return (value as (...a: unknown[]) => unknown).apply(object, args);
          };
        }
        if (property === "transaction" && wrapTransaction) {
          return async (callback: (tx: object) => unknown) => {
            await nextTurn();
            return (value as (cb: (tx: object) => unknown) => unknown).call(object, (tx: object) => callback(yielding(tx, false)));
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(object);
      },
    });
  return yielding(pglite, true);
}
