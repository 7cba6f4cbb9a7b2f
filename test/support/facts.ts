import type { Fact } from "../../src/facts/model.js";

let nextId = 1;

/** A fact for unit tests: the given fields on sensible defaults, with a fresh id. */
export function fact(partial: Partial<Fact> & Pick<Fact, "kind" | "date" | "title">): Fact {
  return {
    id: nextId++,
    known: null,
    summary: "",
    actor: "US",
    source: { title: "Source A" },
    confidence: "confirmed",
    topic: "korus",
    after: null,
    retracted: false,
    ...partial,
  };
}
