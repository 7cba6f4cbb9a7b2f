import { describe, expect, it } from "vitest";
import { FactQueryError, formatFactQuery, parseFactQuery } from "../../../src/facts/query.js";

describe("parseFactQuery", () => {
  it("separates words from filters, in any order", () => {
    expect(parseFactQuery("special session kind:deadline since:2017-07-01 until:2017-12-31 actor:korea")).toEqual({
      words: "special session",
      kind: "deadline",
      since: "2017-07-01",
      until: "2017-12-31",
      actor: "Korea",
    });
    expect(parseFactQuery("actor:U.S. tariffs")).toEqual({ words: "tariffs", actor: "US" });
  });

  it("keeps quoted phrases and exclusions for full-text search, and reads quoted filter values", () => {
    expect(parseFactQuery('"trade deficit" -steel actor:"Yeo Han-koo"')).toEqual({ words: '"trade deficit" -steel', actor: "Yeo Han-koo" });
  });

  it("treats URLs and times as words, not filters", () => {
    expect(parseFactQuery("https://ustr.gov 10:30").words).toBe("https://ustr.gov 10:30");
  });

  it("accepts an empty query (everything, newest first)", () => {
    expect(parseFactQuery("   ")).toEqual({ words: "" });
  });

  it("names the filter at fault", () => {
    const message = (text: string) => {
      try {
        parseFactQuery(text);
      } catch (error) {
        expect(error).toBeInstanceOf(FactQueryError);
        return (error as Error).message;
      }
      return "no error";
    };
    expect(message("kind:memo")).toBe("`kind:memo` is not a kind; use one of event, deadline, figure, position, quote, note");
    expect(message("since:2017-02-30")).toBe("`since:2017-02-30` is not a date; write it as YYYY-MM-DD");
    expect(message("colour:red")).toBe("unknown filter `colour:`; the filters are `kind:`, `since:`, `until:`, `actor:`, `topic:`");
    expect(message("actor:")).toBe("`actor:` needs a value, like `actor:korea`");
    expect(message("since:2018-01-01 until:2017-01-01")).toBe("`since:2018-01-01` is after `until:2017-01-01`");
  });

  it("writes a query back as text", () => {
    expect(formatFactQuery(parseFactQuery("kind:deadline  special   actor:korea"))).toBe("special kind:deadline actor:Korea");
  });
});
