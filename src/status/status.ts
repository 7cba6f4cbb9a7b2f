import { Citations, citeNotes, type FactNotes, type NumberedSource } from "../facts/citations.js";
import type { IsoDate } from "../facts/dates.js";
import { FactIndex, type OlderOverdue, OVERDUE_WINDOW_DAYS } from "../facts/fact-index.js";
import type { DeadlineBasis } from "../facts/labels.js";
import type { Fact } from "../facts/model.js";
import type { DeadlineState } from "../facts/outcomes.js";
import { agreementStanding } from "../topics/standing.js";

/** The agreement a status is about, as it stood on the as-of day (src/topics/settings.ts). */
export interface Agreement {
  topic: string;
  /** The topic's name; the topic itself when none is set. */
  name: string;
  /**
   * Where it stood that day, from its milestone facts known by then ("signed 2007-06-30; not yet in force", "in force
   * since 2012-03-15"), else from the topic's settings; null when the data does not say.
   */
  standing: string | null;
  /** The milestone facts the standing rests on, cited beside it. */
  basis: Fact[];
}

/** How many developments the status lists. */
export const MAX_DEVELOPMENTS = 5;

/** A fact as the status cites it: with the numbers of its sources in `sources`, its other readings and reports. */
export interface CitedFact {
  fact: Fact;
  /** 1-based indexes into StatusReport.sources; empty when the fact names no source. */
  sourceNumbers: number[];
  /** Other readings ("sources differ") and the other reports of the same event, each with its source numbers. */
  notes: FactNotes;
}

/** A deadline with the days left on the as-of date (negative: overdue) and where it stands then. */
export interface DeadlineStatus extends CitedFact {
  daysLeft: number;
  /** For a relative deadline, what it counts from: "30 days after <title> (<date>)". */
  basis: DeadlineBasis | null;
  /** Open (upcoming, due that day, overdue), past (an effective date) or closed (with its outcome). */
  state: DeadlineState;
  /** The fact that closed it, cited; null while it is open. */
  closedBy: CitedFact | null;
}

/** Everything `/korus status` shows, as plain data; renderers turn it into Markdown or Slack blocks. */
export interface StatusReport {
  asOf: IsoDate;
  /** True when asOf is not today (a historical view). */
  historical: boolean;
  /** The agreement and where it stood, with the numbers of its milestone facts' sources. */
  agreement: Agreement & { sourceNumbers: number[] };
  /** The latest event: what phase the agreement is in. */
  phase: CitedFact | null;
  nextDeadline: DeadlineStatus | null;
  /** Further upcoming deadlines after the next one (at most 3). */
  laterDeadlines: DeadlineStatus[];
  /** Deadlines that fell due within OVERDUE_WINDOW_DAYS before asOf, most recent first. */
  overdue: DeadlineStatus[];
  /**
   * Deadlines whose outcome became known within OVERDUE_WINDOW_DAYS before asOf (met, missed, extended, withdrawn), the
   * latest first, then the effective dates that passed in that window.
   */
  outcomes: DeadlineStatus[];
  /** Overdue deadlines older than the window, in one line (none is dropped silently); null when there are none. */
  olderOverdue: (OlderOverdue & { latestDaysLeft: number }) | null;
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
 * @param olderOverdueCount how many deadlines fell due before the overdue window, when `facts` is a subset.
 */
export function buildStatus(
  facts: readonly Fact[],
  asOf: IsoDate,
  today: IsoDate,
  factCount = facts.length,
  agreement: Agreement = { topic: "korus", name: "korus", standing: null, basis: [] },
  olderOverdueCount?: number,
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

  // Sources are numbered in the order the report first cites them: agreement, phase, deadlines, developments, positions.
  const citations = new Citations();
  const cite = (fact: Fact): CitedFact => ({ fact, sourceNumbers: citations.cite(fact), notes: citeNotes(citations, fact, index.sameEvent(fact)) });
  // Where the agreement stood that day: from its milestone facts known by then, else from the topic's settings.
  const marked = agreementStanding(
    index.select("event", { limit: 0 }).filter((f) => f.milestone),
    asOf,
  );
  const standing = marked ? { ...agreement, ...marked } : agreement;
  const agreementSources = [...new Set(standing.basis.flatMap((f) => citations.cite(f)))];
  const citeDeadline = (fact: Fact): DeadlineStatus => {
    const cited = cite(fact);
    const state = index.stateOf(fact);
    return { ...cited, daysLeft: state.daysLeft, basis: index.basisOf(fact), state, closedBy: state.outcome ? cite(state.outcome.by) : null };
  };

  // With a subset of the facts, the store counted the older overdue deadlines and read the latest and oldest.
  const found = index.olderOverdue(OVERDUE_WINDOW_DAYS);
  const olderOverdue = found && olderOverdueCount !== undefined ? { ...found, count: olderOverdueCount } : found;
  return {
    asOf,
    historical: asOf !== today,
    agreement: { ...standing, sourceNumbers: agreementSources },
    phase: phase ? cite(phase) : null,
    nextDeadline: index.upcoming[0] ? citeDeadline(index.upcoming[0]) : null,
    laterDeadlines: index.upcoming.slice(1, 4).map(citeDeadline),
    overdue: index.selectDeadlines("overdue", OVERDUE_WINDOW_DAYS, { limit: 3 }).map(citeDeadline),
    outcomes: [...index.recentlyClosed(OVERDUE_WINDOW_DAYS, { limit: 3 }), ...index.recentlyPassed(OVERDUE_WINDOW_DAYS, { limit: 3 })].map(citeDeadline),
    olderOverdue: olderOverdue ? { ...olderOverdue, latestDaysLeft: index.daysLeft(olderOverdue.latest) } : null,
    developments: developments.map(cite),
    positions: actors.map((actor) => ({ actor, positions: (byActor.get(actor) ?? []).map(cite) })),
    sources: citations.sources,
    factCount,
  };
}
