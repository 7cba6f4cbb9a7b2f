import { describe, expect, it } from "vitest";
import { mrkdwnLink, truncate } from "../../../src/render/mrkdwn.js";

describe("mrkdwn links and lengths", () => {
  it("builds links only from plain http(s) URLs", () => {
    expect(mrkdwnLink("https://ustr.gov/a?b=1", "USTR | letter")).toBe("<https://ustr.gov/a?b=1|USTR ¦ letter>");
    expect(mrkdwnLink("javascript:alert(1)", "click")).toBe("click");
    expect(mrkdwnLink("https://x.example/|<!channel>", "t")).toBe("t");
  });

  it("truncates with an ellipsis within the limit", () => {
    expect(truncate("abcdef", 4)).toBe("abc…");
    expect(truncate("abc", 4)).toBe("abc");
  });
});
