import { Citations, type NumberedSource } from "../facts/citations.js";
import type { IsoDate } from "../facts/dates.js";
import { FactIndex, OVERDUE_WINDOW_DAYS } from "../facts/fact-index.js";
import type { DeadlineBasis } from "../facts/labels.js";
import type { Fact } from "../facts/model.js";

/** The agreement a status is about, from its topic's settings (src/topics/settings.ts). */
export interface Agreement {
  topic: string;
  /** The topic's name; the topic itself when none is set. */
  name: string;
  /** When it entered into force (a marked fact's date, or the settings' text); null when the data does not say. */
  inForceSince: string | null;
}

/** How many developments the status lists. */
export const MAX_DEVELOPMENTS = 5;

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
  basis: DeadlineBasis | null;
}

/** Everything `/korus status` shows, as plain data; renderers turn it into Markdown or Slack blocks. */
export interface StatusReport {
  asOf: IsoDate;
  /** True when asOf is not today (a historical view). */
  historical: boolean;
  agreement: Agreement;
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
  sources: NumberedSource[];
  /** How many facts the report was built from. */
  factCount: number;
}

/**
 * Builds the status as it stood on `asOf` from the facts visible then (all of them, or the subset statusFacts reads,
 * with the facts its relative deadlines count from).
 * @param today the team's current date, to tell a historical view from today's.
 * @param factCount how many facts were visible, when `facts` is a subset.
 */
export function buildStatus(
  facts: readonly Fact[],
  asOf: IsoDate,
  today: IsoDate,
  factCount = facts.length,
  agreement: Agreement = { topic: "korus", name: "korus", inForceSince: null },
): StatusReport {
  const index = new FactIndex(facts, asOf);
  const happened = { until: asOf, limit: 0 };
  const phase = index.select("event", { ...happened, limit: 1 })[0] ?? null;
  const developments = index.select("development", { ...happened, limit: MAX_DEVELOPMENTS });

  const byActor = new Map<string, Fact[]>();
  for (const f of index.select("position", happened)) {
    const list = byActor.get(f.actor) ?? [];
    if (list.length < 2) list.push(f);
    byActor.set(f.actor, list);
  }
  const order = (actor: string) => (actor === "US" ? 0 : actor === "Korea" ? 1 : actor === "both" ? 2 : 3);
  const actors = [...byActor.keys()].sort((a, b) => order(a) - order(b) || a.localeCompare(b));

  // Sources are numbered in the order the report first cites them: phase, deadlines, developments, positions.
  const citations = new Citations();
  const cite = (fact: Fact): CitedFact => ({ fact, sourceNumber: citations.cite(fact) });
  const citeDeadline = (fact: Fact): DeadlineStatus => ({ ...cite(fact), daysLeft: index.daysLeft(fact), basis: index.basisOf(fact) });

  return {
    asOf,
    historical: asOf !== today,
    agreement,
    phase: phase ? cite(phase) : null,
    nextDeadline: index.upcoming[0] ? citeDeadline(index.upcoming[0]) : null,
    laterDeadlines: index.upcoming.slice(1, 4).map(citeDeadline),
    overdue: index.selectDeadlines("overdue", OVERDUE_WINDOW_DAYS, { limit: 3 }).map(citeDeadline),
    developments: developments.map(cite),
    positions: actors.map((actor) => ({ actor, positions: (byActor.get(actor) ?? []).map(cite) })),
    sources: citations.sources,
    factCount,
  };
}
