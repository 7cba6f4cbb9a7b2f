import { describe, expect, it } from "vitest";
import { createLogger, scrubSecrets } from "../../src/logger.js";

function capture(level: "debug" | "info" | "warn" | "error" = "debug", secrets: string[] = []) {
  const lines: Array<Record<string, unknown>> = [];
  const logger = createLogger(level, "test", (line) => lines.push(JSON.parse(line) as Record<string, unknown>), { secrets });
  return { logger, lines };
}

describe("the logger", () => {
  it("writes one JSON object a line: message words joined, an Error as err with its stack, an object's fields added", () => {
    const { logger, lines } = capture();
    logger.error("memo reminders failed:", new Error("database went away"), { memo: 3 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "error", name: "test", msg: "memo reminders failed: database went away", memo: 3 });
    expect((lines[0]!.err as { stack: string }).stack).toContain("Error: database went away");
    expect(typeof lines[0]!.time).toBe("string");
  });

  it("drops lines below its level", () => {
    const { logger, lines } = capture("warn");
    logger.info("quiet");
    logger.debug("quieter");
    logger.warn("loud");
    expect(lines.map((l) => l.msg)).toEqual(["loud"]);
  });

  it("a request's child logger puts its id on every line, notices too, and the parent's lines stay without it", async () => {
    const { logger, lines } = capture("warn");
    logger.warn("outside");
    const request = logger.child({ reqId: "a1b2c3d4" });
    request.warn("first");
    await new Promise((r) => setTimeout(r, 5));
    request.error("after an await", new Error("boom"));
    request.info("below the level");
    request.notice("a notice");
    logger.warn("outside again");
    expect(lines.map((l) => [l.msg, l.reqId])).toEqual([
      ["outside", undefined],
      ["first", "a1b2c3d4"],
      ["after an await boom", "a1b2c3d4"],
      ["a notice", "a1b2c3d4"],
      ["outside again", undefined],
    ]);
    expect(request.level).toBe("warn");
  });

  it("never writes a Slack token or a given secret, wherever it sits in the line", () => {
    const secret = "s3cr3t-signing-value";
    const { logger, lines } = capture("debug", [secret]);
    const error = Object.assign(new Error("invalid_auth for xoxb-123-456-abcDEF"), { headers: { authorization: "Bearer xoxp-9-9-zz99ZZ" }, secret });
    logger.error("call failed", error, { token: "xapp-1-A0-123-abcdef", note: `signed with ${secret}` });
    const text = JSON.stringify(lines);
    for (const leak of ["xoxb-123-456-abcDEF", "xoxp-9-9-zz99ZZ", "xapp-1-A0-123-abcdef", secret]) expect(text).not.toContain(leak);
    expect(lines[0]!.msg).toBe("call failed invalid_auth for xoxb-[redacted]");
    expect(lines[0]!.token).toBe("xapp-[redacted]");
    expect(lines[0]!.note).toBe("signed with [redacted]");
  });

  it("scrubs the token shapes Slack issues and leaves other words alone", () => {
    expect(scrubSecrets("bot xoxb-1-2-abc, user xoxp-1-2-3-def, refresh xoxe.xoxp-1-abcdefgh, app xapp-1-A1-2-ghi")).toBe(
      "bot xoxb-[redacted], user xoxp-[redacted], refresh xoxe.xoxp-[redacted], app xapp-[redacted]",
    );
    expect(scrubSecrets("xoxb is the prefix of a bot token; the box-office")).toBe("xoxb is the prefix of a bot token; the box-office");
  });
});
