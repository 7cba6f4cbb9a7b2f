import type { NumberedSource } from "../facts/citations.js";
import { escapeMarkdown, markdownLink } from "./escape.js";

/** "1. title (date)" or "1. [title](url) (date)"; only an http(s) URL becomes a link. */
export function sourceLine(source: NumberedSource): string {
  const text = (source.title ?? source.url ?? "").replace(/\s+/g, " ").trim();
  const url = source.url?.trim();
  const date = source.date ? ` (${source.date})` : "";
  if (url && /^https?:\/\/\S+$/i.test(url)) return `${source.number}. ${markdownLink(url, text)}${date}`;
  return `${source.number}. ${escapeMarkdown(text)}${url && source.title ? ` (${escapeMarkdown(url)})` : ""}${date}`;
}
