/**
 * `korus facts import` as a process, as a user runs it: its errors and warnings on standard error name the file, the line
 * and the field in the user's words, with no stack; --strict refuses a file of likely duplicates; a second import of the
 * same file adds nothing. Six korus processes on fresh data folders (moved here from fact-import-duplicates.test.ts and
 * fact-sources.test.ts, with the other tests of the korus command as a process: about 20 CPU-s of `npm test`'s, issue
 * 24). What these lines say is also checked in-process: the line checks in test/unit/facts/guard.test.ts, the duplicates
 * in fact-import-duplicates.test.ts and fact-sources.test.ts.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { cleanEnv, run, tempDataDir } from "../support/processes.js";

const NO_STACK = /^\s+at /m;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const DAY = "2031-01-01";
const bulletinTitle = (i: number) => `Daily trade bulletin: steel tariff quota update, item ${i}`;

/** `n` bulletin lines (JSON Lines), all of one day. */
function bulletin(n: number): string {
  return Array.from({ length: n }, (_, i) => JSON.stringify({ date: DAY, title: bulletinTitle(i + 1), kind: "note", actor: "US", source: { title: "Bulletin" } })).join("\n");
}

describe("the warnings of `korus facts import` for a bulletin", () => {
  it("names each likely duplicate by file and line, with the earlier line it looks like, and --strict refuses the file", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "korus-bulletin-"));
    const file = path.join(dir, "bulletin.jsonl");
    writeFileSync(file, `${bulletin(120)}\n`);
    const env = cleanEnv({ KORUS_DATA_DIR: tempDataDir() });
    const strict = await run(process.execPath, ["bin/korus.js", "facts", "import", file, "--strict"], { env });
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(`${file}:2: title: looks like line 1 (${DAY}, “${bulletinTitle(1)}”); --strict refuses likely duplicates`);
    expect(strict.stderr).toContain("Nothing was imported: 119 lines have errors.");

    const imported = await run(process.execPath, ["bin/korus.js", "facts", "import", file], { env });
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(new RegExp(`^Imported ${escapeRegExp(file)}: 120 added, 0 updated, 0 unchanged \\(\\d+\\.\\d s\\)\\.\\n$`));
    const warnings = imported.stderr.split("\n").filter((l) => l.includes("warning: likely duplicate"));
    expect(warnings).toHaveLength(119);
    expect(warnings[0]).toBe(`${file}:2: warning: likely duplicate: “${bulletinTitle(2)}” (${DAY}) looks like line 1 (${DAY}, “${bulletinTitle(1)}”)`);
    for (const [i, w] of warnings.entries()) {
      expect(w).toMatch(
        new RegExp(
          `^${escapeRegExp(file)}:${i + 2}: warning: likely duplicate: “Daily trade bulletin: steel tariff quota update, item ${i + 2}” \\(${DAY}\\) looks like line \\d+ \\(${DAY}, “Daily trade bulletin: steel tariff quota update, item \\d+”\\)$`,
        ),
      );
    }
    expect(imported.stderr).toContain(`${file}: 119 likely duplicates were imported. If two lines report one event from different sources, give them the same \`event\` key`);
    expect(imported.stderr).not.toMatch(NO_STACK);

    const again = await run(process.execPath, ["bin/korus.js", "facts", "import", file], { env });
    expect(again.stdout).toMatch(/: 0 added, 0 updated, 120 unchanged/);
    expect(again.stderr).not.toContain("likely duplicate");
  }, 120_000);
});

describe("import errors in the user's words, before the database sees the text", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "korus-import-"));
  const env = () => cleanEnv({ KORUS_DATA_DIR: tempDataDir() });

  it("names line and field for NUL, broken characters, invalid UTF-8, oversized texts, invisible titles and wrong types; imports nothing", async () => {
    const ok = '{"date":"2019-01-01","title":"A good line","kind":"note","actor":"US","source":"s"}';
    const lines = [
      ok,
      '{"date":"2019-01-02","title":"Nul","kind":"note","actor":"US","source":"s","summary":"a\\u0000b"}',
      '{"date":"2019-01-03","title":"Half a pair","kind":"note","actor":"US","source":"s","summary":"\\ud800"}',
      JSON.stringify({ date: "2019-01-04", title: "Huge", kind: "note", actor: "US", source: "s", summary: "x".repeat(900_000) }),
      '{"date":"2019-01-05","title":"\\u200b\\u202e\\u2066","kind":"note","actor":"US","source":"s"}',
      '{"date":"2019-01-06","kind":"note","actor":"US","source":"s"}',
      JSON.stringify({ date: "2019-01-07", title: "Long source", kind: "note", actor: "US", sources: [{ title: "t".repeat(301) }] }),
      '{"date":"2019-01-08","title":"Bad reading","kind":"note","actor":"US","source":"s","disputed":[{"says":"","source":"x"}]}',
    ];
    // And a thousand lines without a title after them: the count in the last line reads "1,008", not "1008".
    const untitled = Array.from({ length: 1000 }, (_, i) => `{"date":"2019-02-01","kind":"note","actor":"US","source":"s","summary":"${i}"}`);
    const file = path.join(dir, "bad.jsonl");
    writeFileSync(file, Buffer.concat([Buffer.from(`${lines.join("\n")}\n`), Buffer.from([0x7b, 0x22, 0x74, 0xff, 0x22, 0x7d, 0x0a]), Buffer.from(`${untitled.join("\n")}\n`)]));
    const result = await run("node", ["bin/korus.js", "facts", "import", file], { env: env() });
    expect(result.code).toBe(1);
    const out = result.stderr;
    expect(out).toContain(`${file}:2: summary: contains a NUL character (\\u0000) at character 2, which no text may hold`);
    expect(out).toContain(`${file}:3: summary: contains a broken character (a lone UTF-16 surrogate, \\uD800) at character 1`);
    expect(out).toContain(`${file}:4: summary: is 900,000 characters long; at most 3,000 characters fit the form that edits it`);
    expect(out).toContain(`${file}:5: title: must not be empty (or only invisible characters)`);
    expect(out).toContain(`${file}:6: title: is missing`);
    expect(out).toContain(`${file}:7: sources.0.title: is 301 characters long; at most 300 characters fit the form that edits it`);
    expect(out).toContain(`${file}:8: disputed.0.says: must not be empty`);
    expect(out).toContain(`${file}:9: (line): is not valid UTF-8 (byte 4 of the line is 0xFF); save the file as UTF-8`);
    expect(out).toContain(`${file}:1009: title: is missing`);
    expect(out).toContain("Nothing was imported: 1,008 lines have errors.");
    expect(out).not.toMatch(/Invalid input|expected string|22021|tsvector|reading 'kind'/);
    expect(out).not.toMatch(NO_STACK);
  });

  it("strips zero-width and bidi characters from titles, so a look-alike copy is the same fact; warns once about deadlines without known", async () => {
    const e = env();
    const a = path.join(dir, "a.jsonl");
    writeFileSync(
      a,
      [
        '{"date":"2019-01-01","title":"Cafe\\u0301 talks","kind":"note","actor":"US","source":"s"}',
        '{"date":"2019-02-01","title":"Quota review due","kind":"deadline","actor":"US","source":"s"}',
        '{"date":"2019-02-02","title":"Report due","kind":"deadline","actor":"US","source":"s"}',
      ].join("\n"),
    );
    const first = await run("node", ["bin/korus.js", "facts", "import", a], { env: e });
    expect(first.code).toBe(0);
    expect(first.stderr.match(/warning: 2 deadlines have no `known` date \(lines 2, 3\)/g)).toHaveLength(1);
    const b = path.join(dir, "b.jsonl");
    writeFileSync(b, '{"date":"2019-01-01","title":"\\u200bCaf\\u00e9\\u202e talks\\u2069","kind":"note","actor":"US","source":"s"}\n');
    const second = await run("node", ["bin/korus.js", "facts", "import", b], { env: e });
    expect(second.stdout).toMatch(/: 0 added, 0 updated, 1 unchanged/);
  });
});
