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
    expect(form.code).toBe(1);
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
});
