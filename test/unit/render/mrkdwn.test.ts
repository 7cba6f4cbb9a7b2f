import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeMrkdwn, mrkdwnLink, truncate } from "../../../src/render/mrkdwn.js";

describe("mrkdwn escaping", () => {
  it("escapes exactly &, < and >, so no ping or forged link survives", () => {
    expect(escapeMrkdwn("<!channel> & <https://evil.example|bank>")).toBe("&lt;!channel&gt; &amp; &lt;https://evil.example|bank&gt;");
    expect(escapeMrkdwn("*bold* _it_ ~s~ `code`")).toBe("*bold* _it_ ~s~ `code`");
  });

  it("never leaves a raw < or > in any text (property)", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = escapeMrkdwn(s);
        expect(out).not.toMatch(/[<>]/);
        expect(out.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&")).toBe(s);
      }),
    );
  });

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
