import { describe, expect, test } from "vitest";
import { keywordMatcher, parseKeywords } from "../../../src/feeds/keywords.js";

describe("feed keywords", () => {
  test("a keyword matches at a word's start, in any case, with or without accents; several words in order", () => {
    const match = keywordMatcher(["Korea", "KORUS", "Turkiye", "free trade agreement"]);
    expect(match("South Korean exports")).toEqual(["Korea"]);
    expect(match("the korus FTA")).toEqual(["KORUS"]);
    expect(match("Republic of Türkiye")).toEqual(["Turkiye"]);
    expect(match("a Free  Trade\nAgreement")).toEqual(["free trade agreement"]);
    expect(match("NorthKorea")).toEqual([]);
    expect(match("Koreas and KORUS")).toEqual(["Korea", "KORUS"]);
  });

  test("keywords are read from a comma list, with limits", () => {
    expect(parseKeywords(" Korea, ,KORUS , Korea")).toEqual(["Korea", "KORUS"]);
    expect(parseKeywords(undefined)).toEqual([]);
    expect(parseKeywords(Array.from({ length: 21 }, (_, i) => `k${i}`).join(","))).toEqual({ problem: "at most 20 keywords per feed (21 given)" });
    expect(parseKeywords("a\u0007b")).toEqual({ problem: "a keyword may not contain control characters" });
  });

  test("regular-expression characters in a keyword are literal", () => {
    expect(keywordMatcher(["U.S.-Korea (KORUS)"])("the U.S.-Korea (KORUS) agreement")).toEqual(["U.S.-Korea (KORUS)"]);
    expect(keywordMatcher(["U.S."])("USA")).toEqual([]);
  });
});
