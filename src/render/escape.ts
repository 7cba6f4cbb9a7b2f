/**
 * Escaping of text a person wrote, one function per output format. Every path that puts a fact title, a memo title, a
 * name, a reason or a section into something Slack or a reader renders goes through one of these, so that no user
 * text can ping (`<!channel>`, `<!here>`, `<!subteam^…>`, `<@U…>`, `@here`), link (`<https://…|label>`,
 * `[label](https://…)`) or format anything it did not say:
 *
 * - {@link escapeMrkdwn}: plain text into Slack mrkdwn (section and context text, a message's `text`, modal text).
 * - {@link escapeMarkdown}: plain text into Markdown (Slack `markdown` blocks, `.md` files, and the HTML and terminal
 *   renderings of the same documents: src/render/html.ts, src/render/terminal.ts).
 * - {@link defuseMarkdown}: Markdown a person wrote on purpose (a memo section, a fact summary) into Markdown: its
 *   formatting and links stay, its Slack mentions and angle-bracket forms do not.
 *
 * `plain_text` objects need none of them: Slack never parses them.
 */

/**
 * Slack turns `@here`, `@channel` and `@everyone` typed as words into mentions when a message is posted with
 * `link_names` (and may in a `markdown` block); a word joiner (U+2060, invisible, not a space) after the `@` keeps the
 * word readable and inert.
 */
const MENTION_WORD = /(?<![\w/.@])@(here|channel|everyone)(?![\w-])/gi;
const WORD_JOINER = "\u2060";

function quietMentionWords(text: string): string {
  return text.replace(MENTION_WORD, `@${WORD_JOINER}$1`);
}

/**
 * Plain text for Slack mrkdwn. Slack's own rule (docs/slack-platform.md): `&`, `<` and `>` become entities, which stops
 * `<!channel>` pings and forged `<url|text>` links; `@here`-style words get a word joiner. mrkdwn has no escape for
 * `*`, `_` or `~`, which can only style the user's own words and are left as typed.
 */
export function escapeMrkdwn(text: string): string {
  return quietMentionWords(text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
}

/** Characters with an inline meaning in CommonMark/GFM (emphasis, code, links and images, strikethrough, tables). */
const MARKDOWN_INLINE = /[\\`*_[\]~|]/g;

/**
 * Where GFM's autolink literals start: the `:` of `https://` (any `scheme://`), the `.` of a `www.` that starts a word,
 * and the `@` of an address (`a@b.co`, `mailto:a@b.co`). Escaping that one character (`https\://`, `www\.`, `a\@b`)
 * shows the same text and makes no link: inside a link's label an autolink would be a link inside a link (the outer one
 * breaks, or goes somewhere else), and outside one the URL would carry our escapes (`a\_b` in `https://x/a_b`) into its
 * text and its address. A person's client may still linkify a bare URL it shows (Slack does): to itself, which is fine.
 */
const AUTOLINK_START = /(?<=[a-z0-9])(:)(?=\/\/)|(?<![a-z0-9])(www)(\.)|(?<=[a-z0-9._+-])(@)(?=[a-z0-9_-])/gi;

function quietAutolinks(text: string): string {
  return text.replace(AUTOLINK_START, (_m, colon?: string, www?: string, dot?: string, at?: string) => (www ? `${www}\\${dot}` : `\\${colon ?? at}`));
}

/**
 * marked reads a link label's `\[` and `\]` as brackets again before it parses the label, and (since 18.x) drops the
 * outer link of a label that holds a link: in `[a \[b\](https://e)](https://ok)` the label's `[b](https://e)` would
 * win. Escaping the `(` after an escaped `]` stops that inline link and shows the same text.
 */
function quietLabelLinks(escaped: string): string {
  return escaped.replace(/\\\]\(/g, "\\]\\(");
}

/**
 * Plain text as one line of Markdown that shows exactly that text: whitespace runs (newlines included) become one
 * space; `\`, `` ` ``, `*`, `_`, `[`, `]`, `~` and `|` are backslash-escaped, so no emphasis, code, link, image or table
 * cell can start; `<` and `>` become `&lt;` and `&gt;`, which Markdown shows as the characters and which no Slack
 * angle-bracket form (`<!channel>`, `<@U1>`, `<#C1|x>`, `<https://e|x>`) survives; `&` becomes `&amp;` only where it
 * would start an entity; a line start that would open a heading, list item or setext underline is escaped;
 * `@here`-style words get a word joiner; and no URL, `www.` address or e-mail address in it becomes a link (see
 * {@link AUTOLINK_START}). The result reads as the original once rendered.
 */
export function escapeMarkdown(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  const escaped = quietAutolinks(
    quietMentionWords(
      line
        .replace(/&(?=#?[a-z0-9]+;)/gi, "&amp;")
        .replace(MARKDOWN_INLINE, "\\$&")
        .replace(/</g, "&lt;")
        .replace(/>/g, "&gt;"),
    ),
  );
  const ordered = /^(\d{1,9})([.)])(\s|$)/.exec(escaped);
  if (ordered) return `${ordered[1]}\\${escaped.slice(ordered[1]!.length)}`;
  if (/^(#{1,6}(\s|$)|[-+](\s|$)|=+$|-+$)/.test(escaped)) return `\\${escaped}`;
  return escaped;
}

/**
 * Text inside a line of Markdown that a person styled (bold, italic, a link's label in the rich-text editor): shows
 * exactly that text, whitespace and newlines kept. Like {@link escapeMarkdown} for the inline characters, `<` and `>`,
 * and every `&`, but without collapsing whitespace or escaping line starts (the caller wraps it in markers). Safe as a
 * link's label too: it makes no link of its own inside one (see {@link quietLabelLinks}).
 */
export function escapeMarkdownText(text: string): string {
  return quietLabelLinks(
    quietAutolinks(
      quietMentionWords(
        text
          // Every `&`: HTML also decodes references without their `;` (`&#0`, `&amp`).
          .replace(/&/g, "&amp;")
          .replace(MARKDOWN_INLINE, "\\$&")
          .replace(/</g, "&lt;")
          .replace(/>/g, "&gt;"),
      ),
    ),
  );
}

/**
 * A `<` that would open a Slack angle-bracket form: a special mention (`<!channel>`, `<!subteam^S1>`), a user or
 * channel (`<@U1>`, `<#C1|x>`), or a link with a scheme (`<https://e|x>`, `<mailto:…>`).
 */
const SLACK_FORM_START = /<(?=![a-z]|[@#]|[a-z][a-z0-9+.-]*:)/gi;
const ZERO_WIDTH_SPACE = "\u200b";

/**
 * Markdown a person wrote, kept as Markdown (their emphasis, lists and `[links](https://…)` stay: they wrote them on
 * purpose), with every Slack angle-bracket form and `@here`-style word made inert: a zero-width space after the `<`
 * (it works inside code spans and blocks too, where an entity would show as `&lt;`) and a word joiner after the `@`.
 * Both are invisible, so the text reads as written. Idempotent, and a no-op on {@link escapeMarkdown}'s output.
 */
export function defuseMarkdown(markdown: string): string {
  return quietMentionWords(markdown.replace(SLACK_FORM_START, `<${ZERO_WIDTH_SPACE}`));
}

/**
 * Text shown verbatim as a fenced Markdown code block (a diff, a log): the fence is longer than any backtick run in the
 * text, so the text cannot close it early, and Slack's angle-bracket forms inside are defused as in
 * {@link defuseMarkdown} (a code block in a `markdown` block is still scanned for them).
 */
export function codeBlockMarkdown(text: string, info = ""): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = "`".repeat(longest + 1);
  return `${fence}${info.replace(/[^a-z0-9-]/gi, "")}\n${defuseMarkdown(text.replace(/\n$/, ""))}\n${fence}\n`;
}

/**
 * A Markdown document for a Slack canvas (canvases.create / canvases.edit take Markdown). Canvases read Slack's
 * angle-bracket forms and also make a mention or a channel embed of an image-shaped link (`![](@U123)`, `![](#C123)`)
 * and would show a remote image: on top of {@link defuseMarkdown}, every `![` is escaped, so no image, embed or mention
 * can come from the text (the memo has no images of its own).
 */
export function canvasMarkdown(markdown: string): string {
  return defuseMarkdown(markdown).replace(/!\[/g, "!\\[");
}

/**
 * A Markdown link to an http(s) URL with a plain-text label, the one way our outputs write a link to a source: the label
 * through {@link escapeMarkdown}, and a `(` right after a `]` escaped too; the URL's `(`, `)`, `<`, `>` and whitespace
 * percent-encoded so it cannot end the link early. The label shows as typed and links only to `url`, even when it holds
 * `[a](https://evil)` (see {@link quietLabelLinks}). Anything but an http(s) URL gives the escaped label alone.
 */
export function markdownLink(url: string, label: string): string {
  const target = url.trim();
  if (!/^https?:\/\/\S/i.test(target)) return escapeMarkdown(label);
  // encodeURIComponent leaves `(` and `)` as they are.
  const destination = target.replace(/[()<>\s]/g, (c) => (c === "(" ? "%28" : c === ")" ? "%29" : encodeURIComponent(c)));
  return `[${quietLabelLinks(escapeMarkdown(label))}](${destination})`;
}

/** Escapes text for an HTML text node or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}
