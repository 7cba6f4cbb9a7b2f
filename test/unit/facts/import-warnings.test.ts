import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseFactLines, SOURCE_LAG_DAYS } from "../../../src/facts/jsonl-read.js";

const line = (fact: Record<string, unknown>) => JSON.stringify({ title: "T", kind: "figure", actor: "US", ...fact });

describe("import warns about figures and events known long before their sources", () => {
  it("warns once, naming each line with its known day and its first source's day", () => {
    const text = [
      // A 2016 figure with no `known`: known from 31 December, first published in July 2017.
      line({ date: "2016-12-31", title: "Deficit 2016", sources: [{ title: "USTR release", date: "2017-07-12" }] }),
      // An event whose `known` is months before the only source.
      line({ date: "2019-02-17", known: "2019-02-17", kind: "event", title: "Report sent", sources: [{ title: "Proclamation", date: "2019-05-21" }] }),
      // Fine: a source of the day, beside a later one.
      line({
        date: "2019-02-17",
        kind: "event",
        title: "Report sent (2)",
        sources: [
          { title: "Proclamation", date: "2019-05-21" },
          { title: "Politico", date: "2019-02-19" },
        ],
      }),
      // Fine: `known` is the release day.
      line({ date: "2017-12-31", known: "2018-02-06", title: "Deficit 2017", sources: [{ title: "Census", date: "2018-02-06" }] }),
      // Not judged: a source without a date could be of any day.
      line({ date: "2011-12-31", title: "Deficit 2011", sources: [{ title: "Census" }, { title: "USTR", date: "2017-07-12" }] }),
      // Not judged: positions, quotes and notes are not dated by publication here; deadlines have their own warning.
      line({ date: "2016-01-01", kind: "position", title: "Position", sources: [{ title: "s", date: "2017-01-01" }] }),
    ].join("\n");
    const { errors, warnings } = parseFactLines(text);
    expect(errors).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.lines).toEqual([1, 2]);
    expect(warnings[0]!.message).toBe(
      `2 figure and event facts are known more than ${SOURCE_LAG_DAYS} days before the earliest of their sources ` +
        "(line 1: known 2016-12-31, first source 2017-07-12; line 2: known 2019-02-17, first source 2019-05-21): " +
        "a view as of a day in between shows what no one could read yet. Set `known` to the day it was first published, or cite the source of that day.",
    );
  });

  it("allows the usual lag of publication: 30 days, not 31", () => {
    const at = (days: number) => parseFactLines(line({ date: "2018-01-01", sources: [{ title: "s", date: new Date(Date.UTC(2018, 0, 1 + days)).toISOString().slice(0, 10) }] })).warnings;
    expect(at(SOURCE_LAG_DAYS)).toEqual([]);
    expect(at(SOURCE_LAG_DAYS + 1)).toHaveLength(1);
  });

  it("the shipped example and the seed earn no warning", () => {
    for (const file of ["../../../examples/korus-timeline.jsonl", "../../../prisma/seed/source-article.jsonl"]) {
      const { errors, warnings } = parseFactLines(readFileSync(new URL(file, import.meta.url), "utf8"));
      expect(errors, file).toEqual([]);
      expect(warnings, file).toEqual([]);
    }
  });
});
