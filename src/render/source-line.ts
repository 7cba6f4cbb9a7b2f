import type { NumberedSource } from "../facts/citations.js";
import { escapeMarkdown } from "./escape.js";

/** "1. title" or "1. [title](url)"; only an http(s) URL becomes a link. */
export function sourceLine(source: NumberedSource): string {
  const text = (source.title ?? source.url ?? "").replace(/\s+/g, " ").trim();
  const url = source.url?.trim();
  if (url && /^https?:\/\/\S+$/i.test(url)) {
    const label = escapeMarkdown(text);
    const destination = url.replace(/[()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    return `${source.number}. [${label}](${destination})`;
  }
  return `${source.number}. ${escapeMarkdown(text)}${url && source.title ? ` (${escapeMarkdown(url)})` : ""}`;
}
