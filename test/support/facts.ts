import type { Fact, FactSource } from "../../src/facts/model.js";

let nextId = 1;

/** A fact for unit tests: the given fields on sensible defaults, with a fresh id. */
export function fact(partial: Partial<Fact> & Pick<Fact, "kind" | "date" | "title">): Fact {
  return {
    id: nextId++,
    known: null,
    summary: "",
    actor: "US",
    sources: [{ title: "Source A" }],
    disputed: [],
    event: null,
    confidence: "confirmed",
    topic: "korus",
    after: null,
    retracted: false,
    ...partial,
    // As the store computes it; a deadline without `known` as if stored long before (see knownFrom).
    visibleFrom: partial.visibleFrom ?? partial.known ?? (partial.kind === "deadline" ? "2000-01-01" : partial.date),
  };
}

/**
 * A fact of a made-up record (the ask tests: their mechanisms must hold on any store, not only the example timeline):
 * known and shown from its own date, a deadline an obligation, cited to `source`, with `extra` on top.
 */
export function recordFact(kind: Fact["kind"], date: string, actor: string, title: string, source: FactSource, extra: Partial<Fact> = {}): Fact {
  return fact({ kind, date, actor, title, known: date, sources: [source], figure: null, dueKind: "obligation", closes: null, milestone: null, ...extra });
}
