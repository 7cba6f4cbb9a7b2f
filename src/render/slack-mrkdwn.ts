import { type Token, type Tokens, marked } from "marked";
import { escapeMrkdwn } from "./escape.js";
import { mrkdwnLink } from "./mrkdwn.js";

/**
 * Markdown (CommonMark/GFM) to Slack mrkdwn, through marked's lexer: **bold** becomes *bold*, links become
 * <url|text>, headings become bold lines, lists get bullets. Every piece of text is escaped, so Markdown from a
 * user cannot ping @channel or forge a link; raw HTML is shown as text.
 */
export function markdownToMrkdwn(markdown: string): string {
  return blocks(marked.lexer(markdown)).trim();
}

function blocks(tokens: Token[]): string {
  const out: string[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case "heading":
        out.push(`*${inline((token as Tokens.Heading).tokens)}*`);
        break;
      case "paragraph":
        out.push(inline((token as Tokens.Paragraph).tokens));
        break;
      case "text": {
        const t = token as Tokens.Text;
        out.push(t.tokens ? inline(t.tokens) : escapeMrkdwn(t.text));
        break;
      }
      case "blockquote":
        out.push(
          blocks((token as Tokens.Blockquote).tokens)
            .split("\n")
            .map((l) => `> ${l}`)
            .join("\n"),
        );
        break;
      case "list": {
        const list = token as Tokens.List;
        const start = typeof list.start === "number" ? list.start : 1;
        out.push(
          list.items
            .map((item, i) => {
              const bullet = list.ordered ? `${start + i}.` : "•";
              const body = blocks(item.tokens).replace(/\n\n+/g, "\n");
              return `${bullet} ${body.replace(/\n/g, "\n    ")}`;
            })
            .join("\n"),
        );
        break;
      }
      case "code":
        out.push(`\`\`\`\n${escapeMrkdwn((token as Tokens.Code).text)}\n\`\`\``);
        break;
      case "hr":
        out.push("———");
        break;
      case "table": {
        // mrkdwn has no tables: one line a row, cells separated.
        const table = token as Tokens.Table;
        const row = (cells: Tokens.TableCell[]) => cells.map((c) => inline(c.tokens)).join(" · ");
        out.push([`*${row(table.header)}*`, ...table.rows.map(row)].join("\n"));
        break;
      }
      case "html":
        out.push(escapeMrkdwn((token as Tokens.HTML).text.trim()));
        break;
      case "space":
        break;
      default:
        if ("raw" in token) out.push(escapeMrkdwn(String(token.raw).trim()));
    }
  }
  return out.filter((s) => s !== "").join("\n\n");
}

function inline(tokens: Token[] | undefined): string {
  if (!tokens) return "";
  return tokens
    .map((token) => {
      switch (token.type) {
        case "strong":
          return `*${inline((token as Tokens.Strong).tokens)}*`;
        case "em":
          return `_${inline((token as Tokens.Em).tokens)}_`;
        case "del":
          return `~${inline((token as Tokens.Del).tokens)}~`;
        case "codespan":
          return `\`${escapeMrkdwn(decode((token as Tokens.Codespan).text))}\``;
        case "link": {
          const link = token as Tokens.Link;
          return mrkdwnLink(link.href, plain(link.tokens) || link.href);
        }
        case "image": {
          const image = token as Tokens.Image;
          return mrkdwnLink(image.href, image.text || image.href);
        }
        case "br":
          return "\n";
        case "text": {
          const t = token as Tokens.Text;
          return t.tokens ? inline(t.tokens) : escapeMrkdwn(decode(t.text));
        }
        case "escape":
          return escapeMrkdwn(decode((token as Tokens.Escape).text));
        case "html":
          return escapeMrkdwn((token as Tokens.HTML).text);
        default:
          return "raw" in token ? escapeMrkdwn(String(token.raw)) : "";
      }
    })
    .join("");
}

function plain(tokens: Token[] | undefined): string {
  return (tokens ?? []).map((t) => ("tokens" in t && t.tokens ? plain(t.tokens as Token[]) : "text" in t ? decode(String(t.text)) : "")).join("");
}

// marked's lexer leaves a few characters as HTML entities in text tokens; mrkdwn wants the characters.
function decode(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}
