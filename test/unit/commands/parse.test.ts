import { describe, expect, it } from "vitest";
import { COMMANDS, MAX_COMMAND_TEXT, helpMarkdown, parseCommand } from "../../../src/commands/parse.js";

describe("parseCommand", () => {
  it("reads status with its options in any order and case", () => {
    expect(parseCommand("status")).toEqual({ name: "status", public: false });
    expect(parseCommand("  STATUS   public ")).toEqual({ name: "status", public: true });
    expect(parseCommand("status as-of 2017-07-20")).toEqual({ name: "status", public: false, asOf: "2017-07-20" });
    expect(parseCommand("status as-of=2017-07-20 public")).toEqual({ name: "status", public: true, asOf: "2017-07-20" });
    expect(parseCommand("status --as-of 2017-07-20")).toEqual({ name: "status", public: false, asOf: "2017-07-20" });
  });

  it("answers help for help, an empty text and --help", () => {
    for (const text of ["", "help", "HELP", "--help", "-h"]) expect(parseCommand(text)).toEqual({ name: "help" });
  });

  it("names what it did not understand", () => {
    expect(parseCommand("dance")).toEqual({ name: "invalid", message: "I don't know the command `dance`." });
    expect(parseCommand("status usmca loudly")).toMatchObject({ name: "invalid", message: "`status` does not take `loudly`." });
    expect(parseCommand("status usmca")).toEqual({ name: "status", public: false, topic: "usmca" });
    expect(parseCommand("status <!channel>")).toMatchObject({ name: "invalid" });
    expect(parseCommand("status as-of")).toMatchObject({ name: "invalid", message: "`as-of` needs a date, like `as-of 2017-07-20`." });
    expect(parseCommand("status as-of 2017-13-01")).toMatchObject({
      name: "invalid",
      message: "`2017-13-01` is not a date: write it as YYYY-MM-DD, like 2017-07-20.",
      usage: "/korus status [topic] [public] [as-of YYYY-MM-DD]",
    });
  });

  it("refuses an over-long text before reading it", () => {
    const parsed = parseCommand(`status ${"a".repeat(MAX_COMMAND_TEXT)}`);
    expect(parsed).toMatchObject({ name: "invalid" });
    expect(parsed.name === "invalid" && parsed.message).toBe(
      `That command is ${(MAX_COMMAND_TEXT + 7).toLocaleString("en-US")} characters long; the most /korus reads is ${MAX_COMMAND_TEXT.toLocaleString("en-US")}.`,
    );
    expect(MAX_COMMAND_TEXT).toBeGreaterThan(999);
  });

  it("every command in help has an example that parses", () => {
    for (const c of COMMANDS) {
      expect(parseCommand(c.example.replace(/^\/korus\s*/, "")).name).not.toBe("invalid");
      expect(helpMarkdown()).toContain(c.example);
    }
    // Nothing in the list is marked Slack-only; the message shortcut is, and says so.
    expect(helpMarkdown().match(/Slack only/g)).toEqual(["Slack only"]);
    expect(helpMarkdown()).toContain("In Slack only: the message shortcut Save as KORUS fact");
  });
});
