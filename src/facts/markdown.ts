import type { Fact } from "./model.js";
import type { HistoryEntry, SearchResult } from "./service.js";
import { formatFactQuery, type FactQuery } from "./query.js";

/** The facts as a Markdown list, newest first, for people. */
export function factsToMarkdown(facts: readonly Fact[], heading = "KORUS facts"): string {
  const lines = [`# ${heading}`, ""];
  for (const f of facts) {
    const source = f.source.url ? `[${f.source.title ?? f.source.url}](${f.source.url})` : (f.source.title ?? "no source");
    lines.push(`- **${f.date}** · ${f.kind} · ${f.actor} · #${f.id}${f.retracted ? " · _retracted_" : ""}: **${f.title}**  `);
    if (f.summary) lines.push(`  ${f.summary.replace(/\n/g, "\n  ")}  `);
    lines.push(`  Source: ${source}`);
  }
  return `${lines.join("\n")}\n`;
}

/** A fact's history as Markdown: every change with who, when, what and why. */
export function historyToMarkdown(fact: Fact, entries: HistoryEntry[]): string {
  const lines = [`# History of fact #${fact.id}${fact.retracted ? " (retracted)" : ""}: ${fact.title}`, ""];
  for (const e of entries) {
    lines.push(`- ${e.at.toISOString()} · ${e.action} by ${e.actor}${e.reason ? ` · reason: ${e.reason}` : ""}`);
    for (const c of e.changes) lines.push(`  - ${c.field}: ${JSON.stringify(c.before)} → ${JSON.stringify(c.after)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Search results as Markdown, or the "no facts match" answer with the query echoed. */
export function searchResultToMarkdown(query: FactQuery, result: SearchResult): string {
  const echo = formatFactQuery(query) || "(everything)";
  if (result.total === 0) return `No facts match ${echo}.\n`;
  const shown = `${result.offset + 1}-${result.offset + result.facts.length}`;
  return factsToMarkdown(result.facts, `${result.total} facts match ${echo} (showing ${shown})`);
}
