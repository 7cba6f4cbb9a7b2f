import { type Token, type Tokens, marked } from "marked";

/**
 * Markdown as a person reads it at a terminal, which renders nothing: the document's shape stays as Markdown writes it
 * (`# headings`, `- lists`, `**bold**`, `> quotes`), and its text reads as written: a title `<b> & [x]` shows as typed,
 * not as the `&lt;b&gt; & \[x\]` that src/render/escape.ts writes for Markdown readers. Through marked's lexer, so
 * that only real Markdown is read as such:
 *
 * - a link the document makes shows its destination beside its label, `label (https://…)`: a terminal hides no
 *   address, and text that only looks like a link (a title `[x](https://evil)`, escaped in the Markdown) shows
 *   literally, never as a link;
 * - code spans and blocks keep their characters (a backslash in code is the code's);
 * - control characters (ESC, BEL, a carriage return, C1), which would rewrite the screen or make a hidden hyperlink
 *   (OSC 8), show as U+FFFD. The text guard (src/text-guard.ts) keeps them out of what is stored; this is for
 *   whatever else reaches the screen (a numeric reference like `&#27;` in a summary).
 *
 * Only for a terminal's screen: Markdown that goes on (a file, a pipe, Slack) stays Markdown.
 */
export function markdownToTerminal(markdown: string): string {
  const text = blocks(marked.lexer(markdown));
  return showControls(markdown.endsWith("\n") && text !== "" ? `${text}\n` : text);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the characters a terminal acts on instead of showing.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;

function showControls(text: string): string {
  return text.replace(CONTROL, "\uFFFD");
}

/** The character references marked leaves in text (it decodes the numeric ones itself), as their characters. */
const REFERENCES: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: '"', apos: "'", nbsp: "\u00A0" };

function decode(text: string): string {
  return text.replace(/&(lt|gt|amp|quot|apos|nbsp);/g, (_m, name: string) => REFERENCES[name]!);
}

/** Blocks one after another: apart by a blank line, or on the next line (`tight`: the blocks of a tight list's item). */
function blocks(tokens: readonly Token[], tight = false): string {
  const out: string[] = [];
  for (const token of tokens) {
    switch (token.type) {
      case "space":
        break;
      case "heading": {
        const heading = token as Tokens.Heading;
        out.push(`${"#".repeat(heading.depth)} ${inline(heading.tokens)}`);
        break;
      }
      case "paragraph":
        out.push(inline((token as Tokens.Paragraph).tokens));
        break;
      case "text": {
        const text = token as Tokens.Text;
        out.push(text.tokens ? inline(text.tokens) : decode(text.text));
        break;
      }
      case "blockquote":
        out.push(prefixLines(blocks((token as Tokens.Blockquote).tokens), "> ", ">"));
        break;
      case "list":
        out.push(list(token as Tokens.List));
        break;
      case "table":
        out.push(table(token as Tokens.Table));
        break;
      default:
        // Code blocks (their characters are the code's), rules, HTML a person wrote (shown as written).
        out.push(token.raw.replace(/\n+$/, ""));
    }
  }
  return out.filter((s) => s !== "").join(tight ? "\n" : "\n\n");
}

/** Every line of `text` after `prefix` (`bare` on an empty line, so that no line ends in spaces). */
function prefixLines(text: string, prefix: string, bare = ""): string {
  return text
    .split("\n")
    .map((line) => (line === "" ? bare : `${prefix}${line}`))
    .join("\n");
}

function list(token: Tokens.List): string {
  const start = typeof token.start === "number" ? token.start : 1;
  const items = token.items.map((item, i) => {
    const bullet = token.ordered ? `${start + i}${/^\s*\d+\)/.test(item.raw) ? ")" : "."}` : (/^\s*([-*+])/.exec(item.raw)?.[1] ?? "-");
    // A task's box leads its item (marked puts it before the item's blocks, or in its first paragraph).
    const [first, ...rest] = item.tokens;
    const body = first?.type === "checkbox" ? `${inlineToken(first)}${blocks(rest, !item.loose)}` : blocks(item.tokens, !item.loose);
    const indent = " ".repeat(bullet.length + 1);
    return `${bullet} ${prefixLines(body, indent).slice(indent.length)}`;
  });
  return items.join(token.loose ? "\n\n" : "\n");
}

function table(token: Tokens.Table): string {
  // A `|` inside a cell stays escaped: shown bare, it would look like the start of another cell.
  const row = (cells: readonly Tokens.TableCell[]) => `| ${cells.map((c) => inline(c.tokens).replace(/\|/g, "\\|")).join(" | ")} |`;
  const rule = `| ${token.align.map((a) => (a === "center" ? ":-:" : a === "left" ? ":--" : a === "right" ? "--:" : "---")).join(" | ")} |`;
  return [row(token.header), rule, ...token.rows.map(row)].join("\n");
}

function inline(tokens: readonly Token[] | undefined): string {
  return (tokens ?? []).map(inlineToken).join("");
}

function inlineToken(token: Token): string {
  switch (token.type) {
    case "text": {
      const text = token as Tokens.Text;
      return text.tokens ? inline(text.tokens) : decode(text.text);
    }
    case "escape":
      return (token as Tokens.Escape).text;
    case "strong":
    case "em":
    case "del": {
      // The document's own emphasis keeps its markers (`**`, `_`, `~~`), as written.
      const styled = token as Tokens.Strong | Tokens.Em | Tokens.Del;
      const marker = /^([*_~]+)/.exec(styled.raw)?.[1] ?? "";
      return `${marker}${inline(styled.tokens)}${marker}`;
    }
    case "link": {
      const link = token as Tokens.Link;
      // An address written as itself (`https://…`, `<https://…>`, `a@b.org`): the address.
      if (!link.raw.startsWith("[")) return decode(link.text);
      const label = inline(link.tokens);
      return label === link.href ? link.href : `${label} (${link.href})`;
    }
    case "image": {
      const image = token as Tokens.Image;
      return `[image: ${decode(image.text)}] (${image.href})`;
    }
    case "br":
      return "\n";
    case "checkbox":
      return (token as Tokens.Checkbox).checked ? "[x] " : "[ ] ";
    default:
      // Code spans (their characters are the code's) and HTML a person wrote: as written.
      return token.raw;
  }
}
