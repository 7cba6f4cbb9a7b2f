import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import { describe, expect, it } from "vitest";
import { inOrder } from "../../../src/slack/listeners/in-order.js";

type Args = Parameters<Middleware<AnyMiddlewareArgs>>[0];
const run = (m: Middleware<AnyMiddlewareArgs>, args: Record<string, unknown>) => m(args as unknown as Args);

describe("middleware in order, as one", () => {
  it("runs each in order around the next, with the same arguments, and ends in Bolt's next", async () => {
    const seen: string[] = [];
    const wrap =
      (name: string): Middleware<AnyMiddlewareArgs> =>
      async (args) => {
        seen.push(`${name} in ${(args.body as unknown as { id: string }).id}`);
        // Reads next late, after an await, as a middleware may.
        await Promise.resolve();
        await args.next();
        seen.push(`${name} out`);
      };
    await run(inOrder([wrap("a"), wrap("b"), wrap("c")]), { body: { id: "r1" }, next: async () => void seen.push("bolt") });
    expect(seen).toEqual(["a in r1", "b in r1", "c in r1", "bolt", "c out", "b out", "a out"]);
  });

  it("stops where a middleware does not call next, and hands a failure back through the ones before it", async () => {
    const seen: string[] = [];
    let boltNext = 0;
    const stop: Middleware<AnyMiddlewareArgs> = async () => void seen.push("answered");
    const never: Middleware<AnyMiddlewareArgs> = async () => void seen.push("should not run");
    await run(inOrder([stop, never]), { body: {}, next: async () => void boltNext++ });
    expect(seen).toEqual(["answered"]);
    expect(boltNext).toBe(0);

    const cleanup: Middleware<AnyMiddlewareArgs> = async (args) => {
      try {
        await args.next();
      } finally {
        seen.push("cleaned up");
      }
    };
    const fail: Middleware<AnyMiddlewareArgs> = async () => {
      throw new Error("listener failed");
    };
    await expect(run(inOrder([cleanup, fail]), { body: {}, next: async () => undefined })).rejects.toThrow("listener failed");
    expect(seen.at(-1)).toBe("cleaned up");
  });

  it("refuses a next called twice", async () => {
    const twice: Middleware<AnyMiddlewareArgs> = async (args) => {
      await args.next();
      await args.next();
    };
    await expect(run(inOrder([twice]), { body: {}, next: async () => undefined })).rejects.toThrow(/called multiple times/);
  });
});
