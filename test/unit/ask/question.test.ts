import { describe, expect, it } from "vitest";
import { contentWords, parseQuestion, questionKind } from "../../../src/ask/question.js";
import { stem, trigramSimilarity } from "../../../src/ask/similarity.js";

const TODAY = "2018-04-15";

describe("reading a question", () => {
  it("tells the kinds apart", () => {
    expect(questionKind("When must the special session be held?")).toBe("deadline");
    expect(questionKind("What is the deadline for the legal text?")).toBe("deadline");
    expect(questionKind("When was KORUS signed?")).toBe("when");
    expect(questionKind("Who asked for the special session?")).toBe("who");
    expect(questionKind("Where did the first round take place?")).toBe("where");
    expect(questionKind("How much was the deficit in 2016?")).toBe("how-much");
    expect(questionKind("What changed last week?")).toBe("what-changed");
    expect(questionKind("Tell me about steel")).toBe("what");
  });

  it("reads years, quarters, months, days, as-of dates and relative spans", () => {
    expect(parseQuestion("deficit in 2017", TODAY)).toMatchObject({ range: { since: "2017-01-01", until: "2017-12-31" }, period: { key: "2017" }, words: ["deficit"] });
    expect(parseQuestion("deficit in the first quarter of 2018", TODAY).period?.key).toBe("2018-Q1");
    expect(parseQuestion("what happened in March 2018", TODAY).range).toMatchObject({ since: "2018-03-01", until: "2018-03-31", label: "Mar 2018" });
    expect(parseQuestion("status as of 2017-07-20", TODAY)).toMatchObject({ asOf: "2017-07-20", asOfGiven: true });
    expect(parseQuestion("what changed last week", TODAY).range).toMatchObject({ since: "2018-04-08", until: "2018-04-15" });
    expect(parseQuestion("what changed in the last week as of 2018-03-30", TODAY)).toMatchObject({ asOf: "2018-03-30", range: { since: "2018-03-23", until: "2018-03-30" } });
    expect(parseQuestion("what changed since 2018-01-01", TODAY).range).toEqual({ since: "2018-01-01", label: "since 2018-01-01" });
    expect(parseQuestion("anything before 2017", TODAY).range).toEqual({ until: "2016-12-31", label: "before 2017" });
    expect(parseQuestion("deficit between 2014 and 2016", TODAY).range).toMatchObject({ since: "2014-01-01", until: "2016-12-31" });
  });

  it("keeps the words that say what it is about", () => {
    expect(contentWords("When did Korea's National Assembly ratify the U.S.-Korea deal?")).toEqual(["korea", "national", "assembly", "ratify", "usa", "korea"]);
    expect(parseQuestion("When did the agreement take effect?", TODAY).words).toEqual(["enters", "force"]);
  });

  it("stems and compares words", () => {
    expect(stem("negotiations")).toBe(stem("negotiated"));
    expect(stem("ratifies")).toBe(stem("ratify"));
    expect(trigramSimilarity("renegotiation", "negotiations")).toBeGreaterThan(0.4);
    expect(trigramSimilarity("steel", "washing")).toBe(0);
  });
});
