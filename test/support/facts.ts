import type { Fact } from "../../src/facts/model.js";

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
