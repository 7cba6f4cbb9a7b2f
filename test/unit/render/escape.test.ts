import fc from "fast-check";
import { marked } from "marked";
import { describe, expect, it } from "vitest";
import { defuseMarkdown, escapeMarkdown, escapeMrkdwn } from "../../../src/render/escape.js";
import { markdownToHtmlFragment } from "../../../src/render/html.js";

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
      "&lt;https://e\\|x&gt;",
      "\\[x\\](https://e)",
      `@${WJ}here`,
    ]);
  });

  it("shows the text as typed once rendered: no link, emphasis, code, heading or list", () => {
    const cases = ["[x](https://e)", "**bold** _it_ `code` ~~s~~", "# heading", "- item", "1. first", "> quote", "a | b", "AT&T &amp; co", "![img](https://e/x.png)", "<b>tag</b>"];
    for (const text of cases) {
      // A bare URL still links to itself (GFM autolink): it shows where it goes, so it cannot spoof; unwrap those.
      const html = markdownToHtmlFragment(escapeMarkdown(text))
        .trim()
        .replace(/<a href="([^"]+)" rel="noopener noreferrer">\1<\/a>/g, "$1");
      expect(html).toBe(`<p>${text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")}</p>`);
    }
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
