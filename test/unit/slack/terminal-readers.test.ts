import { Command, CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { fixedClock } from "../../../src/clock.js";
import { registerBriefCommands } from "../../../src/cli/briefs.js";
import { registerDeadlineCommands } from "../../../src/cli/deadlines.js";
import { slackTerminalReaders as chat } from "../../../src/slack/terminal-readers.js";

describe("Slack's readers of what a terminal is given (handed to src/cli by its composition roots)", () => {
  it("reads a channel typed as its id or pasted as a mention; refuses a name, a person and a direct message as a channel", () => {
    expect(chat.channel("C0123ABCD")).toBe("C0123ABCD");
    expect(chat.channel(" <#G0PRIVATE|team> ")).toBe("G0PRIVATE");
    expect(chat.channel("<#C0123ABCD>")).toBe("C0123ABCD");
    for (const typed of ["#trade", "trade", "U0PERSON", "D0DIRECT", "<@U0PERSON>", "c0123abcd", "<#C0123ABCD|x> more"]) expect(chat.channel(typed), typed).toBeUndefined();
    expect(chat.conversation("D0DIRECT")).toBe("D0DIRECT");
    expect(chat.conversation("<#C0TRADE|trade>")).toBe("C0TRADE");
    expect(chat.conversation("U0PERSON")).toBeUndefined();
    expect(chat.mentionsToIds("alerts on <#C0TRADE|trade> days 7")).toBe("alerts on C0TRADE days 7");
  });

  it("are what the korus command's --channel options read", async () => {
    const failing = () => Promise.reject(new Error("no database in this test"));
    const deps = { withServices: failing, isoDate: (v: string) => v, clock: fixedClock("2026-12-07T12:00:00Z"), timeZone: "America/New_York", chat };
    const program = new Command("korus").exitOverride().configureOutput({ writeErr: () => undefined });
    registerDeadlineCommands(program, deps);
    registerBriefCommands(program, deps);
    const refusal = await program.parseAsync(["alerts", "on", "--channel", "#trade"], { from: "user" }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(CommanderError);
    expect((refusal as CommanderError).message).toContain("not a channel id: write it like C0123ABCD");
    // A pasted mention passes the option and reaches the command (here, the database this test does not have).
    await expect(program.parseAsync(["alerts", "on", "--channel", "<#C0TRADE|trade>"], { from: "user" })).rejects.toThrow("no database in this test");
    await expect(program.parseAsync(["schedule", "weekly", "monday", "09:00", "UTC", "--channel", "<#C0TRADE|trade>"], { from: "user" })).rejects.toThrow("no database in this test");
  });
});
