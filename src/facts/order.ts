/**
 * The one order of facts, for every list the team reads (status, memos, briefs): by date, and on one day by kind, so
 * that a list cut by its limit keeps the day's headline.
 */
import type { Fact, FactKind } from "./model.js";

// On one day an event outranks a position, a position a note, and so on.
const KIND_RANK: Record<FactKind, number> = { event: 0, position: 1, note: 2, figure: 3, quote: 4, deadline: 5 };

/** Newest first; on the same day by kind (events first), then the latest added first. */
export function newestFirst(a: Fact, b: Fact): number {
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  return KIND_RANK[a.kind] - KIND_RANK[b.kind] || b.id - a.id;
}

/** Oldest first; on the same day by kind (events first), then in the order added. */
export function oldestFirst(a: Fact, b: Fact): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.id - b.id;
}
