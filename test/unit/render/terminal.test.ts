import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeBlockMarkdown, defuseMarkdown, escapeMarkdown, markdownLink } from "../../../src/render/escape.js";
import { markdownToTerminal } from "../../../src/render/terminal.js";
import { propertyRuns } from "../../support/property-runs.js";

const WJ = "\u2060";
const ZWSP = "\u200b";

/** A title as a person typed it, after escapeMarkdown and the terminal: the characters seen, invisible joiners aside. */
const seen = (markdown: string) => markdownToTerminal(markdown).replaceAll(WJ, "").replaceAll(ZWSP, "");

describe("markdownToTerminal (Markdown read at a terminal)", () => {
  it("shows escaped text as it was typed: no character references, no backslashes", () => {
    for (const title of [
      "<b> & co",
      "[x] done",
      "\\[x\\] typed with backslashes",
      "AT&T &amp; &lt; &#60;",
      "*not bold* _nor this_ `nor code` ~~nor~~",
      "1. not a list",
      "# not a heading",
      "a | b",
      "<!channel> @here",
    ]) {
      expect(seen(escapeMarkdown(title)), title).toBe(title);
    }
  });

  it("shows a link the document makes with its address, and text that only looks like a link literally, never as one", () => {
    // The bot's own link (a source): its label as typed, its address beside it.
    expect(markdownToTerminal(markdownLink("https://ustr.gov/a", "USTR <notice> [draft]"))).toBe("USTR <notice> [draft] (https://ustr.gov/a)");
    // A title that reads like a Markdown link is the title's text: the reader sees the address it names, as typed.
    const forged = escapeMarkdown("[USTR notice](https://evil.example/x)");
    expect(markdownToTerminal(forged)).toBe("[USTR notice](https://evil.example/x)");
    expect(markdownToTerminal(`Source: ${markdownLink("https://ustr.gov/a", "[USTR](https://evil.example)")}`)).toContain("https://evil.example");
    // A summary a person wrote keeps its link, with the address shown; a bare address shows as itself.
    expect(markdownToTerminal(defuseMarkdown("See [the notice](https://ustr.gov/n) and https://ustr.gov/m."))).toBe("See the notice (https://ustr.gov/n) and https://ustr.gov/m.");
    expect(markdownToTerminal("Or <https://ustr.gov/o>.")).toBe("Or https://ustr.gov/o.");
    expect(markdownToTerminal("[https://ustr.gov/n](https://ustr.gov/n)")).toBe("https://ustr.gov/n");
  });

  it("keeps the document's shape: headings, bold, lists with their continuation lines, quotes; hard breaks leave no trailing spaces", () => {
    const markdown = [
      "# Fact #3",
      "",
      `- **2017-07-12** · event · #3: **${escapeMarkdown("<b> [x]")}**  `,
      "  Summary line  ",
      `  Source: ${markdownLink("https://ustr.gov/a", "USTR")}`,
      "- [x] done",
      "",
      "1. one",
      "2. two",
      "",
      "> quoted &lt;",
      "",
    ].join("\n");
    expect(markdownToTerminal(markdown)).toBe(
      ["# Fact #3", "", "- **2017-07-12** · event · #3: **<b> [x]**", "  Summary line", "  Source: USTR (https://ustr.gov/a)", "- [x] done", "", "1. one", "2. two", "", "> quoted <", ""].join("\n"),
    );
  });

  it("leaves code as written: a backslash or a reference in code is the code's", () => {
    expect(markdownToTerminal("run `korus \\[x\\] &lt;` now")).toBe("run `korus \\[x\\] &lt;` now");
    const block = codeBlockMarkdown("- a\\[b &lt;\n+ c");
    expect(markdownToTerminal(block)).toBe(block);
  });

  it("shows control characters as U+FFFD, wherever they come from", () => {
    // ESC ] 8 would start a hidden hyperlink (OSC 8); ESC [ 2 J clears the screen.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for control characters.
    expect(markdownToTerminal("a &#27;]8;;https://evil&#27;\\\\x b\u001b[2J c\u0007")).not.toMatch(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/);
    expect(markdownToTerminal("a \u001b[2J b")).toBe("a \uFFFD[2J b");
  });

  it("shows any one-line title as typed, whitespace runs as one space (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(..."ab1. #-+=*_`~[]()!<>&;\\|@\t\n\u00a0xy:/é가"), maxLength: 40 }), (title) => {
        expect(seen(escapeMarkdown(title))).toBe(title.replace(/\s+/g, " ").trim());
      }),
      { numRuns: propertyRuns({ fast: 300, full: 5000 }) },
    );
  });
});
