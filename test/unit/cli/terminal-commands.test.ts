import { Command } from "commander";
import { describe, expect, it } from "vitest";
import { fixedClock } from "../../../src/clock.js";
import { COMMAND_SPECS } from "../../../src/commands/registry.js";
import { rawArgs } from "../../../src/commands/spec.js";
import { groupWord } from "../../../src/commands/words.js";
import { registerBriefCommands } from "../../../src/cli/briefs.js";
import { registerDeadlineCommands } from "../../../src/cli/deadlines.js";
import { registerFactCommands } from "../../../src/cli/facts.js";
import { registerFeedCommands } from "../../../src/cli/feeds.js";
import { registerFigureCommands } from "../../../src/cli/figures.js";
import { registerManifestCommand } from "../../../src/cli/manifest.js";
import { registerMemoCommands } from "../../../src/cli/memos.js";
import { appManifest } from "../../../src/slack/manifest.js";
import { slackTerminalReaders } from "../../../src/slack/terminal-readers.js";
import { type GroupName, groupOf, TERMINAL_COMMANDS } from "../../../src/cli/terminal-commands.js";

/** Every command path each group module defines with commander, as the registry spells the group's word. */
function definedPaths(): Map<string, GroupName> {
  const deps = {
    withServices: () => Promise.reject(new Error("no database in this test")),
    isoDate: (v: string) => v,
    clock: fixedClock("2026-12-07T12:00:00Z"),
    timeZone: "America/New_York",
    chat: slackTerminalReaders,
  };
  const paths = new Map<string, GroupName>();
  const groups: [GroupName, (program: Command) => void][] = [
    ["facts", (p) => registerFactCommands(p, { ...deps, today: () => "2026-12-07" })],
    ["memos", (p) => registerMemoCommands(p, { ...deps, templates: () => Promise.reject(new Error("none")) })],
    ["figures", (p) => registerFigureCommands(p, deps)],
    ["briefs", (p) => registerBriefCommands(p, deps)],
    ["deadlines", (p) => registerDeadlineCommands(p, deps)],
    ["manifest", (p) => registerManifestCommand(p, appManifest)],
    ["feeds", (p) => registerFeedCommands(p, { ...deps, fetching: {} as never })],
  ];
  for (const [group, register] of groups) {
    const program = new Command("korus");
    register(program);
    for (const top of program.commands) {
      const first = groupWord(top.name());
      if (top.commands.length === 0) paths.set(first, group);
      for (const sub of top.commands) paths.set(`${first} ${sub.name()}`, group);
    }
  }
  return paths;
}

describe("the korus command's own commands (src/cli/terminal-commands.ts)", () => {
  const defined = definedPaths();
  const declared = new Map(TERMINAL_COMMANDS.filter((c) => c.group !== "core").map((c) => [c.path.join(" "), c.group]));
  const registry = new Set(COMMAND_SPECS.flatMap((s) => [s.path, ...(s.also ?? [])].map((p) => [groupWord(p[0]!), ...p.slice(1)].join(" "))));
  // A one-word registry command that reads its own words (`sources`, `sources show ID`) has the group's verbs too.
  const readsItsWords = new Set(COMMAND_SPECS.filter((s) => s.path.length === 1 && s.args === rawArgs).map((s) => s.path[0]!));
  const isRegistrys = (path: readonly string[]) => registry.has(path.join(" ")) || readsItsWords.has(path[0]!);

  it("declares every command the groups define, in the group that defines it, and nothing they do not", () => {
    expect(Object.fromEntries(declared)).toEqual(Object.fromEntries(defined));
  });

  it("gives a line for `korus help` to each command Slack does not have, and none to the registry's", () => {
    for (const c of TERMINAL_COMMANDS) {
      const path = c.path.join(" ");
      // The console's `sources` reads `list` and `show`; `check` and `archive` are the terminal's own.
      if (isRegistrys(c.path) && !["sources check", "sources archive"].includes(path)) expect(c.summary, path).toBeUndefined();
      else expect(c.summary, path).toBeTruthy();
    }
  });

  it("routes either word of a group to its module", () => {
    expect(groupOf("facts")).toBe("facts");
    expect(groupOf("fact")).toBe("facts");
    expect(groupOf("memos")).toBe("memos");
    expect(groupOf("schedules")).toBe("briefs");
    expect(groupOf("alert")).toBe("deadlines");
    expect(groupOf("status")).toBe("core");
    expect(groupOf("dance")).toBeUndefined();
  });
});
