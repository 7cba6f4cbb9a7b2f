import { escapeMrkdwn } from "./escape.js";

/** A mrkdwn link; falls back to escaped text when the URL is not plain http(s) or would break the link syntax. */
export function mrkdwnLink(url: string, text: string): string {
  if (!/^https?:\/\/[^\s<>|]+$/.test(url)) return escapeMrkdwn(text);
  // `|` and `>` inside the label would end it early; escaping `>` covers one, `|` has no escape so it is replaced.
  return `<${url}|${escapeMrkdwn(text).replace(/\|/g, "¦")}>`;
}

/** Cuts text to `max` characters, ending with an ellipsis when it was cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}
