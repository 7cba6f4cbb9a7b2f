import { describe, expect, it } from "vitest";
import { markdownToMrkdwn } from "../../../src/render/slack-mrkdwn.js";

describe("markdownToMrkdwn", () => {
  it("turns Markdown emphasis, links, headings, lists and quotes into mrkdwn", () => {
    expect(markdownToMrkdwn("Some **bold**, _italic_, ~~gone~~ and `code`.")).toBe("Some *bold*, _italic_, ~gone~ and `code`.");
    expect(markdownToMrkdwn("See [the USTR letter](https://ustr.gov/letter).")).toBe("See <https://ustr.gov/letter|the USTR letter>.");
    expect(markdownToMrkdwn("# Background\n\nText")).toBe("*Background*\n\nText");
    expect(markdownToMrkdwn("- one\n- two **b**\n  - nested")).toBe("• one\n• two *b*\n    • nested");
    expect(markdownToMrkdwn("1. first\n2. second")).toBe("1. first\n2. second");
    expect(markdownToMrkdwn('> quoted "text"\n> — Lighthizer')).toBe('> quoted "text"\n> — Lighthizer');
  });

  it("escapes what a user wrote so it cannot ping or forge a link", () => {
    // Markdown reads <https://…> as an autolink; its label cannot hold a "|", so it stays plain text, no link.
    expect(markdownToMrkdwn("Hey <!channel> & <https://evil.example|bank>")).toBe("Hey &lt;!channel&gt; &amp; https://evil.example|bank");
    expect(markdownToMrkdwn("<script>alert(1)</script>")).toBe("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(markdownToMrkdwn("[click](javascript:alert(1))")).toBe("click");
  });

  it("keeps tables readable as one line a row", () => {
    expect(markdownToMrkdwn("| year | deficit |\n|---|---|\n| 2011 | $13.2bn |\n| 2016 | $27.7bn |")).toBe("*year · deficit*\n2011 · $13.2bn\n2016 · $27.7bn");
  });
});
