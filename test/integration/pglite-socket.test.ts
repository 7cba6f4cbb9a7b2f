import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type PgliteSocketServer, servePgliteSocket } from "../../src/db/pglite-server.js";
import { createTestPGlite } from "../support/test-db.js";

let pglite: PGlite;
let server: PgliteSocketServer;
let dir: string;
const clients: pg.Client[] = [];

async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ host: dir, port: 5432, user: "postgres", database: "postgres" });
  await client.connect();
  clients.push(client);
  return client;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  // The prebuilt image's cluster (an initdb costs about 2.5 CPU-s); table t is this file's own.
  pglite = await createTestPGlite();
  await pglite.exec("CREATE TABLE t (id serial PRIMARY KEY, who text NOT NULL)");
});

afterAll(async () => {
  await pglite.close();
});

beforeEach(async () => {
  await pglite.exec("TRUNCATE t RESTART IDENTITY");
  dir = mkdtempSync(path.join(tmpdir(), "korus-sock-"));
  server = await servePgliteSocket(pglite, path.join(dir, ".s.PGSQL.5432"), { holdTimeoutMs: 1500 });
});

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.end().catch(() => undefined)));
  await server.stop();
  expect(pglite.isInTransaction()).toBe(false);
});

describe("the embedded database served on a unix socket", () => {
  it("answers a client with PostgreSQL's wire protocol, and the owner sees its commits at once", async () => {
    const client = await connect();
    await client.query("INSERT INTO t (who) VALUES ($1)", ["client"]);
    expect((await pglite.query<{ who: string }>("SELECT who FROM t")).rows).toEqual([{ who: "client" }]);
    const { rows } = await client.query("SELECT count(*)::int AS n FROM t");
    expect(rows).toEqual([{ n: 1 }]);
  });

  it("keeps the owner's queries out of a client's open transaction: they wait for its COMMIT and are not rolled back with it", async () => {
    const client = await connect();
    await client.query("BEGIN");
    await client.query("INSERT INTO t (who) VALUES ('client, rolled back')");
    let ownerDone = false;
    const owner = pglite.query("INSERT INTO t (who) VALUES ('owner') RETURNING id").then((r) => {
      ownerDone = true;
      return r;
    });
    await sleep(150);
    expect(ownerDone).toBe(false);
    await client.query("ROLLBACK");
    await owner;
    expect((await pglite.query<{ who: string }>("SELECT who FROM t ORDER BY id")).rows).toEqual([{ who: "owner" }]);
  });

  it("says since when a client's unit of work holds the database: from its BEGIN to its COMMIT, and not between", async () => {
    const client = await connect();
    expect(server.heldSince()).toBeUndefined();
    await client.query("SELECT 1");
    expect(server.heldSince()).toBeUndefined();
    const before = performance.now();
    await client.query("BEGIN");
    const since = server.heldSince();
    expect(since).toBeGreaterThanOrEqual(before);
    await client.query("INSERT INTO t (who) VALUES ('client')");
    expect(server.heldSince()).toBe(since);
    await client.query("COMMIT");
    expect(server.heldSince()).toBeUndefined();
  });

  it("keeps a client out of the owner's transaction until it ends", async () => {
    const client = await connect();
    let clientSaw: number | undefined;
    await pglite.transaction(async (tx) => {
      await tx.query("INSERT INTO t (who) VALUES ('owner, rolled back')");
      const read = client.query("SELECT count(*)::int AS n FROM t").then((r) => (clientSaw = r.rows[0].n as number));
      await sleep(150);
      expect(clientSaw).toBeUndefined();
      await tx.rollback();
      void read;
    });
    await sleep(50);
    await expect.poll(() => clientSaw).toBe(0);
  });

  it("serves several clients one unit of work at a time, without mixing their pipelines or transactions", async () => {
    const writers = await Promise.all(Array.from({ length: 4 }, () => connect()));
    await Promise.all(
      writers.map(async (client, w) => {
        for (let i = 0; i < 20; i++) {
          await client.query("BEGIN");
          await client.query("INSERT INTO t (who) VALUES ($1)", [`w${w}-${i}`]);
          const { rows } = await client.query<{ who: string }>("SELECT who FROM t WHERE who = $1", [`w${w}-${i}`]);
          expect(rows).toEqual([{ who: `w${w}-${i}` }]);
          await client.query(i % 2 === 0 ? "COMMIT" : "ROLLBACK");
          // The owner's own work goes on in between.
          await pglite.query("SELECT 1");
        }
      }),
    );
    expect((await pglite.query<{ n: number }>("SELECT count(*)::int AS n FROM t")).rows[0]!.n).toBe(40);
  });

  it("rolls back what a client left open when it disconnects, and lets the owner go on", async () => {
    const client = await connect();
    client.on("error", () => undefined);
    await client.query("BEGIN");
    await client.query("INSERT INTO t (who) VALUES ('abandoned')");
    // The client process dies: its socket closes without COMMIT.
    (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    clients.pop();
    const { rows } = await pglite.query<{ n: number }>("SELECT count(*)::int AS n FROM t");
    expect(rows[0]!.n).toBe(0);
    expect(pglite.isInTransaction()).toBe(false);
  });

  it("disconnects a client that sits in a transaction for longer than the hold timeout, so the owner is not stalled", async () => {
    const client = await connect();
    client.on("error", () => undefined);
    await client.query("BEGIN");
    await client.query("INSERT INTO t (who) VALUES ('stalled')");
    const started = Date.now();
    await pglite.query("INSERT INTO t (who) VALUES ('owner')");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect((await pglite.query<{ who: string }>("SELECT who FROM t")).rows).toEqual([{ who: "owner" }]);
    await expect(client.query("COMMIT")).rejects.toThrow();
  });
});
