import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import { runConsole } from "../../src/cli/console.js";
import { runTextCommand } from "../../src/cli/text-commands.js";
import type { Database } from "../../src/db/client.js";
import { createTestDatabase } from "../support/test-db.js";
import { shippedTemplates } from "../support/templates.js";
import { consoleDeps } from "../support/terminal.js";

/** An interactive console on streams: type a line once the console shows `waitFor`. */
function consoleSession(db: Database, templates: Awaited<ReturnType<typeof shippedTemplates>>) {
  const input = new PassThrough();
  const output = new PassThrough();
  let seen = "";
  output.on("data", (chunk: Buffer) => (seen += chunk.toString("utf8")));
  const done = runConsole({ input, output, interactive: true }, (line, form) =>
    runTextCommand(line, consoleDeps({ prisma: db.prisma, clock: fixedClock("2026-12-02T15:00:00Z"), timeZone: "America/New_York", templates, ...form })),
  );
  let from = 0;
  return {
    /** Waits until the output (since the last wait) contains `text`, then types `line`. */
    async type(waitFor: string, line: string) {
      const deadline = Date.now() + 10_000;
      while (!seen.slice(from).includes(waitFor)) {
        if (Date.now() > deadline) throw new Error(`the console never showed ${JSON.stringify(waitFor)}; it showed:\n${seen.slice(from)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      from = seen.indexOf(waitFor, from) + waitFor.length;
      input.write(`${line}\n`);
    },
    transcript: () => seen,
    async end() {
      input.end();
      return done;
    },
  };
}

describe("the local console's forms", () => {
  let db: Database;
  let templates: Awaited<ReturnType<typeof shippedTemplates>>;
  beforeAll(async () => {
    db = await createTestDatabase();
    templates = await shippedTemplates();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("drafts a memo end to end, asking each field with its default and asking again after a bad answer", async () => {
    const c = consoleSession(db, templates);
    await c.type("korus> ", "/korus memo new special-session-prep");
    await c.type("Template (", "");
    await c.type("Title: ", "");
    await c.type("Title is needed.", "Special session prep");
    await c.type("Memo date (as of) [2026-12-02]: ", "2017-07-32");
    await c.type('"2017-07-32" is not a date', "2017-07-20");
    await c.type("Due date YYYY-MM-DD (optional): ", "");
    await c.type("Due time HH:MM [17:00]: ", "");
    await c.type("Created memo #", "memo write 1 purpose");
    await c.type("| ", "Prepare **the principal** for the special session.");
    await c.type("| ", "");
    await c.type("| ", "- Ask for the date");
    await c.type("| ", ".");
    await c.type("Saved Purpose of memo #1: revision 1", "fact add");
    await c.type("Kind (event, deadline, figure, position, quote, note) [event]: ", "rumour");
    await c.type('"rumour" is not a kind', "note");
    await c.type("Date YYYY-MM-DD (for a deadline, the day it falls due) [2026-12-02]: ", "2017-07-19");
    await c.type("Title: ", "Seoul names its negotiator");
    await c.type("Summary (Markdown, one line) (optional): ", "");
    await c.type("Actor (US, Korea, both, or a name) [both]: ", "Korea");
    await c.type("Source title: ", "Wire report");
    await c.type("Source URL (http or https) (optional): ", "ftp://wire.example/x");
    await c.type("must be an http(s) URL", "https://wire.example/x");
    await c.type("Added fact #", "memo export 1 --format md");
    await c.type("# Special session prep", "exit");
    const failures = await c.end();
    const transcript = c.transcript();
    expect(transcript).toContain("Created memo #1: Special session prep as of 2017-07-20.");
    expect(transcript).toContain("**Date:** 2017-07-20 (Thu)");
    expect(transcript).toContain("Prepare **the principal** for the special session.\n\n- Ask for the date");
    expect(transcript).toContain("Seoul names its negotiator");
    expect(failures).toBe(0);
    const memo = await db.prisma.memo.findUniqueOrThrow({ where: { id: 1 } });
    expect(memo.asOf).toBe("2017-07-20");
    const fact = await db.prisma.fact.findFirstOrThrow({ where: { title: "Seoul names its negotiator" } });
    expect(fact.actor).toBe("Korea");
  });

  it("takes the same fields as flags when reading a script, naming a bad or missing flag", async () => {
    const deps = consoleDeps({ prisma: db.prisma, clock: fixedClock("2026-12-02T15:00:00Z"), timeZone: "America/New_York", templates });
    const missing = await runTextCommand("/korus memo new --as-of 2017-07-20", deps);
    expect(missing).toEqual({ ok: false, usage: true, output: expect.stringMatching(/^--title: Title is needed\.\nUsage: memo new /) });
    const unknown = await runTextCommand("memo new --titel X", deps);
    expect(unknown.output).toMatch(/^`--titel` is not a field of this form; it has --template, --title, --as-of/);
    const future = await runTextCommand('memo new --title "Later" --as-of 2030-01-01', deps);
    expect(future).toEqual({ ok: false, usage: true, output: expect.stringContaining("--as-of: 2030-01-01 is after today (2026-12-02)") });
    const made = await runTextCommand('memo new special-session-prep --title "From a script" --as-of 2017-07-20', deps);
    expect(made.ok).toBe(true);
    const id = Number(/#(\d+)/.exec(made.output)![1]);
    const written = await runTextCommand(`memo write ${id} purpose --text "Why we meet."`, deps);
    expect(written.output).toBe(`Saved Purpose of memo #${id}: revision 1, 12 characters.\n`);
    const schedule = await runTextCommand("schedule new --weekday funday --channel C0TEAM", deps);
    expect(schedule.output).toMatch(/^--weekday: .*`funday` is not a weekday/);
    const edited = await runTextCommand('fact edit 1 --title "Edited from the console" --reason typo', deps);
    expect(edited).toEqual({ ok: true, output: expect.stringMatching(/^Edited fact #1: \d{4}-\d{2}-\d{2} Edited from the console/) });
    const help = await runTextCommand("help", deps);
    expect(help.output).toContain("**In this console** every command above works.");
    // Only the message shortcut is marked Slack-only: it acts on a Slack message. No command is.
    expect(help.output.match(/Slack only/gi)).toEqual(["Slack only"]);
    expect(help.output).toContain("In Slack only: the message shortcut Save as KORUS fact");
  });

  it("memo export --out in the console refuses an existing file, a link and a folder without --force; fact edit says what it keeps", async () => {
    const deps = consoleDeps({ prisma: db.prisma, clock: fixedClock("2026-12-02T15:00:00Z"), timeZone: "America/New_York", templates });
    const made = await runTextCommand('memo new special-session-prep --title "Out test" --as-of 2017-07-20', deps);
    const id = Number(/#(\d+)/.exec(made.output)![1]);
    const dir = mkdtempSync(path.join(tmpdir(), "korus-console-out-"));
    const file = path.join(dir, "memo.md");
    writeFileSync(file, "mine");
    expect(await runTextCommand(`memo export ${id} --out ${file}`, deps)).toEqual({
      ok: false,
      output: `${file} already exists; nothing was written. Add --force to replace it, or choose another name.\n`,
    });
    const target = path.join(dir, "target.txt");
    writeFileSync(target, "keep");
    symlinkSync(target, path.join(dir, "link.md"));
    expect((await runTextCommand(`memo export ${id} --out ${path.join(dir, "link.md")}`, deps)).output).toContain("as a symbolic link");
    mkdirSync(path.join(dir, "folder"));
    expect((await runTextCommand(`memo export ${id} --format docx --out ${path.join(dir, "folder")}`, deps)).output).toContain("is a folder; give the name of a file in it");
    expect((await runTextCommand(`memo export ${id} --out ${file} --force`, deps)).ok).toBe(true);
    expect(readFileSync(file, "utf8")).toContain("# Out test");
    expect(readFileSync(target, "utf8")).toBe("keep");

    // A fact with four sources and an event key, edited from the console: it says what it keeps, and keeps it.
    const said: string[] = [];
    const answers = ["", "A four-source fact, retitled", "", "", "", "", "typo"];
    const added = await runTextCommand('fact add --kind event --date 2017-07-21 --title "A four-source fact" --actor US --source-title One --source-url https://one.example/', deps);
    const factId = Number(/#(\d+)/.exec(added.output)![1]);
    await db.prisma.fact.update({ where: { id: factId }, data: { event: "four", sources: [{ title: "One", url: "https://one.example/" }, { title: "Two" }, { title: "Three" }, { title: "Four" }] } });
    const edited = await runTextCommand(`fact edit ${factId}`, { ...deps, ask: async () => answers.shift() ?? "", say: (t: string) => said.push(t) });
    expect(said[0]).toBe(`Fact #${factId}: the form asks date, title, summary, actor and the first source; kept as stored: and 3 more sources, kept: Two; Three; Four; event key four; kind: event.`);
    expect(edited.output).toMatch(new RegExp(`^Edited fact #${factId}: 2017-07-21 A four-source fact, retitled \\(changed: title\\)`));
    const row = await db.prisma.fact.findUniqueOrThrow({ where: { id: factId } });
    expect(row.event).toBe("four");
    expect((row.sources as unknown[]).length).toBe(4);
  });
});
