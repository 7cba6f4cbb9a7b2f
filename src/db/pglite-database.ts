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

/*
 * wal_init_zero=off: PostgreSQL makes a new WAL segment (16 MB) by writing its last byte instead of filling it with
 * zeros 8 kB at a time. In an in-memory database (memory://, the bench and the tests) every one of those writes grew
 * the file's buffer by an eighth and copied it: about 2 s of a 30,000-fact import went into that (issue 25). On a data
 * folder, the zeros only served file systems that must allocate blocks ahead; the database already runs without fsync.
 */

/** PGlite's options for every instance the bot opens (owner, in-memory, image): its start parameters plus `extra`. */
export function pgliteOptions<T extends object>(extra: T = {} as T): T & { startParams: string[] } {
  return { ...extra, startParams: [...PGlite.defaultStartParams, "-c", `shared_buffers=${SHARED_BUFFERS}`, "-c", "wal_init_zero=off"] };
}

/**
 * Lets the statements of one PGlite through one per turn of the event loop. PGlite runs in this process and a
 * statement's promise settles in a microtask: under load, one request's queries and the next one's chain through
 * microtasks without ever reaching the timers or the sockets, so acks that are due (the ack budget's timer) and answers
 * already written wait for a whole queue of database work (measured in the bench, section submissions at concurrency
 * 32, embedded: p99 about 5.5 s with no turn at all). A turn before each statement was not enough: every request's
 * turn ends in the same check phase, so the ~32 statements queued meanwhile then ran back to back in one turn of
 * 150-400 ms, in which the bot read about one new connection. Released one per turn (each `setImmediate` queued from
 * the check phase runs in the next turn), a turn holds one statement and the sockets are polled between statements.
 * A statement is released, not held until it ends: a transaction's own statements pass the same gate while
 * PGlite's transaction lock makes the others wait, so the gate cannot deadlock with it.
 */
export function turnGate(): () => Promise<void> {
  const waiting: Array<() => void> = [];
  let pumping = false;
  const pump = () => {
    const next = waiting.shift();
    if (!next) {
      pumping = false;
      return;
    }
    next();
    setImmediate(pump);
  };
  return () =>
    new Promise<void>((resolve) => {
      waiting.push(resolve);
      if (!pumping) {
        pumping = true;
        setImmediate(pump);
      }
    });
}

/** PGlite as Prisma's adapter sees it: each statement, and each transaction's start, waits for its turn (turnGate). */
function yieldingPGlite(pglite: PGlite): PGlite {
  const turn = turnGate();
  const yielding = <T extends object>(target: T, wrapTransaction: boolean): T =>
    new Proxy(target, {
      get(object, property) {
        const value = Reflect.get(object, property, object) as unknown;
        if (typeof value !== "function") return value;
        if (property === "query" || property === "exec") {
          return async (...args: unknown[]) => {
            await turn();
            return (value as (...a: unknown[]) => unknown).apply(object, args);
          };
        }
        if (property === "transaction" && wrapTransaction) {
          return async (callback: (tx: object) => unknown) => {
            await turn();
            return (value as (cb: (tx: object) => unknown) => unknown).call(object, (tx: object) => callback(yielding(tx, false)));
          };
        }
        return (value as (...a: unknown[]) => unknown).bind(object);
      },
    });
  return yielding(pglite, true);
}
