import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { describeFailure } from "../../../src/cli/errors.js";

describe("describeFailure: a failure that is not one of ours, in one line", () => {
  it("says the database connection was lost when the socket it was using is gone (the bot stopped), and what to do", async () => {
    const gone = mkdtempSync(path.join(tmpdir(), "korus-gone-"));
    const client = new pg.Client({ host: gone, port: 5432, user: "korus", database: "korus", connectionTimeoutMillis: 2000 });
    const error = await client.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    // Wrapped as Prisma's driver adapter wraps it: the cause carries the code.
    const wrapped = new Error("\nInvalid `prisma.$executeRaw()` invocation:\n\n\nconnect", { cause: error });
    for (const e of [error, wrapped]) {
      const said = describeFailure(e);
      expect(said).toMatch(/^failed: the connection to the database was lost .*run the command again$/);
      expect(said).not.toContain("\n");
      expect(said).not.toContain("prisma");
    }
  });

  it("gives the last line of any other message, on one line, cut at 300 characters", () => {
    expect(describeFailure(new Error("\nInvalid `prisma.fact.findMany()` invocation:\n\n\nValue out of range for the type"))).toBe(
      "failed: Value out of range for the type (LOG_LEVEL=debug shows the details)",
    );
    const long = describeFailure(new Error("x".repeat(1000)));
    expect(long.length).toBeLessThan(400);
    expect(long).toContain("…");
    expect(describeFailure("a thrown string")).toBe("failed: a thrown string (LOG_LEVEL=debug shows the details)");
  });
});
