/**
 * The korus command as a new user and an attacker run it: hostile fact files, control characters on the command line,
 * an edit that changes one field, and output files that already exist, are links, or are folders.
 */
import { lstatSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, run, tempDataDir } from "../support/processes.js";

const NO_STACK = /^\s+at /m;
const korus = (args: string[], env: NodeJS.ProcessEnv, cwd?: string) => run("node", [path.resolve("bin/korus.js"), ...args], { env, ...(cwd ? { cwd } : {}) });

describe("the korus command refuses what no field may hold, edits only what it is told, and never overwrites by surprise", () => {
  it("names file:line:field for NUL, lone surrogates, ESC, known after today, a date in 9999 and a key given twice; imports nothing", { timeout: 120_000 }, async () => {
    const env = cleanEnv({ KORUS_DATA_DIR: tempDataDir() });
    const dir = mkdtempSync(path.join(tmpdir(), "korus-guard-"));
    const file = path.join(dir, "hostile.jsonl");
    const figure = '"kind":"figure","actor":"US","source":"Census","value":1,"period":"2018"';
    writeFileSync(
      file,
      [
        `{"date":"2018-01-01","title":"Unit with NUL",${figure},"unit":"USD\\u0000bn"}`,
        `{"date":"2018-01-02","title":"Unit with a broken character",${figure},"unit":"USD\\ud800"}`,
        '{"date":"2018-01-03","title":"Esc \\u001b[31mred","kind":"event","actor":"US","source":"x"}',
        '{"date":"2018-01-04","title":"Known in 2099","kind":"event","actor":"US","source":"x","known":"2099-01-01"}',
        '{"date":"9999-01-01","title":"Far date","kind":"event","actor":"US","source":"x"}',
        '{"date":"2018-01-05","title":"a","title":"b","kind":"event","actor":"US","source":"x"}',
        '{"date":"2018-01-06","title":"A good line","kind":"event","actor":"US","source":"x"}',
      ].join("\n"),
    );
    const result = await korus(["facts", "import", file], env);
    expect(result.stderr).not.toMatch(NO_STACK);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`${file}:1: unit: contains a NUL character (\\u0000) at character 4, which no text may hold`);
    expect(result.stderr).toContain(`${file}:2: unit: contains a broken character (a lone UTF-16 surrogate, \\uD800) at character 4`);
    expect(result.stderr).toContain(`${file}:3: title: contains the control character U+001B (ESC) at character 5; only tab and newline may be in a text`);
    expect(result.stderr).not.toContain("\u001b[31m");
    expect(result.stderr).toMatch(new RegExp(`${file}:4: known: 2099-01-01 is after today \\(\\d{4}-\\d{2}-\\d{2}\\)`));
    expect(result.stderr).toContain(`${file}:5: date: 9999-01-01 is outside the dates a fact may have (1800-01-01 to 2100-12-31)`);
    expect(result.stderr).toContain(`${file}:6: title: is given twice on this line (JSON would keep only the last one silently); give it once`);
    expect(result.stderr).toContain("Nothing was imported: 6 lines have errors.");
    const listed = await korus(["facts", "search", "good line"], env);
    expect(listed.stdout).not.toContain("A good line");

    const esc = await korus(["facts", "add", "--kind", "event", "--date", "2018-01-01", "--title", "Esc \u001b[2Jcleared", "--actor", "US", "--source-title", "x"], env);
    expect(esc.code).toBe(2);
    expect(esc.stderr).toContain("title: contains the control character U+001B (ESC) at character 5");
    expect(esc.stderr).not.toContain("\u001b[2J");
  });

  it("korus facts edit changes only the fields given; the same edit again changes nothing", { timeout: 120_000 }, async () => {
    const env = cleanEnv({ KORUS_DATA_DIR: tempDataDir() });
    const dir = mkdtempSync(path.join(tmpdir(), "korus-edit-"));
    const file = path.join(dir, "fact.jsonl");
    writeFileSync(
      file,
      `${JSON.stringify({
        date: "2018-03-28",
        known: "2018-03-20",
        title: "Agreement in principle",
        kind: "event",
        actor: "both",
        event: "korus-2018-aip",
        confidence: "inferred",
        sources: ["USTR https://ustr.gov/a", "MOTIE https://motie.go.kr/b", "CRS https://crsreports.congress.gov/c", "Yonhap https://en.yna.co.kr/d", "Reuters https://reuters.com/e"],
        disputed: [{ says: "2018-03-26", source: "MOTIE" }],
      })}\n`,
    );
    expect((await korus(["facts", "import", file], env)).code).toBe(0);
    const id = /#(\d+)/.exec((await korus(["facts", "search", "agreement principle"], env)).stdout)![1]!;
    const edited = await korus(["facts", "edit", id, "--title", "Agreement in principle on KORUS amendments", "--reason", "fuller title"], env);
    expect(edited.stderr).toBe("");
    expect(edited.stdout).toBe(`Edited fact #${id}: 2018-03-28 Agreement in principle on KORUS amendments (changed: title)\n`);
    const again = await korus(["facts", "edit", id, "--title", "Agreement in principle on KORUS amendments"], env);
    expect(again.stdout).toBe(`Nothing changed in fact #${id}: it already says that. Nothing was saved.\n`);
    const lines = (await korus(["facts", "export"], env)).stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const exported = lines.find((l) => l.title === "Agreement in principle on KORUS amendments")!;
    expect(exported).toMatchObject({ known: "2018-03-20", event: "korus-2018-aip", confidence: "inferred", disputed: [{ says: "2018-03-26" }] });
    expect(exported.sources).toHaveLength(5);
    const bad = await korus(["facts", "edit", id, "--known", "2099-01-01"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/known: 2099-01-01 is after today/);
    const nothing = await korus(["facts", "edit", id], env);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr).toContain("say what to change");
  });

  it("memo export --out refuses an existing file, a symbolic link and a folder without --force, and never writes through a link", { timeout: 120_000 }, async () => {
    const env = cleanEnv({ KORUS_DATA_DIR: tempDataDir() });
    const dir = mkdtempSync(path.join(tmpdir(), "korus-out-"));
    expect((await korus(["memo", "new", "--template", "special-session-prep", "--title", "Prep", "--as-of", "2017-07-20"], env)).code).toBe(0);
    const existing = path.join(dir, "memo.md");
    writeFileSync(existing, "my notes");
    const refused = await korus(["memo", "export", "1", "--out", existing], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(`korus: ${existing} already exists; nothing was written. Add --force to replace it, or choose another name.\n`);
    expect(readFileSync(existing, "utf8")).toBe("my notes");

    const target = path.join(dir, "authorized_keys");
    writeFileSync(target, "ssh-ed25519 AAAA keep");
    const link = path.join(dir, "link.md");
    symlinkSync(target, link);
    const viaLink = await korus(["memo", "export", "1", "--out", link], env);
    expect(viaLink.code).toBe(2);
    expect(viaLink.stderr).toContain(`${link} already exists as a symbolic link (to ${target}); nothing was written.`);
    const forced = await korus(["memo", "export", "1", "--out", link, "--force"], env);
    expect(forced.code).toBe(0);
    expect(readFileSync(target, "utf8")).toBe("ssh-ed25519 AAAA keep");
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
    expect(readFileSync(link, "utf8")).toContain("# Prep");

    mkdirSync(path.join(dir, "exports"));
    const folder = await korus(["memo", "export", "1", "--format", "docx", "--out", path.join(dir, "exports")], env);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe(`korus: ${path.join(dir, "exports")} is a folder; give the name of a file in it (${path.join(dir, "exports", "NAME")}). Nothing was written.\n`);
    expect(folder.stderr).not.toContain("EISDIR");

    const assembled = await korus(["memo", "assemble", "1", "--force", "-o", existing], env);
    expect(assembled.code).toBe(2);
    expect(assembled.stderr).toContain("Add --overwrite to replace it");
    expect((await korus(["memo", "assemble", "1", "--force", "-o", existing, "--overwrite"], env)).code).toBe(0);
    expect(readFileSync(existing, "utf8")).toContain("# Prep");
  });
});
