/** Topics and timelines as Markdown: the terminal, the console, and Slack's `markdown` blocks alike. */
import { dayLabel } from "../facts/labels.js";
import { escapeMarkdown } from "../render/escape.js";
import type { TimelinePage, TopicSummary } from "./service.js";
import { counted } from "../render/count.js";

/** `/korus topics`. */
export function topicsToMarkdown(topics: readonly TopicSummary[]): string {
  if (topics.length === 0) return "No topics yet: no facts are stored.\n";
  const lines = ["**Topics**", ""];
  for (const t of topics) {
    const name = t.name ? ` (${escapeMarkdown(t.name)})` : "";
    const next = t.nextDeadline ? `next deadline ${escapeMarkdown(dayLabel(t.nextDeadline.date))}: ${escapeMarkdown(t.nextDeadline.title)}` : "no upcoming deadline";
    lines.push(`- \`${t.slug}\`${name}: ${t.facts} fact${t.facts === 1 ? "" : "s"}, ${t.deadlines} deadline${t.deadlines === 1 ? "" : "s"}; ${next}`);
  }
  return `${lines.join("\n")}\n`;
}

/** `/korus timeline`: one line per fact, and how to reach the next page. */
export function timelineToMarkdown(page: TimelinePage): string {
  const range = [page.since ? `since ${page.since}` : "", page.until ? `until ${page.until}` : ""].filter(Boolean).join(", ");
  const lines = [`**Timeline of \`${page.topic}\`**${range ? `, ${range}` : ""}: ${counted(page.total, "fact")}, page ${page.page} of ${page.pages}`, ""];
  if (page.facts.length === 0) lines.push("No facts in that range.");
  for (const f of page.facts) lines.push(`- ${f.date} · ${f.kind} · ${escapeMarkdown(f.title)} · #${f.id}`);
  if (page.page < page.pages) {
    const next = ["timeline", page.topic, page.since ? `since:${page.since}` : "", page.until ? `until:${page.until}` : "", `page:${page.page + 1}`].filter(Boolean).join(" ");
    lines.push("", `Next page: \`/korus ${next}\``);
  }
  return `${lines.join("\n")}\n`;
}
