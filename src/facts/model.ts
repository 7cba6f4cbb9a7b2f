import type { IsoDate } from "./dates.js";

/** The kinds of fact the store holds. */
export const FACT_KINDS = ["event", "deadline", "figure", "position", "quote", "note"] as const;
export type FactKind = (typeof FACT_KINDS)[number];

/** Where a fact comes from: a title, a URL, or both. */
export interface FactSource {
  title?: string;
  url?: string;
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
  source: FactSource;
  confidence: "confirmed" | "inferred";
  topic: string;
  /** A figure's number, unit, period and series (src/figures/); null when the fact carries none. */
  figure?: FactFigure | null;
  /** Set when the date is computed: `days` after the fact `fromId`. */
  after: { days: number; fromId: number } | null;
  retracted: boolean;
}

/**
 * The first day a fact is visible in an as-of view: its `known` date; without one, its own date, except a deadline,
 * which is announced before it falls and so counts as known from the start (null).
 */
export function knownFrom(fact: Pick<Fact, "known" | "kind" | "date">): IsoDate | null {
  if (fact.known) return fact.known;
  return fact.kind === "deadline" ? null : fact.date;
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
