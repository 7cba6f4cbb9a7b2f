import { decodeHTML } from "entities";
import fc from "fast-check";
import { marked } from "marked";
import { describe, expect, it } from "vitest";
import { defuseMarkdown, escapeMarkdown, escapeMrkdwn, markdownLink } from "../../../src/render/escape.js";
import { markdownToHtmlFragment } from "../../../src/render/html.js";
import { propertyRuns } from "../../support/property-runs.js";

const WJ = "\u2060";
const ZWSP = "\u200b";

/** The special forms of the injection test, and what must never survive them in Slack-parsed text. */
const FORMS = ["<!channel>", "<!here>", "<!subteam^S1>", "<@U1>", "<#C1|x>", "<https://e|x>", "[x](https://e)", "@here"];
/**
 * A Slack angle-bracket form, or an @-word Slack may turn into a mention. Slack's special commands start `<!` and a
 * word (`<!here>`, `<!subteam^...>`, `<!date^...>`); `<!--` is not one.
 */
const SLACK_FORM = /<![a-z]|<[@#]|<[a-z][a-z0-9+.-]*:|(?<![\w/.@])@(here|channel|everyone)(?![\w-])/i;

describe("escapeMrkdwn (plain text into Slack mrkdwn)", () => {
  it("escapes &, < and >, so no ping or forged link survives, and quiets @-words", () => {
    expect(escapeMrkdwn("<!channel> & <https://evil.example|bank>")).toBe("&lt;!channel&gt; &amp; &lt;https://evil.example|bank&gt;");
    expect(escapeMrkdwn("ping @here and @channel, mail a@here.org")).toBe(`ping @${WJ}here and @${WJ}channel, mail a@here.org`);
    // mrkdwn has no escape for its styling characters; they only style the user's own words.
    expect(escapeMrkdwn("*bold* _it_ ~s~ `code`")).toBe("*bold* _it_ ~s~ `code`");
  });

  it("never leaves a raw < or > or an @-word, and loses no character (property)", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = escapeMrkdwn(s);
        expect(out).not.toMatch(/[<>]/);
        expect(out).not.toMatch(SLACK_FORM);
        expect(out.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&").replaceAll(`@${WJ}`, "@")).toBe(s.replaceAll(`@${WJ}`, "@"));
      }),
    );
  });
});

describe("escapeMarkdown (plain text into Markdown)", () => {
  it("escapes each special form readably", () => {
    expect(FORMS.map(escapeMarkdown)).toEqual([
      "&lt;!channel&gt;",
      "&lt;!here&gt;",
      "&lt;!subteam^S1&gt;",
      "&lt;@U1&gt;",
      "&lt;#C1\\|x&gt;",
      "&lt;https\\://e\\|x&gt;",
      "\\[x\\](https\\://e)",
      `@${WJ}here`,
    ]);
  });

  it("shows the text as typed once rendered: no link, emphasis, code, heading or list", () => {
    const cases = [
      "[x](https://e)",
      "**bold** _it_ `code` ~~s~~",
      "# heading",
      "- item",
      "1. first",
      "> quote",
      "a | b",
      "AT&T &amp; co",
      "![img](https://e/x.png)",
      "<b>tag</b>",
      // GFM's autolink literals: none becomes a link, and the URL keeps its characters (no `\_` in it).
      "see https://ustr.gov/trade_agreements/*korus*~x",
      "www.evil.example and WWW.evil.example",
      "mail a@b.co or mailto:x@y.org, ftp://f.example",
    ];
    for (const text of cases) {
      const html = markdownToHtmlFragment(escapeMarkdown(text)).trim();
      expect(html).toBe(`<p>${text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}</p>`);
    }
  });

  it("leaves an e-mail's @ and an ordinary colon alone where nothing can link", () => {
    expect(escapeMarkdown("Note: 30 days; @here, a @ b")).toBe(`Note: 30 days; @${WJ}here, a @ b`);
    expect(escapeMarkdown("swww.x and http:/one-slash")).toBe("swww.x and http:/one-slash");
  });

  it("keeps ordinary titles as they are", () => {
    expect(escapeMarkdown("U.S. requests a special session (KORUS), 30 days")).toBe("U.S. requests a special session (KORUS), 30 days");
    expect(escapeMarkdown("a\n# b")).toBe("a # b");
  });

  it("never leaves a Slack form, and always renders as one paragraph (property)", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const out = escapeMarkdown(s);
        expect(out).not.toMatch(SLACK_FORM);
        expect(out).not.toMatch(/[<>\n]/);
        const tokens = marked.lexer(out).filter((t) => t.type !== "space");
        if (out !== "") expect(tokens.map((t) => t.type)).toEqual(["paragraph"]);
      }),
    );
  });
});

/** Pieces of Markdown and GFM link syntax, for the property to put together in a label. */
const LINK_PIECES = ["[", "]", "(", ")", "](", "![", "\\", "<", ">", "&", "*", "_", "`", "~", "|", ":", "https://", "http://e.x", "www.", "@", "a@b.co", "mailto:", " ", "\n", "#"];

/** `[label](target)` as a person might type it into a title. */
const INLINE_LINK = fc.tuple(fc.string({ maxLength: 4 }), fc.constantFrom("https://evil.example", "b", "www.evil.example", "")).map(([l, u]) => `[${l}](${u})`);

/** What a browser shows of an HTML fragment, and the targets of its links. */
function shown(html: string): { text: string; hrefs: string[] } {
  return { text: decodeHTML(html.replace(/<[^>]*>/g, "")).trim(), hrefs: [...html.matchAll(/<a\b[^>]*href="([^"]*)"/g)].map((m) => m[1]!) };
}

describe("markdownLink (a source's title as a link to its URL)", () => {
  it("keeps a title that holds a link, a URL, a www address or an e-mail as its label, and links only to the source", () => {
    // marked 18 reads the label's \[a\](https://evil2) as a link, drops the outer link and autolinks the rest.
    const titles = ["Src [a](https://evil2)", "Src https://evil2)", "see www.evil.example", "by a@b.co", "[1]: https://evil", "x](https://evil)[y", "<https://evil|bank>"];
    for (const title of titles) {
      const link = markdownLink("https://ustr.gov/x", title);
      expect(shown(markdownToHtmlFragment(link))).toEqual({ text: title, hrefs: ["https://ustr.gov/x"] });
      expect(JSON.stringify(marked.lexer(link))).not.toContain("evil2)%5D");
    }
  });

  it("percent-encodes what would end the link, and links nothing but http(s)", () => {
    expect(markdownLink(" https://e.example/a (b)<c> d ", "t")).toBe("[t](https://e.example/a%20%28b%29%3Cc%3E%20d)");
    expect(markdownLink("javascript:alert(1)", "t [x]")).toBe("t \\[x\\]");
  });

  it("renders as one link to the URL whose text is the label as typed (property)", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom(...LINK_PIECES), INLINE_LINK), { maxLength: 12 }), (pieces) => {
        const label = pieces.join("");
        const expected = label.replace(/\s+/g, " ").trim();
        const html = markdownToHtmlFragment(markdownLink("https://ustr.gov/x", label));
        const { text, hrefs } = shown(html);
        expect(hrefs).toEqual(["https://ustr.gov/x"]);
        expect(text.replaceAll(WJ, "")).toBe(expected.replaceAll(WJ, ""));
      }),
      { numRuns: propertyRuns({ fast: 300, full: 5000 }) },
    );
  });
});

describe("defuseMarkdown (Markdown a person wrote)", () => {
  it("keeps formatting and links, and makes every Slack form inert", () => {
    expect(defuseMarkdown("**Hi** [link](https://e) <!channel> <@U1> <#C1|x> <https://e|x> <!subteam^S1> @here")).toBe(
      `**Hi** [link](https://e) <${ZWSP}!channel> <${ZWSP}@U1> <${ZWSP}#C1|x> <${ZWSP}https://e|x> <${ZWSP}!subteam^S1> @${WJ}here`,
    );
    expect(defuseMarkdown("`<!here>` in code")).toBe(`\`<${ZWSP}!here>\` in code`);
    // HTML comments and tags are not Slack forms: the section sanitizer deals with them.
    expect(defuseMarkdown("<!-- x --> <b>")).toBe("<!-- x --> <b>");
  });

  it("is idempotent and leaves escapeMarkdown's output alone (property)", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const once = defuseMarkdown(s);
        expect(defuseMarkdown(once)).toBe(once);
        expect(once).not.toMatch(SLACK_FORM);
        expect(defuseMarkdown(escapeMarkdown(s))).toBe(escapeMarkdown(s));
      }),
    );
  });
});
