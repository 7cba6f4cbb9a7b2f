import type { IsoDate } from "./dates.js";

/** The kinds of fact the store holds. */
export const FACT_KINDS = ["event", "deadline", "figure", "position", "quote", "note"] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/**
 * What kind of date a deadline is: an obligation (someone must act by then; open until a later fact closes it, overdue
 * after it) or an effective date (it happens by itself: an entry into force, a quota taking effect; upcoming, then past,
 * never overdue).
 */
export const DUE_KINDS = ["obligation", "effective"] as const;
export type DueKind = (typeof DUE_KINDS)[number];

/**
 * How a later fact closes a deadline: met (on time or late), missed, extended (the closing fact is itself the new
 * deadline, its date the new due date) or withdrawn.
 */
export const OUTCOMES = ["met", "missed", "extended", "withdrawn"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The events that mark where an agreement stands (the status's agreement line, as of a day). */
export const MILESTONES = ["signed", "approved", "in-force", "amended-in-force"] as const;
export type Milestone = (typeof MILESTONES)[number];

/** Where a fact comes from: a title, a URL, or both, and the document's own date when known. */
export interface FactSource {
  title?: string;
  url?: string;
  date?: IsoDate;
}

/** Another reading of a fact ("June 1, 2018" per Global Trade Alert): shown beside it, never resolved silently. */
export interface DisputedReading {
  says: string;
  source: FactSource;
}

/** The data of a figure fact: any of the four may be absent (a figure said in words has none). */
export interface FactFigure {
  value: number | null;
  unit: string | null;
  /** Canonical period text (src/figures/period.ts). */
  period: string | null;
  series: string | null;
}

/** A stored fact, as the domain sees it. */
export interface Fact {
  id: number;
  kind: FactKind;
  /** The day the thing happens; for a deadline, the day it falls due. */
  date: IsoDate;
  /** The day the team could know it, when it differs from the default (see {@link knownFrom}). */
  known: IsoDate | null;
  title: string;
  /** Markdown. */
  summary: string;
  /** "US", "Korea", "both", or a named person or body. */
  actor: string;
  /** Every source, at least one for a stored fact; the first is the one the fact is identified by. */
  sources: FactSource[];
  /** Other readings of the fact, each with its source ("sources differ"). */
  disputed: DisputedReading[];
  /** A key shared by facts that report one event from different sources, or null. */
  event: string | null;
  /** The first day an as-of view shows the fact (see {@link knownFrom}). */
  visibleFrom: IsoDate;
  confidence: "confirmed" | "inferred";
  topic: string;
  /** A figure's number, unit, period and series (src/figures/); null when the fact carries none. */
  figure?: FactFigure | null;
  // The three below are always set by the store (toFact); absent in a literal they are the defaults.
  /** For a deadline: an obligation (the default) or an effective date. */
  dueKind?: DueKind;
  /** Set when this fact closes a deadline: the deadline's event key, and how it closes it. */
  closes?: { event: string; outcome: Outcome } | null;
  /** For an event that marks where the agreement stands (signed, approved, in force...). */
  milestone?: Milestone | null;
  /** Set when the date is computed: `days` after the fact `fromId`. */
  after: { days: number; fromId: number } | null;
  retracted: boolean;
}

/**
 * The first day a fact is visible in an as-of view, so that a historical view never shows hindsight: its `known` date;
 * without one, its own date, except a deadline (announced before it falls): it is known from the fact it counts from
 * (`base`), else from the day it was stored.
 */
export function knownFrom(fact: Pick<Fact, "known" | "kind" | "date">, context: { base?: IsoDate | null; stored: IsoDate }): IsoDate {
  if (fact.known) return fact.known;
  if (fact.kind !== "deadline") return fact.date;
  return context.base ?? context.stored;
}

/** Canonical actor names: "U.S." and "United States" are "US"; "South Korea" and "ROK" are "Korea". */
export function normalizeActor(actor: string): string {
  const a = actor.trim();
  const key = a.toLowerCase().replace(/[.\s-]/g, "");
  if (["us", "usa", "unitedstates", "ustr"].includes(key)) return "US";
  if (["korea", "southkorea", "rok", "republicofkorea", "kr"].includes(key)) return "Korea";
  if (key === "both") return "both";
  return a;
}

/** The key by which two sources are the same: title and URL, case and spacing ignored in the title. */
export function sourceKey(source: FactSource): string {
  const title = (source.title ?? "").trim().replace(/\s+/g, " ").toLowerCase();
  return `${title}|${(source.url ?? "").trim()}`;
}
