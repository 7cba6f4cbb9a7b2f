import { escapeMarkdown, markdownLink } from "../render/escape.js";
import { ALSO_REPORTED, sameEventLabel, SOURCES_DIFFER, sourceName } from "./labels.js";
import type { Fact, FactSource } from "./model.js";
import { type DeadlineOutcome, outcomeLabel } from "./outcomes.js";
import type { HistoryEntry } from "./audit.js";
import type { SearchResult } from "./search.js";
import { formatFactQuery, type FactQuery } from "./query.js";
import { counted } from "../render/count.js";

function sourceMarkdown(source: FactSource): string {
  const named = source.url ? markdownLink(source.url, sourceName(source)) : escapeMarkdown(sourceName(source));
  return source.date ? `${named} (${source.date})` : named;
}

/**
 * The facts as a Markdown list, newest first, for people: each with every source, its other readings ("sources
 * differ") and the other reports of its event (`sameEvent`, by fact id).
 */
export function factsToMarkdown(facts: readonly Fact[], heading = "KORUS facts", sameEvent: Record<number, Fact[]> = {}, outcomes: Record<number, DeadlineOutcome> = {}): string {
  const lines = [`# ${heading}`, ""];
  for (const f of facts) {
    const marks = [
      ...(f.confidence === "inferred" ? ["_inferred_"] : []),
      ...(f.retracted ? ["_retracted_"] : []),
      ...(f.kind === "deadline" && f.dueKind === "effective" ? ["effective date"] : []),
      ...(outcomes[f.id] ? [`**${outcomeLabel(outcomes[f.id]!)}** (fact #${outcomes[f.id]!.by.id})`] : []),
      ...(f.closes ? [`closes \`${escapeMarkdown(f.closes.event)}\` (${f.closes.outcome})`] : []),
      ...(f.milestone ? [`milestone: ${f.milestone}`] : []),
    ];
    lines.push(`- **${f.date}** · ${f.kind} · ${escapeMarkdown(f.actor)} · #${f.id}${marks.map((m) => ` · ${m}`).join("")}: **${escapeMarkdown(f.title)}**  `);
    if (f.summary) lines.push(`  ${f.summary.replace(/\n/g, "\n  ")}  `);
    lines.push(
      `  Source${f.sources.length === 1 ? "" : "s"}: ${f.sources.length === 0 ? "no source" : f.sources.map(sourceMarkdown).join(" · ")}${f.disputed.length > 0 || sameEvent[f.id]?.length ? "  " : ""}`,
    );
    if (f.disputed.length > 0) {
      lines.push(`  **${SOURCES_DIFFER}:** ${f.disputed.map((d) => `“${escapeMarkdown(d.says)}” per ${sourceMarkdown(d.source)}`).join("; ")}${sameEvent[f.id]?.length ? "  " : ""}`);
    }
    const others = sameEvent[f.id] ?? [];
    if (others.length > 0) {
      lines.push(`  ${ALSO_REPORTED}: ${others.map((o) => `${escapeMarkdown(sameEventLabel(o))} (#${o.id}, ${o.sources.map(sourceMarkdown).join(" · ")})`).join("; ")}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** A fact's history as Markdown: every change with who, when, what and why. */
export function historyToMarkdown(fact: Fact, entries: HistoryEntry[]): string {
  // Titles, reasons and the values before and after are text people typed: escaped like every other (src/render/escape.ts).
  const lines = [`# History of fact #${fact.id}${fact.retracted ? " (retracted)" : ""}: ${escapeMarkdown(fact.title)}`, ""];
  for (const e of entries) {
    lines.push(`- ${e.at.toISOString()} · ${e.action} by ${escapeMarkdown(e.actorName)}${e.reason ? ` · reason: ${escapeMarkdown(e.reason)}` : ""}`);
    for (const c of e.changes) lines.push(`  - ${c.field}: ${escapeMarkdown(JSON.stringify(c.before))} → ${escapeMarkdown(JSON.stringify(c.after))}`);
  }
  return `${lines.join("\n")}\n`;
}

/** Search results as Markdown, or the "no facts match" answer with the query echoed. */
export function searchResultToMarkdown(query: FactQuery, result: SearchResult): string {
  const echo = formatFactQuery(query) || "(everything)";
  if (result.total === 0) return `No facts match ${echo}.\n`;
  const shown = `${result.offset + 1}-${result.offset + result.facts.length}`;
  return factsToMarkdown(result.facts, `${counted(result.total, "fact")} match ${echo} (showing ${shown})`, result.sameEvent, result.outcomes ?? {});
}
