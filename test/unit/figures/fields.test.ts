import { describe, expect, it } from "vitest";
import { factToLine } from "../../../src/facts/export.js";
import { parseFactLines } from "../../../src/facts/jsonl-read.js";
import type { Fact } from "../../../src/facts/model.js";

const base = { date: "2016-12-31", title: "Deficit 2016", kind: "figure", actor: "US", source: "Census" };
const line = (extra: Record<string, unknown>) => JSON.stringify({ ...base, ...extra });

describe("figure fields in the fact JSON Lines schema", () => {
  it("accepts value, unit, period and series, and stores the period canonically", () => {
    const { facts, errors } = parseFactLines(line({ value: 27.7, unit: "USD billion", period: "2018-01 to 2018-10", series: "US-Goods-Deficit-Korea" }));
    expect(errors).toEqual([]);
    expect(facts[0]).toMatchObject({ value: 27.7, unit: "USD billion", period: "2018-01/2018-10", series: "us-goods-deficit-korea" });
  });

  it("names the field at fault on every bad line", () => {
    const text = [
      line({ value: 27.7 }),
      line({ value: 27.7, unit: "USD billion", period: "FY16" }),
      line({ value: "27.7bn", unit: "USD billion" }),
      line({ unit: "%" }),
      line({ value: 1, unit: "%", series: "x" }),
      line({ value: 1, unit: "%", period: "2016", series: "not a key!" }),
      JSON.stringify({ ...base, kind: "event", value: 3, unit: "%" }),
    ].join("\n");
    const { errors } = parseFactLines(text);
    const at = (n: number) => errors.filter((e) => e.line === n).map((e) => `${e.field}: ${e.message}`);
    expect(at(1)).toEqual([expect.stringMatching(/^unit: is required with a value/)]);
    expect(at(2)).toEqual([expect.stringMatching(/^period: "FY16" is not a period; write a year "2016", a quarter "2018-Q1"/)]);
    expect(at(3)).toEqual([expect.stringMatching(/^value: must be a number/)]);
    expect(at(4)).toEqual(["value: is required with a unit"]);
    expect(at(5)).toEqual([expect.stringMatching(/^period: is required with a series/)]);
    expect(at(6)).toEqual([expect.stringMatching(/^series: must be a key of lowercase letters/)]);
    expect(at(7)).toEqual(["value: only a figure has a value (this fact is an event)", "unit: only a figure has a unit (this fact is an event)"]);
  });

  it("exports the fields back, so an export imports to the same figure", () => {
    const fact: Fact = {
      id: 1,
      kind: "figure",
      date: "2016-12-31",
      known: null,
      title: "Deficit 2016",
      summary: "",
      actor: "US",
      sources: [{ title: "Census" }],
      disputed: [],
      event: null,
      visibleFrom: "2016-12-31",
      confidence: "confirmed",
      topic: "korus",
      after: null,
      retracted: false,
      figure: { value: 27.7, unit: "USD billion", period: "2016", series: "us-goods-deficit-korea" },
    };
    const text = factToLine(fact);
    expect(JSON.parse(text)).toMatchObject({ value: 27.7, unit: "USD billion", period: "2016", series: "us-goods-deficit-korea" });
    expect(parseFactLines(text).facts[0]).toMatchObject({ value: 27.7, period: "2016" });
  });
});
