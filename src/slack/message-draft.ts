/**
 * A draft fact from a Slack message ("Save as KORUS fact"): its text as the summary, its first line as the title, its
 * permalink as the first source, the links in it as the next sources (as many as the form holds; any more are listed
 * at the end of the summary), its date as the date. Plain data; the fact form shows
 * it for the person to correct, and the saved form goes through the same checks as any new fact.
 */
import type { IsoDate } from "../facts/dates.js";
import { FACT_LIMITS, MAX_TITLE_LENGTH } from "../facts/jsonl.js";
import type { FactSource } from "../facts/model.js";

/** What the fact form is filled in with. */
export interface FactDraft {
  date: IsoDate;
  title: string;
  /** Markdown. */
  summary: string;
  /** The message (title, and its permalink when Slack gave one), then the links in it. */
  sources: FactSource[];
}

/** Most characters of a message the summary keeps (the form's summary field holds 3,000). */
const SUMMARY_MAX = 2500;

/**
 * Slack's message markup as readable text with Markdown links: `<https://x|label>` -> `[label](https://x)`,
 * `<https://x>` -> the URL, `<@U1>` -> `@U1`, `<#C1|name>` -> `#name`, `<!here>` -> `@here` (defused again on
 * every output), and `&lt;`, `&gt;`, `&amp;` back to characters. Returns the text and the links in it, in order.
 */
export function readSlackMessageText(text: string): { text: string; links: string[] } {
  const links: string[] = [];
  const out = text.replace(/<([^<>]+)>/g, (_, inner: string) => {
    const [target = "", label] = inner.split("|", 2);
    if (/^https?:\/\//i.test(target)) {
      if (!links.includes(target)) links.push(target);
      return label ? `[${label.replace(/[[\]]/g, "")}](${target})` : target;
    }
    if (target.startsWith("mailto:")) return label ?? target.slice(7);
    if (target.startsWith("@")) return label ? `@${label}` : target;
    if (target.startsWith("#")) return label ? `#${label}` : target;
    if (target.startsWith("!")) return `@${(label ?? target.slice(1)).replace(/^subteam\^\w+$/, "group")}`;
    return label ?? target;
  });
  return { text: out.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"), links };
}

/** The draft of a fact from a message. `date` is the message's day in the team's time zone. */
export function draftFromMessage(message: { text: string; date: IsoDate; permalink?: string; channelName?: string }): FactDraft {
  const { text, links } = readSlackMessageText(message.text);
  const firstLine =
    text
      .split("\n")
      .map((l) => l.trim())
      .find(Boolean) ?? "";
  // The title is plain text: no Markdown link syntax in it.
  const plainFirst = firstLine.replace(/\[([^\]]*)\]\((https?:[^)]+)\)/g, "$1").replace(/^[>*_~#\s-]+/, "");
  const title = plainFirst.length > MAX_TITLE_LENGTH ? `${plainFirst.slice(0, MAX_TITLE_LENGTH - 1)}…` : plainFirst;
  const further = links.filter((l) => l !== message.permalink && l.length <= FACT_LIMITS.url);
  const asSources = further.slice(0, FACT_LIMITS.formSources - 1);
  const more = further.slice(asSources.length);
  const body = text.length > SUMMARY_MAX ? `${text.slice(0, SUMMARY_MAX - 1)}…` : text;
  const withLinks = more.length > 0 ? `${body}\n\nFurther sources:\n${more.map((l) => `- ${l}`).join("\n")}` : body;
  // The form's summary field holds 3,000 characters; Slack refuses a longer initial value.
  const summary = withLinks.length > 3000 ? `${withLinks.slice(0, 2999)}…` : withLinks;
  return {
    date: message.date,
    title,
    summary,
    sources: [
      { title: `Slack message${message.channelName ? ` in #${message.channelName}` : ""}, ${message.date}`, ...(message.permalink ? { url: message.permalink } : {}) },
      ...asSources.map((url) => ({ url })),
    ],
  };
}
