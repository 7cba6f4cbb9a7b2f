/**
 * The embedded database lets its statements through one per turn of the event loop (src/db/pglite-database.ts,
 * turnGate), so that sockets and timers get in between the statements of a burst; and transactions beside plain
 * statements still finish, each seeing only its own writes until it commits.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { turnGate } from "../../src/db/pglite-database.js";
import { createTestDatabase } from "../support/test-db.js";

/** Counts turns of the event loop (one setImmediate per turn) until stopped. */
function turnCounter() {
  let turns = 0;
  let running = true;
  const tick = () => {
    if (!running) return;
    turns++;
    setImmediate(tick);
  };
  setImmediate(tick);
  return {
    get turns() {
      return turns;
    },
    stop: () => {
      running = false;
    },
  };
}

describe("turnGate", () => {
  it("releases one waiter per turn of the event loop, in the order they came", async () => {
    const turn = turnGate();
    const order: string[] = [];
    const counter = turnCounter();
    await Promise.all(
      [0, 1, 2, 3].map(async (i) => {
        await turn();
        order.push(`${i}@${counter.turns}`);
      }),
    );
    counter.stop();
    const turnsSeen = order.map((o) => Number(o.split("@")[1]));
    expect(order.map((o) => o.split("@")[0])).toEqual(["0", "1", "2", "3"]);
    // Each waiter in a later turn than the one before.
    for (let i = 1; i < turnsSeen.length; i++) expect(turnsSeen[i]).toBeGreaterThan(turnsSeen[i - 1]!);
  });

  it("is idle when nothing waits, and starts again for a later waiter", async () => {
    const turn = turnGate();
    await turn();
    await new Promise((r) => setTimeout(r, 5));
    await expect(turn()).resolves.toBeUndefined();
  });
});

describe("the embedded database's statements under a burst", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
    await db.prisma.$executeRawUnsafe("CREATE TABLE turn_probe (id int PRIMARY KEY, n int NOT NULL)");
    await db.prisma.$executeRawUnsafe("INSERT INTO turn_probe SELECT i, 0 FROM generate_series(1, 8) AS i");
  }, 60_000);
  afterAll(() => db?.close());

  it("runs 32 statements asked at once in at least 31 more turns of the event loop", async () => {
    const counter = turnCounter();
    const start = counter.turns;
    const rows = await Promise.all(Array.from({ length: 32 }, (_, i) => db.prisma.$queryRawUnsafe<Array<{ v: number }>>(`SELECT ${i}::int AS v`)));
    const turns = counter.turns - start;
    counter.stop();
    expect(rows.map((r) => r[0]!.v)).toEqual(Array.from({ length: 32 }, (_, i) => i));
    // (the counter starts counting a turn after the first statement is released)
    expect(turns).toBeGreaterThanOrEqual(31);
  });

  it("finishes transactions and plain statements asked together; a rolled-back transaction leaves nothing", async () => {
    const increments = Array.from({ length: 8 }, (_, i) =>
      db.prisma.$transaction(async (tx) => {
        const [row] = await tx.$queryRawUnsafe<Array<{ n: number }>>(`SELECT n FROM turn_probe WHERE id = ${1 + (i % 4)} FOR UPDATE`);
        await tx.$executeRawUnsafe(`UPDATE turn_probe SET n = ${row!.n + 1} WHERE id = ${1 + (i % 4)}`);
      }),
    );
    const reads = Array.from({ length: 16 }, () => db.prisma.$queryRawUnsafe<Array<{ c: bigint }>>("SELECT count(*) AS c FROM turn_probe"));
    const failing = db.prisma
      .$transaction(async (tx) => {
        await tx.$executeRawUnsafe("UPDATE turn_probe SET n = n + 100 WHERE id = 5");
        throw new Error("rolled back");
      })
      .then(
        () => "committed",
        (e: Error) => e.message,
      );
    await Promise.all(increments);
    expect((await Promise.all(reads)).every((r) => Number(r[0]!.c) === 8)).toBe(true);
    expect(await failing).toBe("rolled back");
    const rows = await db.prisma.$queryRawUnsafe<Array<{ id: number; n: number }>>("SELECT id, n FROM turn_probe ORDER BY id");
    expect(rows.map((r) => r.n)).toEqual([2, 2, 2, 2, 0, 0, 0, 0]);
  });
});
