import { daysBetween, type IsoDate } from "../facts/dates.js";
import type { Fact, FactSource } from "../facts/model.js";
import { sourceKey } from "../facts/model.js";

/** The agreement the bot follows. */
export const AGREEMENT = {
  name: "U.S.-Korea Free Trade Agreement (KORUS FTA)",
  inForceSince: "2012",
} as const;

/** How many developments the status lists. */
export const MAX_DEVELOPMENTS = 5;
/** Overdue deadlines stay in the status this many days after they fell due. */
export const OVERDUE_WINDOW_DAYS = 30;

/** A fact as the status cites it: with the number of its source in `sources`. */
export interface CitedFact {
  fact: Fact;
  /** 1-based index into StatusReport.sources, or null when the fact names no source. */
  sourceNumber: number | null;
}

/** A deadline with the days left on the as-of date (negative: overdue). */
export interface DeadlineStatus extends CitedFact {
  daysLeft: number;
  /** For a relative deadline, what it counts from: "30 days after <title> (<date>)". */
  basis: { days: number; from: Pick<Fact, "date" | "title"> } | null;
}

/** Everything `/korus status` shows, as plain data; renderers turn it into Markdown or Slack blocks. */
export interface StatusReport {
  asOf: IsoDate;
  /** True when asOf is not today (a historical view). */
  historical: boolean;
  agreement: typeof AGREEMENT;
  /** The latest event: what phase the agreement is in. */
  phase: CitedFact | null;
  nextDeadline: DeadlineStatus | null;
  /** Further upcoming deadlines after the next one (at most 3). */
  laterDeadlines: DeadlineStatus[];
  /** Deadlines that fell due within OVERDUE_WINDOW_DAYS before asOf, most recent first. */
  overdue: DeadlineStatus[];
  /** Events, notes and figures, newest first. */
  developments: CitedFact[];
  /** The latest position of each side that has one: US, Korea, then the others. */
  positions: Array<{ actor: string; positions: CitedFact[] }>;
  sources: Array<FactSource & { number: number }>;
  /** How many facts the report was built from. */
  factCount: number;
}

/**
 * Builds the status as it stood on `asOf` from the facts visible then (all of them, or the subset statusFacts reads).
 * @param today the team's current date, to tell a historical view from today's.
 * @param factCount how many facts were visible, when `facts` is a subset.
 */
export function buildStatus(facts: readonly Fact[], asOf: IsoDate, today: IsoDate, factCount = facts.length): StatusReport {
  // Newest first; on the same day an event outranks a note, a note a figure, so the headline survives the cut.
  const rank = (f: Fact) => ["event", "position", "note", "figure", "quote", "deadline"].indexOf(f.kind);
  const newestFirst = [...facts].sort((a, b) =>
    a.date === b.date ? rank(a) - rank(b) || b.id - a.id : a.date < b.date ? 1 : -1,
  );
  const happened = newestFirst.filter((f) => f.kind !== "deadline" && f.date <= asOf);

  const deadlines = facts
    .filter((f) => f.kind === "deadline")
    .map((fact) => ({ fact, daysLeft: daysBetween(asOf, fact.date) }))
    .sort((a, b) => a.daysLeft - b.daysLeft || a.fact.id - b.fact.id);
  const upcoming = deadlines.filter((d) => d.daysLeft >= 0);
  const overdue = deadlines.filter((d) => d.daysLeft < 0 && d.daysLeft >= -OVERDUE_WINDOW_DAYS).reverse();

  const phase = happened.find((f) => f.kind === "event") ?? null;
  const developments = happened.filter((f) => ["event", "note", "figure"].includes(f.kind)).slice(0, MAX_DEVELOPMENTS);

  const byActor = new Map<string, Fact[]>();
  for (const f of happened.filter((f) => f.kind === "position")) {
    const list = byActor.get(f.actor) ?? [];
    if (list.length < 2) list.push(f);
    byActor.set(f.actor, list);
  }
  const order = (actor: string) => (actor === "US" ? 0 : actor === "Korea" ? 1 : actor === "both" ? 2 : 3);
  const actors = [...byActor.keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b));

  // Sources are numbered in the order the report first cites them.
  const sources: StatusReport["sources"] = [];
  const numbers = new Map<string, number>();
  const cite = (fact: Fact): CitedFact => {
    if (!fact.source.title && !fact.source.url) return { fact, sourceNumber: null };
    const key = sourceKey(fact.source);
    let number = numbers.get(key);
    if (number === undefined) {
      number = sources.length + 1;
      numbers.set(key, number);
      sources.push({ ...fact.source, number });
    }
    return { fact, sourceNumber: number };
  };
  const byId = new Map(facts.map((f) => [f.id, f]));
  const citeDeadline = (d: { fact: Fact; daysLeft: number }): DeadlineStatus => {
    const from = d.fact.after ? byId.get(d.fact.after.fromId) : undefined;
    const basis = d.fact.after && from ? { days: d.fact.after.days, from: { date: from.date, title: from.title } } : null;
    return { ...cite(d.fact), daysLeft: d.daysLeft, basis };
  };

  const report: StatusReport = {
    asOf,
    historical: asOf !== today,
    agreement: AGREEMENT,
    phase: phase ? cite(phase) : null,
    nextDeadline: upcoming[0] ? citeDeadline(upcoming[0]) : null,
    laterDeadlines: upcoming.slice(1, 4).map(citeDeadline),
    overdue: overdue.slice(0, 3).map(citeDeadline),
    developments: developments.map(cite),
    positions: actors.map((actor) => ({ actor, positions: (byActor.get(actor) ?? []).map(cite) })),
    sources,
    factCount,
  };
  return report;
}

/** "United States" for "US", "Korea" for "Korea", "Both sides" for "both"; names stay as they are. */
export function actorLabel(actor: string): string {
  if (actor === "US") return "United States";
  if (actor === "both") return "Both sides";
  return actor;
}
