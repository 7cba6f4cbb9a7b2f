import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, run, tempDataDir } from "../support/processes.js";

const NO_STACK = /^\s+at /m;
const korus = (args: string[], env: NodeJS.ProcessEnv) => run("node", ["bin/korus.js", ...args], { env });

/** The registry's words through the real `korus` command: the console's vocabulary works here too. */
describe("the korus command and the command registry", () => {
  it("takes both words of a group, the registry's commands no group defines, and answers a near miss with what was meant", { timeout: 120_000 }, async () => {
    const env = cleanEnv({ KORUS_DATA_DIR: tempDataDir() });
    const singular = await korus(["fact", "show", "1"], env);
    expect(singular.code).toBe(0);
    expect(singular.stdout).toContain("# Fact #1");
    const plural = await korus(["facts", "show", "1"], env);
    expect(plural.stdout).toBe(singular.stdout);
    expect((await korus(["fact", "history", "1"], env)).stdout).toContain("# History of fact #1");
    expect((await korus(["memos", "list"], env)).stdout).toContain("No memos in progress");

    // The console's `schedule new` form, from flags, in the korus command.
    const form = await korus(["schedule", "new", "--weekday", "funday", "--channel", "C0TEAM"], env);
    // Flags it cannot use are a usage error (exit 2), as commander's own are; a refusal of what was asked exits 1.
    expect(form.code).toBe(2);
    expect(form.stderr).toContain("--weekday: Weekday: `funday` is not a weekday");
    expect(form.stderr).toContain("Usage: schedule new --weekday monday");

    for (const [args, meant] of [
      [["stauts"], "status"],
      [["fatc", "add"], "fact"],
      [["memos", "lst"], "list"],
      [["facts", "shwo", "1"], "show"],
    ] as const) {
      const miss = await korus([...args], env);
      expect(miss.code, args.join(" ")).toBe(2);
      expect(miss.stderr).toContain(`(Did you mean ${meant}?)`);
      expect(miss.stderr).not.toMatch(NO_STACK);
    }
    const unknown = await korus(["dance"], env);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'dance'");
    expect(unknown.stderr).not.toContain("Did you mean");

    const help = await korus(["--help"], env);
    expect(help.stdout).toMatch(/facts\|fact /);
    expect(help.stdout).toMatch(/memo\|memos /);
    expect((await korus(["facts", "--help"], env)).stdout).toMatch(/show \[words\.\.\.\]\s+show one fact by its number/);
  });

  it("takes Slack's words for every registry command, reads what the flags cannot, and exits 2 for words it cannot read", { timeout: 300_000 }, async () => {
    const dataDir = tempDataDir();
    const env = cleanEnv({ KORUS_DATA_DIR: dataDir });
    const file = path.join(tempDataDir(), "usmca.jsonl");
    writeFileSync(
      file,
      `${JSON.stringify({ date: "2017-08-16", title: "NAFTA renegotiation opens", kind: "event", actor: "US", topic: "usmca", sources: [{ title: "USTR notice", url: "https://ustr.gov/usmca" }] })}\n` +
        `${JSON.stringify({ date: "2017-09-05", title: "USMCA talks: round two ends", kind: "deadline", actor: "both", topic: "usmca", known: "2017-08-16", sources: ["USTR notice"] })}\n`,
    );
    const imported = await korus(["facts", "import", file], env);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^Imported .*: 2 added/);

    // `/korus status usmca` in Slack; the same words here, and the same report as the terminal's flags give.
    const status = await korus(["status", "usmca", "as-of", "2017-08-20"], env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain("NAFTA renegotiation opens");
    expect(status.stdout).toContain("USMCA talks: round two ends");
    expect((await korus(["status", "--topic", "usmca", "--as-of", "2017-08-20"], env)).stdout).toBe(status.stdout);

    // `/korus facts steel` is a search in Slack; so it is here, as `facts search steel` is.
    const steel = await korus(["facts", "steel"], env);
    expect(steel.code, steel.stderr).toBe(0);
    expect(steel.stdout).toContain("steel");
    expect(steel.stdout).toBe((await korus(["facts", "search", "steel"], env)).stdout);
    const nafta = await korus(["facts", "nafta"], env);
    expect(nafta.stdout).toContain("NAFTA renegotiation opens");
    // With the search's terminal flags too.
    const limited = await korus(["facts", "kind:event", "--limit", "1"], env);
    expect(limited.code, limited.stderr).toBe(0);
    expect(limited.stdout).toMatch(/ facts match kind:event \(showing 1-1\)/);

    // Slack's words for commands whose terminal version has flags: `alerts on C… days 7,1`, `timeline usmca since:…`.
    const alerts = await korus(["alerts", "on", "C0TRADE", "days", "7,1", "topic:usmca"], env);
    expect(alerts.code, alerts.stderr).toBe(0);
    expect(alerts.stdout).toContain("Alerts on: C0TRADE, topic `usmca`");
    expect((await korus(["timeline", "usmca", "since:2017-09-01"], env)).stdout).toContain("USMCA talks: round two ends");

    // A command with terminal flags takes Slack's words beside them: `brief usmca as-of D --format html`.
    const brief = await korus(["brief", "usmca", "as-of", "2017-08-20"], env);
    expect(brief.code, brief.stderr).toBe(0);
    expect(brief.stdout).toBe((await korus(["brief", "--topic", "usmca", "--as-of", "2017-08-20"], env)).stdout);
    const html = await korus(["brief", "usmca", "as-of", "2017-08-20", "--format", "html"], env);
    expect(html.stdout).toMatch(/^<!doctype html>/i);
    const chart = await korus(["chart", "us-goods-deficit-korea", "since:someday", "--out", path.join(tempDataDir(), "c.png")], env);
    expect(chart.code).toBe(2);
    expect(chart.stderr).toContain("`since:` needs a date YYYY-MM-DD or a period");

    // A near miss: exit 2, the command meant, no stack.
    const miss = await korus(["statsu", "usmca"], env);
    expect(miss.code).toBe(2);
    expect(miss.stderr).toContain("(Did you mean status?)");
    expect(miss.stderr).not.toMatch(NO_STACK);

    // Words a command cannot read: exit 2 with its usage line, before anything is opened; a refusal of what was asked
    // (no such fact) exits 1.
    for (const args of [
      ["fact", "show", "abc"],
      ["status", "usmca", "as-of", "2017-02-30"],
      ["timeline", "since:yesterday"],
      ["memo", "history", "1"],
    ]) {
      const bad = await korus(args, env);
      expect(bad.code, args.join(" ")).toBe(2);
      expect(bad.stderr, args.join(" ")).toMatch(/Usage: korus /);
      expect(bad.stderr).not.toMatch(NO_STACK);
      expect(bad.stdout).toBe("");
    }
    expect((await korus(["status", "usmca", "as-of", "2017-02-30"], env)).stderr).toContain("`2017-02-30` is not a date");
    const none = await korus(["fact", "show", "999"], env);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("There is no fact #999.");

    // Help from the registry: the list, and one command's words, flags and Slack form.
    const help = await korus(["help"], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^ {2}fact\|facts show {2,}show one fact by its number$/m);
    expect(help.stdout).toMatch(/^ {2}db migrate {2,}apply pending database migrations$/m);
    expect((await korus([], env)).stdout).toBe(help.stdout);
    const statusHelp = await korus(["status", "--help"], env);
    expect(statusHelp.code).toBe(0);
    expect(statusHelp.stdout).toContain("--as-of <date>");
    expect(statusHelp.stdout).toContain("As in Slack: korus status [topic] [public] [as-of YYYY-MM-DD]");
    expect(statusHelp.stdout).toContain("Example: korus status as-of 2017-07-20");
    expect((await korus(["help", "status"], env)).stdout).toBe(statusHelp.stdout);
    const showHelp = await korus(["fact", "show", "--help"], env);
    expect(showHelp.code).toBe(0);
    expect(showHelp.stdout).toContain("As in Slack: korus fact show|edit|retract|history ID");
  });
});
