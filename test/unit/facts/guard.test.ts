import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { duplicateKey } from "../../../src/facts/jsonl.js";
import { parseFactLines } from "../../../src/facts/jsonl-read.js";
import { normalizeNewlines, textProblem } from "../../../src/text-guard.js";

const TODAY = "2026-12-02";
const base = { date: "2018-01-01", title: "A fact", kind: "event", actor: "US", source: "USTR" };
/** The errors of a one-line file, as `file:line: field: message` would print them. */
const errorsOf = (line: string | Record<string, unknown>) => parseFactLines(typeof line === "string" ? line : JSON.stringify(line), { today: TODAY }).errors;

describe("the one text guard", () => {
  it("refuses NUL, lone surrogates and every control character but tab and newline, naming the character and where", () => {
    expect(textProblem("USD\u0000bn")).toBe("contains a NUL character (\\u0000) at character 4, which no text may hold");
    expect(textProblem("USD\ud800")).toBe("contains a broken character (a lone UTF-16 surrogate, \\uD800) at character 4");
    expect(textProblem("red \u001b[31mtitle")).toBe("contains the control character U+001B (ESC) at character 5; only tab and newline may be in a text");
    expect(textProblem("bell\u0007")).toMatch(/U\+0007 \(BEL\)/);
    expect(textProblem("over\rwrite")).toMatch(/U\+000D \(carriage return\)/);
    expect(textProblem("c1 \u009b2J")).toMatch(/U\+009B \(CSI\)/);
    expect(textProblem("del\u007f")).toMatch(/U\+007F \(DEL\)/);
    expect(textProblem("tab\tand\nnewline, 한국, 😀, e\u0301")).toBeNull();
    expect(normalizeNewlines("a\r\nb\rc")).toBe("a\nb\nc");
  });

  it("passes every text without those characters, and refuses every one of them wherever it is", () => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the property excludes exactly the control characters the guard refuses.
    const allowed = fc.string({ unit: "grapheme" }).filter((s) => !/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/.test(s));
    fc.assert(fc.property(allowed, (s) => textProblem(s) === null));
    const bad = fc.integer({ min: 0, max: 0x9f }).filter((c) => c !== 9 && c !== 10 && (c < 0x20 || c >= 0x7f));
    fc.assert(fc.property(fc.string(), bad, fc.string(), (a, c, b) => textProblem(`${a}${String.fromCharCode(c)}${b}`) !== null));
  });
});

describe("every field of a fact line through the guard, with its line and field", () => {
  it("names the field for a NUL, a lone surrogate or ESC in units, series, periods, sources, topics, titles, summaries, actors, readings", () => {
    const figure = { ...base, kind: "figure", value: 1, unit: "USD bn", period: "2018", series: "s" };
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ ...figure, unit: "USD\u0000bn" }, "unit"],
      [{ ...figure, unit: "USD\ud800" }, "unit"],
      [{ ...figure, series: "s\u001b" }, "series"],
      [{ ...figure, period: "2018\u0000" }, "period"],
      [{ ...base, source: { title: "T\u0007", url: "https://ustr.gov/" } }, "source.title"],
      [{ ...base, source: undefined, sources: ["ok", { url: "https://ustr.gov/\u0000" }] }, "sources.1.url"],
      [{ ...base, topic: "usmca\u001b" }, "topic"],
      [{ ...base, title: "Esc \u001b[31mred" }, "title"],
      [{ ...base, summary: "line\r\u001b[2Jgone" }, "summary"],
      [{ ...base, actor: "Lighthizer\u009b" }, "actor"],
      [{ ...base, disputed: [{ says: "June\u0000", source: "GTA" }] }, "disputed.0.says"],
      [{ ...base, event: "key\ud800" }, "event"],
    ];
    for (const [line, field] of cases) {
      const errors = errorsOf(line);
      expect(errors, JSON.stringify(line)).toEqual([{ line: 1, field, message: expect.stringMatching(/^contains (a NUL|a broken|the control)/) }]);
    }
  });

  it("reads a Windows (CRLF) or old Mac (CR) line end as a newline, so a carriage return cannot overwrite a printed line", () => {
    expect(parseFactLines(JSON.stringify({ ...base, summary: "one\r\ntwo\rthree" }), { today: TODAY }).facts[0]!.summary).toBe("one\ntwo\nthree");
    expect(errorsOf({ ...base, title: "carriage\r\nreturn" })).toEqual([]);
  });

  it("bounds dates to 1800-01-01..2100-12-31 and refuses known after today", () => {
    expect(errorsOf({ ...base, date: "9999-01-01" })).toEqual([{ line: 1, field: "date", message: "9999-01-01 is outside the dates a fact may have (1800-01-01 to 2100-12-31)" }]);
    expect(errorsOf({ ...base, date: "0217-07-12" })[0]!.field).toBe("date");
    expect(errorsOf({ ...base, known: "2099-01-01" })).toEqual([{ line: 1, field: "known", message: "2099-01-01 is after today (2026-12-02): a fact is known only from a day that has come" }]);
    expect(errorsOf({ ...base, sources: [{ title: "x", date: "3000-01-01" }] })[0]!.field).toBe("sources.0.date");
    expect(errorsOf({ ...base, date: "2100-12-31", known: TODAY })).toEqual([]);
    expect(errorsOf({ ...base, date: "1800-01-01", known: "1800-01-01" })).toEqual([]);
    // A meeting known to be scheduled: known before its date is a fact the store holds.
    expect(errorsOf({ ...base, date: "2026-12-20", known: "2026-11-01" })).toEqual([]);
  });

  it("names a key given twice on a line, at any depth, instead of keeping the last one silently", () => {
    expect(errorsOf('{"title":"a","title":"b","date":"2018-01-01","kind":"event","actor":"US","source":"x"}')).toEqual([
      { line: 1, field: "title", message: "is given twice on this line (JSON would keep only the last one silently); give it once" },
    ]);
    expect(duplicateKey('{"sources":[{"title":"a"},{"url":"u","url":"v"}]}')).toBe("sources.1.url");
    expect(duplicateKey('{"a":"\\"b\\":1,\\"b\\":2","b":{"b":1}}')).toBeNull();
    expect(duplicateKey('{"a\\u0062":1,"ab":2}')).toBe("ab");
    expect(duplicateKey('{"a":"x\\\\","a":1}')).toBe("a");
    expect(duplicateKey('{ "a" : 1 , "b" : [ { "a" : 1 } , { "a" : 2 } ] }')).toBeNull();
  });

  it("finds a duplicate key exactly when JSON.parse loses one (any JSON object)", () => {
    const keys = fc.constantFrom("a", "b", 'q"', "\\", "é");
    const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: "small" }, fc.string(), fc.integer(), tie("o"), fc.array(tie("v"), { maxLength: 3 })),
      o: fc.array(fc.tuple(keys, tie("v")), { maxLength: 4 }),
    })).v;
    /** Writes pairs as a JSON object text, keeping repeated keys (JSON.stringify cannot). */
    const write = (v: unknown): string =>
      Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === "string" && (p[0] as string).length <= 2)
        ? `{${(v as Array<[string, unknown]>).map(([k, x]) => `${JSON.stringify(k)}:${write(x)}`).join(",")}}`
        : Array.isArray(v)
          ? `[${v.map(write).join(",")}]`
          : JSON.stringify(v);
    const loses = (v: unknown): boolean =>
      Array.isArray(v) && v.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === "string" && (p[0] as string).length <= 2)
        ? new Set(v.map((p) => p[0])).size < v.length || v.some((p) => loses(p[1]))
        : Array.isArray(v) && v.some(loses);
    fc.assert(
      fc.property(value, (v) => (duplicateKey(write(v)) !== null) === loses(v)),
      { numRuns: 500 },
    );
  });
});
