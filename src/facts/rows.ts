/** The fact table's rows and the domain's Fact: one mapping each way, and whether a row would change. */
import type { Prisma } from "../generated/prisma/client.js";
import { fromDbDate, type IsoDate, toDbDate } from "./dates.js";
import type { FactLine } from "./jsonl.js";
import { type DisputedReading, type Fact, type FactKind, type FactSource, knownFrom, type Milestone, type Outcome, sourceKey } from "./model.js";

/** A fact as its database row. */
export type FactRow = Prisma.FactGetPayload<object>;

/** Turns a database row into the domain's Fact. */
export function toFact(row: FactRow): Fact {
  return {
    id: row.id,
    kind: row.kind as FactKind,
    date: fromDbDate(row.date),
    known: row.known ? fromDbDate(row.known) : null,
    title: row.title,
    summary: row.summary,
    actor: row.actor,
    sources: sourcesOf(row),
    disputed: Array.isArray(row.disputed) ? (row.disputed as unknown as DisputedReading[]).map((d) => ({ says: d.says, source: orderedSource(d.source) })) : [],
    event: row.event,
    visibleFrom: fromDbDate(row.visibleFrom),
    confidence: row.confidence === "inferred" ? "inferred" : "confirmed",
    topic: row.topic,
    figure: row.value !== null || row.unit !== null || row.period !== null || row.series !== null ? { value: row.value, unit: row.unit, period: row.period, series: row.series } : null,
    dueKind: row.dueKind === "effective" ? "effective" : "obligation",
    closes: row.closes !== null && row.outcome !== null ? { event: row.closes, outcome: row.outcome as Outcome } : null,
    milestone: (row.milestone as Milestone | null) ?? null,
    after: row.afterDays !== null && row.afterFactId !== null ? { days: row.afterDays, fromId: row.afterFactId } : null,
    retracted: row.retractedAt !== null,
  };
}

/** A source with its keys in the order people write them (jsonb stores them shortest first). */
function orderedSource(source: FactSource): FactSource {
  return {
    ...(source.title ? { title: source.title } : {}),
    ...(source.url ? { url: source.url } : {}),
    ...(source.date ? { date: source.date } : {}),
  };
}

/** A row's sources: the list, or (for a row written before there were lists) its one source. */
function sourcesOf(row: FactRow): FactSource[] {
  if (Array.isArray(row.sources) && row.sources.length > 0) return (row.sources as unknown as FactSource[]).map(orderedSource);
  const one: FactSource = {
    ...(row.sourceTitle ? { title: row.sourceTitle } : {}),
    ...(row.sourceUrl ? { url: row.sourceUrl } : {}),
  };
  return one.title || one.url ? [one] : [];
}

/** The columns of a fact row that a line sets. */
export type FactData = Omit<Prisma.FactUncheckedCreateInput, "createdBy">;

/**
 * A validated line as the columns of a fact row, its date resolved. `base` is the visibleFrom of the fact a relative
 * deadline counts from; `stored` the day the fact was (or is being) stored (see {@link knownFrom}).
 */
export function lineToData(line: FactLine, date: IsoDate, afterFactId: number | null, context: { base?: IsoDate | null; stored: IsoDate }): FactData {
  const first = line.sources[0] ?? {};
  return {
    kind: line.kind,
    date: toDbDate(date),
    known: line.known ? toDbDate(line.known) : null,
    visibleFrom: toDbDate(knownFrom({ known: line.known ?? null, kind: line.kind, date }, context)),
    title: line.title,
    summary: line.summary,
    actor: line.actor,
    sourceTitle: first.title ?? null,
    sourceUrl: first.url ?? null,
    sourceKey: sourceKey(first),
    sources: line.sources as unknown as Prisma.InputJsonValue,
    disputed: line.disputed as unknown as Prisma.InputJsonValue,
    event: line.event ?? null,
    confidence: line.confidence,
    topic: line.topic,
    value: line.value ?? null,
    unit: line.unit ?? null,
    period: line.period ?? null,
    series: line.series ?? null,
    dueKind: line.due_kind ?? "obligation",
    closes: line.closes ?? null,
    outcome: line.outcome ?? null,
    milestone: line.milestone ?? null,
    afterDays: line.after?.days ?? null,
    afterFactId,
  };
}

/** True when storing `data` would change `row` (dates by day, sources and readings by content). */
export function factRowDiffers(row: FactRow, data: FactData): boolean {
  return Object.entries(data).some(([key, value]) => {
    const current = (row as Record<string, unknown>)[key];
    if (current instanceof Date && value instanceof Date) return current.getTime() !== value.getTime();
    if (key === "sources" || key === "disputed") return canonicalJson(current) !== canonicalJson(value);
    return current !== value;
  });
}

/** JSON with every object's keys sorted: jsonb does not keep the order they were written in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));
}

/** The row an added line becomes, for its audit picture. */
export function newRow(id: number, d: FactData, who: { actor: string; at: Date }): FactRow {
  return {
    id,
    kind: d.kind,
    date: d.date as Date,
    known: (d.known as Date | null) ?? null,
    visibleFrom: d.visibleFrom as Date,
    title: d.title,
    summary: d.summary ?? "",
    actor: d.actor,
    sourceTitle: d.sourceTitle ?? null,
    sourceUrl: d.sourceUrl ?? null,
    sourceKey: d.sourceKey,
    sources: (d.sources ?? []) as Prisma.JsonValue,
    disputed: (d.disputed ?? []) as Prisma.JsonValue,
    event: d.event ?? null,
    confidence: d.confidence ?? "confirmed",
    topic: d.topic ?? "korus",
    afterDays: d.afterDays ?? null,
    afterFactId: d.afterFactId ?? null,
    value: d.value ?? null,
    unit: d.unit ?? null,
    period: d.period ?? null,
    series: d.series ?? null,
    dueKind: d.dueKind ?? "obligation",
    closes: d.closes ?? null,
    outcome: d.outcome ?? null,
    milestone: d.milestone ?? null,
    createdBy: who.actor,
    createdAt: who.at,
    updatedAt: who.at,
    retractedAt: (d.retractedAt as Date | null) ?? null,
    retractedBy: d.retractedBy ?? null,
    retractReason: d.retractReason ?? null,
  };
}
