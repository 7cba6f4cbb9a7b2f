import { describe, expect, it } from "vitest";
import { COMMANDS, helpMarkdown, parseCommand, resolveCommand } from "../../../src/commands/parse.js";
import { COMMAND_SPECS, offeredOn } from "../../../src/commands/registry.js";
import { editDistance, nearest } from "../../../src/commands/suggest.js";
import { GROUP_WORDS } from "../../../src/commands/words.js";

describe("editDistance and nearest", () => {
  it("counts a swap of neighbours as one edit, as a typo does", () => {
    expect(editDistance("status", "stauts")).toBe(1);
    expect(editDistance("list", "lsit")).toBe(1);
    expect(editDistance("memo", "meme")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });

  it("suggests within one edit for short words and two from five letters, or a unique prefix; else nothing", () => {
    expect(nearest("stauts", ["status", "facts"])).toBe("status");
    expect(nearest("lst", ["new", "list", "show"])).toBe("list");
    expect(nearest("assem", ["assemble", "show"])).toBe("assemble");
    expect(nearest("dance", ["status", "facts", "ask", "chart"])).toBeUndefined();
    expect(nearest("xy", ["ask"])).toBeUndefined();
  });
});

describe("the command registry", () => {
  it("reads both words of every group as the same command", () => {
    const pairs: [string, string][] = [
      ["fact show 3", "facts show 3"],
      ["fact add", "facts add"],
      ["fact history #2", "facts history 2"],
      ["memo list", "memos list"],
      ["memo show 1", "memos show 1"],
      ["schedule list", "schedules list"],
      ["figures", "figure"],
      ["alerts list", "alert list"],
      ["facts tariff", "search tariff"],
      ["facts tariff", "facts search tariff"],
    ];
    for (const [a, b] of pairs) {
      expect(parseCommand(a).name).not.toBe("invalid");
      expect(parseCommand(b)).toEqual(parseCommand(a));
    }
    // Every group's other word finds a command of that group.
    for (const [other, word] of Object.entries(GROUP_WORDS)) expect(resolveCommand(other)).toMatchObject({ spec: { path: expect.arrayContaining([expect.stringMatching(new RegExp(`^${word}`))]) } });
  });

  it("keeps a search a search under `facts`, unless a verb's arguments follow the verb", () => {
    expect(parseCommand("facts close session")).toEqual({ name: "facts", query: "close session" });
    expect(parseCommand("facts close 14")).toEqual({ name: "fact-close", id: 14 });
    expect(parseCommand("facts history of tariffs")).toEqual({ name: "facts", query: "history of tariffs" });
    expect(parseCommand("facts news")).toEqual({ name: "facts", query: "news" });
    // Under `fact` only the verbs count.
    expect(parseCommand("fact tariffs")).toMatchObject({ name: "invalid", message: "`fact tariffs` is not a fact command." });
  });

  it("answers a near miss with what was likely meant, keeping the rest of the text", () => {
    expect(parseCommand("stauts as-of 2017-07-20")).toEqual({ name: "invalid", message: "I don't know the command `stauts`. Did you mean `status as-of 2017-07-20`?" });
    expect(parseCommand("memos lst")).toMatchObject({ name: "invalid", message: "`memo lst` is not a memo command. Did you mean `memo list`?", usage: expect.stringContaining("memo list") });
    expect(parseCommand("facts shwo 12")).toMatchObject({ message: expect.stringContaining("Did you mean `fact show 12`?") });
    expect(parseCommand("shedule weekly mon 09:00 UTC")).toMatchObject({ message: "I don't know the command `shedule`. Did you mean `schedule weekly mon 09:00 UTC`?" });
    expect(parseCommand("fatc add")).toMatchObject({ message: "I don't know the command `fatc`. Did you mean `fact add`?" });
    expect(parseCommand("feds")).toMatchObject({ message: "I don't know the command `feds`. Did you mean `feeds`?" });
    expect(parseCommand("feeds ad https://example.org/rss.xml")).toMatchObject({ message: "`feeds ad` is not a feeds command. Did you mean `feeds add https://example.org/rss.xml`?" });
    expect(parseCommand("feeds remvoe 3")).toMatchObject({ message: expect.stringContaining("Did you mean `feeds remove 3`?") });
    expect(parseCommand("candidats")).toMatchObject({ message: "I don't know the command `candidats`. Did you mean `candidates`?" });
    // The group's word alone, or with flags, is its list.
    expect(parseCommand("feeds")).toMatchObject({ name: "feeds-list", words: [] });
    expect(parseCommand("candidates")).toMatchObject({ name: "candidates-list", words: [] });
    expect(parseCommand("candidates --state all", "console")).toMatchObject({ name: "candidates-list", words: ["--state", "all"] });
    // Nothing near: no guess.
    expect(parseCommand("dance")).toEqual({ name: "invalid", message: "I don't know the command `dance`." });
    expect(parseCommand(`stauts ${"x".repeat(200)}`)).toMatchObject({ message: expect.stringMatching(/Did you mean `status x{60}…`\?$/) });
  });

  it("names the commands Slack does not have, and says where they are done", () => {
    expect(parseCommand("memo write 1 purpose")).toMatchObject({
      name: "invalid",
      message: expect.stringMatching(/^`memo write` works in the local console and the `korus` command, not here\. In Slack, the Write button/),
    });
    expect(parseCommand("feeds poll")).toMatchObject({
      name: "invalid",
      message: expect.stringContaining("`feeds poll` works in the local console and the `korus` command, not here. The bot polls each feed"),
    });
    expect(parseCommand("candidates accept 3")).toMatchObject({ name: "invalid", message: expect.stringContaining("In Slack, the buttons on each card of `/korus candidates`") });
    expect(parseCommand("candidates accept 3 --kind event", "console")).toMatchObject({ name: "candidates-accept", words: ["3", "--kind", "event"] });
    expect(parseCommand("sources")).toMatchObject({ name: "invalid", message: expect.stringContaining("`sources` works in the local console") });
    expect(parseCommand("memo write 1 purpose", "console")).toMatchObject({ name: "memo-write", words: ["1", "purpose"] });
  });

  it("lists every Slack command in the help, with an example that parses to it", () => {
    const usages = COMMANDS.map((c) => c.usage).join("\n");
    for (const spec of COMMAND_SPECS.filter((s) => offeredOn(s, "slack") && s.path.length === 2)) {
      // `fact show|edit|retract|history ID` covers fact edit: the verb is in a usage line of its group.
      expect(usages, spec.name).toMatch(new RegExp(`/korus ${spec.path[0]} [^\\n]*\\b${spec.path[1]}\\b`));
    }
    for (const c of COMMANDS) expect(parseCommand(c.example.replace(/^\/korus\s*/, "")).name).not.toBe("invalid");
    expect(
      helpMarkdown()
        .split("\n")
        .filter((l) => l.startsWith("- `/korus")).length,
    ).toBe(COMMANDS.length);
  });

  it("declares each command once: no two commands are typed with the same words", () => {
    const seen = new Map<string, string>();
    for (const spec of COMMAND_SPECS) {
      for (const path of [spec.path, ...(spec.also ?? [])]) {
        const key = path.join(" ");
        expect(seen.get(key), key).toBeUndefined();
        seen.set(key, spec.name);
      }
    }
  });
});

describe("a command without a handler does not compile (checked by tsc in npm test)", () => {
  it("the Slack and console handler maps are mapped types over the registry", () => {
    type Slack = import("../../../src/slack/listeners/commands.js").SlackCommandHandlers;
    type Console = import("../../../src/cli/console-forms.js").ConsoleFormHandlers;
    // Every Slack command needs a handler: leaving one out is a type error (this line fails tsc if it is not).
    // @ts-expect-error fact-close has no handler
    const slack: Omit<Slack, "fact-close"> extends Slack ? true : never = true;
    // The same for the console's forms.
    // @ts-expect-error memo-new has no form
    const forms: Omit<Console, "memo-new"> extends Console ? true : never = true;
    expect([slack, forms]).toEqual([true, true]);
  });
});
