/** Facts written as JSON Lines: one line per fact (the format import reads), and the export of the whole store. */
import type { PrismaClient } from "../generated/prisma/client.js";
import { fromDbDate, type IsoDate } from "./dates.js";
import type { PeopleDirectory } from "../people/names.js";
import { peopleOf } from "../people/store.js";
import { toFact } from "./rows.js";
import { factsToMarkdown } from "./markdown.js";
import type { FactLine } from "./jsonl.js";
import type { DisputedReading, Fact, FactSource } from "./model.js";
import { figureToLine } from "../figures/fields.js";

/** A source as JSON Lines writes it: a bare URL or title when that is all it has, else the object. */
function sourceToJson(source: FactSource): FactSource | string {
  if (source.date || (source.url && source.title)) return source;
  return source.url ?? source.title ?? "";
}

/** A fact as one JSON Lines line (the export format); `from` is the fact a relative deadline counts from. */
export function factToLine(fact: Fact, from?: { date: IsoDate; title: string }, retraction?: FactLine["retracted"]): string {
  return JSON.stringify(factToLineObject(fact, from, retraction));
}

/**
 * A fact as the object of its JSON Lines line: what import reads, and what an edit starts from (every field, those a
 * form does not show too). Without `from`, a relative deadline is written with its date and no `after`.
 */
export function factToLineObject(fact: Fact, from?: { date: IsoDate; title: string }, retraction?: FactLine["retracted"]): Record<string, unknown> {
  const line: Record<string, unknown> = {
    date: fact.date,
    title: fact.title,
    summary: fact.summary,
    kind: fact.kind,
    actor: fact.actor,
  };
  if (fact.sources.length === 1) line.source = sourceToJson(fact.sources[0]!);
  else line.sources = fact.sources.map((s) => ({ ...s }));
  if (fact.disputed.length > 0) line.disputed = fact.disputed.map((d: DisputedReading) => ({ says: d.says, source: { ...d.source } }));
  if (fact.event) line.event = fact.event;
  if (fact.known) line.known = fact.known;
  Object.assign(line, figureToLine(fact.figure));
  if (fact.after && from) line.after = { days: fact.after.days, from };
  if (fact.kind === "deadline" && fact.dueKind !== "obligation") line.due_kind = fact.dueKind;
  if (fact.closes) Object.assign(line, { closes: fact.closes.event, outcome: fact.closes.outcome });
  if (fact.milestone) line.milestone = fact.milestone;
  if (fact.confidence !== "confirmed") line.confidence = fact.confidence;
  if (fact.topic !== "korus") line.topic = fact.topic;
  if (retraction) line.retracted = retraction;
  return line;
}

/**
 * Exports facts as JSON Lines (the import format), relative deadlines after the facts they count from. A retraction
 * names who made it by name (`retracted.by`), as every export does, never by member id.
 */
export async function exportFactsJsonl(prisma: PrismaClient, options: { includeRetracted?: boolean; people?: PeopleDirectory } = {}): Promise<string> {
  const rows = await prisma.fact.findMany({
    where: options.includeRetracted ? {} : { retractedAt: null },
    orderBy: [{ date: "asc" }, { id: "asc" }],
  });
  const names = await (options.people ?? peopleOf(prisma)).names(rows.map((r) => r.retractedBy));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const written = new Set<number>();
  const out: string[] = [];
  const write = (row: (typeof rows)[number], stack = new Set<number>()) => {
    if (written.has(row.id) || stack.has(row.id)) return;
    stack.add(row.id);
    const from = row.afterFactId !== null ? byId.get(row.afterFactId) : undefined;
    if (from) write(from, stack);
    written.add(row.id);
    const retraction = row.retractedAt ? { at: row.retractedAt.toISOString(), ...(row.retractedBy ? { by: names.label(row.retractedBy) } : {}), reason: row.retractReason ?? "retracted" } : undefined;
    const fact = toFact(row);
    out.push(factToLine(from ? fact : { ...fact, after: null }, from ? { date: fromDbDate(from.date), title: from.title } : undefined, retraction));
  };
  for (const row of rows) write(row);
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}

/** Exports facts as Markdown (newest first), for reading; JSON Lines is the format to import again. */
export async function exportFactsMarkdown(prisma: PrismaClient, options: { includeRetracted?: boolean } = {}): Promise<string> {
  const rows = await prisma.fact.findMany({
    where: options.includeRetracted ? {} : { retractedAt: null },
    orderBy: [{ date: "desc" }, { id: "desc" }],
  });
  return factsToMarkdown(rows.map(toFact));
}
