import type { ArchiveNote, NumberedSource } from "../facts/citations.js";
import { escapeMarkdown, markdownLink } from "./escape.js";

/**
 * What is said beside a dead link, as plain text (escape it for the output): "dead link since 2026-12-07 (HTTP 404
 * Not Found); archived copy, fetched 2026-12-01 (korus sources show 3)".
 */
export function archiveNoteText(note: ArchiveNote): string {
  const dead = `dead link since ${note.deadSince}${note.reason ? ` (${note.reason.slice(0, 80)})` : ""}`;
  return note.fetchedOn ? `${dead}; archived copy, fetched ${note.fetchedOn} (korus sources show ${note.id})` : `${dead}; no archived copy`;
}

/** "1. title (date)" or "1. [title](url) (date)"; only an http(s) URL becomes a link; a dead link gets its note. */
export function sourceLine(source: NumberedSource): string {
  const text = (source.title ?? source.url ?? "").replace(/\s+/g, " ").trim();
  const url = source.url?.trim();
  const date = source.date ? ` (${source.date})` : "";
  const note = source.archive ? ` — ${escapeMarkdown(archiveNoteText(source.archive))}` : "";
  if (url && /^https?:\/\/\S+$/i.test(url)) return `${source.number}. ${markdownLink(url, text)}${date}${note}`;
  return `${source.number}. ${escapeMarkdown(text)}${url && source.title ? ` (${escapeMarkdown(url)})` : ""}${date}${note}`;
}
