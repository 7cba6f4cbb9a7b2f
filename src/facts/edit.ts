/**
 * Edits that change only what the person changed. A form (Slack's fact modal, the console's `fact edit`) shows some
 * fields of a fact; what it reads back is compared with what it showed, field by field, and only the fields that
 * differ are put over the stored fact's JSON Lines object. Everything the form cannot show (sources beyond its slots,
 * a source's own date, `event`, `disputed`, `confidence`, `topic`, `known` where it has no field, the deadline a fact
 * closes and its outcome, a milestone, a deadline's kind of date where it has no field) is kept as stored.
 */
import type { IsoDate } from "./dates.js";
import type { Fact, FactSource } from "./model.js";

/** The fields of a fact as a form shows and reads them (JSON Lines names; an empty field is absent). */
export interface FactFormValues {
  kind?: string;
  date?: IsoDate;
  known?: IsoDate;
  title?: string;
  summary?: string;
  actor?: string;
  /** The form's source slots in order, an empty slot null: as many as the form has. */
  sources?: Array<FactSource | null>;
  /** A deadline counted from another fact, by that fact's id. */
  after?: { days: number; fromId: number };
  value?: number;
  unit?: string;
  period?: string;
  series?: string;
  /** A deadline's kind of date: "effective"; absent for an obligation (the default). */
  due_kind?: string;
}

const SCALARS = ["kind", "date", "known", "title", "summary", "actor", "value", "unit", "period", "series", "due_kind"] as const;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const sameSource = (a: FactSource | null | undefined, b: FactSource | null | undefined) => (a?.title ?? "") === (b?.title ?? "") && (a?.url ?? "") === (b?.url ?? "");

/** A stored line's sources as a list (export writes one source as `source`, a string or an object). */
function storedSources(stored: Record<string, unknown>): FactSource[] {
  const list = Array.isArray(stored.sources) ? stored.sources : stored.source !== undefined ? [stored.source] : [];
  return list.map((s) => (typeof s === "string" ? (/^https?:\/\//.test(s) ? { url: s } : { title: s }) : (s as FactSource)));
}

/**
 * The stored fact's JSON Lines object with the fields the person changed put over it: a field whose submitted value
 * equals what the form showed is left as stored (even if the form could not show it exactly, or someone changed it
 * since the form opened). A changed source slot takes the form's title and URL, and keeps the stored source's own
 * date while its URL stays the same; sources beyond the form's slots stay. `afterFrom` is the fact a changed `after`
 * counts from (the caller looks it up by `submitted.after.fromId`).
 */
export function mergeFormEdit(stored: Record<string, unknown>, shown: FactFormValues, submitted: FactFormValues, afterFrom?: { date: IsoDate; title: string }): Record<string, unknown> {
  const out: Record<string, unknown> = { ...stored };
  for (const key of SCALARS) {
    if (same(shown[key], submitted[key])) continue;
    if (submitted[key] === undefined) delete out[key];
    else out[key] = submitted[key];
  }
  const slots = Math.max(shown.sources?.length ?? 0, submitted.sources?.length ?? 0);
  if (slots > 0) {
    const current = storedSources(stored);
    const sources: FactSource[] = [];
    for (let i = 0; i < slots; i++) {
      const was = current[i];
      const now = submitted.sources?.[i] ?? null;
      if (sameSource(shown.sources?.[i], now)) {
        if (was) sources.push(was);
      } else if (now) {
        const keepDate = was?.date !== undefined && (was.url ?? "") === (now.url ?? "");
        sources.push({ ...now, ...(keepDate ? { date: was.date } : {}) });
      }
    }
    sources.push(...current.slice(slots));
    delete out.source;
    out.sources = sources;
  }
  if (!same(shown.after, submitted.after)) {
    if (submitted.after && afterFrom) out.after = { days: submitted.after.days, from: afterFrom };
    else delete out.after;
  }
  return out;
}

/** What a form has room for: how many source slots, and which other fields. */
export interface FormReach {
  sources: number;
  fields: ReadonlySet<"kind" | "known" | "figure" | "after" | "due_kind">;
}

/**
 * What a form keeps of a fact without showing it, one phrase each ("and 2 more sources, kept"), for the form to say
 * so: sources beyond its slots, sources' own dates, the event key, other readings, confidence, topic, and the fields
 * it has no room for.
 */
export function keptOutsideForm(fact: Fact, reach: FormReach): string[] {
  const kept: string[] = [];
  const hidden = fact.sources.slice(reach.sources);
  if (hidden.length > 0) {
    const names = hidden.map((s) => s.title ?? s.url ?? "").join("; ");
    kept.push(`and ${hidden.length} more source${hidden.length === 1 ? "" : "s"}, kept: ${names}`);
  }
  const dated = fact.sources.slice(0, reach.sources).filter((s) => s.date);
  if (dated.length > 0)
    kept.push(`the date${dated.length === 1 ? "" : "s"} of ${dated.length === 1 ? "a source" : `${dated.length} sources`} (${dated.map((s) => s.date).join(", ")}), kept while the URL stays the same`);
  if (fact.event) kept.push(`event key ${fact.event}`);
  if (fact.disputed.length > 0) {
    kept.push(
      `${fact.disputed.length} other reading${fact.disputed.length === 1 ? "" : "s"}: ${fact.disputed.map((d) => `“${d.says}” per ${d.source.title ?? d.source.url ?? "a source"}`).join("; ")}`,
    );
  }
  if (fact.confidence !== "confirmed") kept.push(`confidence: ${fact.confidence}`);
  if (fact.topic !== "korus") kept.push(`topic: ${fact.topic}`);
  if (!reach.fields.has("kind")) kept.push(`kind: ${fact.kind}`);
  if (fact.known && !reach.fields.has("known")) kept.push(`known since ${fact.known}`);
  const f = fact.figure;
  if (f && !reach.fields.has("figure")) {
    kept.push(`figure: ${[f.value !== null ? `${f.value}${f.unit ? ` ${f.unit}` : ""}` : null, f.period, f.series].filter(Boolean).join(", ")}`);
  }
  if (fact.after && !reach.fields.has("after")) kept.push(`due ${fact.after.days} days after fact #${fact.after.fromId}`);
  if (fact.kind === "deadline" && fact.dueKind === "effective" && !reach.fields.has("due_kind")) kept.push("an effective date (it happens by itself)");
  // No form shows these: a deadline's outcome is recorded with "Mark met by…" (korus facts close).
  if (fact.closes) kept.push(`closes the deadline ${fact.closes.event} (${fact.closes.outcome})`);
  if (fact.milestone) kept.push(`milestone: ${fact.milestone}`);
  return kept;
}

/** The fields two audit snapshots differ in (the id aside), in the snapshot's order. */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return fields.filter((f) => f !== "id" && JSON.stringify(before[f]) !== JSON.stringify(after[f]));
}
