/**
 * The facts as they stood on one as-of date, indexed once in memory: the status, memo and brief lists are each one
 * scan of a list sorted here, stopping at its limit.
 */
import { daysBetween, isIsoDate, type IsoDate } from "./dates.js";
import type { DeadlineBasis } from "./labels.js";
import { FACT_KINDS, type Fact, type FactKind } from "./model.js";
import { newestFirst } from "./order.js";
import { closersByEvent, type DeadlineOutcome, type DeadlineState, deadlineState, dueKindOf, outcomeOf } from "./outcomes.js";

/** Overdue deadlines stay in view this many days after they fell due (the status, and a template's `(overdue)`). */
export const OVERDUE_WINDOW_DAYS = 30;

/** The kinds of fact that are developments: what happened, as opposed to positions, quotes and deadlines. */
export const DEVELOPMENT_KINDS: readonly FactKind[] = ["event", "note", "figure"];

/** What a list asks the index for; `limit` 0 means no limit. */
export interface FactFilter {
  /** Only facts dated on or after this day. */
  since?: IsoDate;
  /** Only facts dated on or before this day. */
  until?: IsoDate;
  /** Only this actor (canonical: "US", "Korea", "both" or a name). */
  actor?: string;
  /** Only facts whose title or summary contains this text (case-insensitive). */
  matching?: string;
  limit: number;
}

/** Lists one index remembers (see FactIndex.select). */
const MAX_REMEMBERED_LISTS = 256;

function filterKey(filter: FactFilter): string {
  return JSON.stringify([filter.since, filter.until, filter.actor, filter.limit, filter.matching]);
}

/** True when the team could see the fact on `asOf`: not retracted, and known by then (see `knownFrom`). */
export function isVisibleOn(fact: Fact, asOf: IsoDate): boolean {
  return !fact.retracted && fact.visibleFrom <= asOf;
}

/** Overdue deadlines older than the window a list shows: how many, and the oldest and latest of them. */
export interface OlderOverdue {
  count: number;
  latest: Fact;
  oldest: Fact;
}

/**
 * The facts visible on `asOf` (known by then, not retracted), sorted once so that every list is one scan that stops at
 * its limit. Facts passed in that are not visible then are still found by {@link FactIndex.basisOf}: a deadline that
 * counts from a fact says so even when that fact is no longer listed.
 */
export class FactIndex {
  private readonly visibleById = new Map<number, Fact>();
  private readonly anyById = new Map<number, Fact>();
  /** Facts by kind, newest first. */
  private readonly byKind = new Map<FactKind, Fact[]>();
  private readonly allNewestFirst: Fact[];
  private readonly developmentsNewestFirst: Fact[];
  /** Open deadlines (no outcome known on asOf) on or after asOf, soonest first. */
  readonly upcoming: readonly Fact[];
  /** Open obligations before asOf, latest first: overdue. */
  readonly overdue: readonly Fact[];
  /** Effective dates before asOf, latest first: past, never overdue. */
  readonly passed: readonly Fact[];
  /** Deadlines with an outcome known on asOf, the latest known outcome first. */
  readonly closed: readonly Fact[];
  /** The outcome of each closed deadline, by id. */
  private readonly outcomes = new Map<number, DeadlineOutcome>();
  private readonly patterns = new Map<string, RegExp>();
  /**
   * Lists already cut, by what was asked: an index is shared by every memo and brief of its day (src/facts/as-of-cache.ts),
   * so the second render of a template asks the same questions and gets the same lists without a scan.
   */
  private readonly lists = new Map<string, readonly Fact[]>();
  /** Visible facts by event key, oldest first. */
  private readonly byEvent = new Map<string, Fact[]>();

  /**
   * @param options.olderOverdueCount when `facts` is a subset (the store read only the latest overdue deadlines): how
   * many fell due before the overdue window in all.
   */
  constructor(
    facts: readonly Fact[],
    readonly asOf: IsoDate,
    private readonly options: { olderOverdueCount?: number } = {},
  ) {
    if (!isIsoDate(asOf)) throw new RangeError(`not a date (YYYY-MM-DD): ${asOf}`);
    const visible: Fact[] = [];
    for (const f of facts) {
      this.anyById.set(f.id, f);
      if (isVisibleOn(f, asOf)) {
        visible.push(f);
        this.visibleById.set(f.id, f);
      }
    }
    // Facts usually arrive oldest first (as the store reads them): reversed, they are nearly in order, which the sort
    // finishes in close to one pass.
    this.allNewestFirst = visible.reverse().sort(newestFirst);
    for (const kind of FACT_KINDS) this.byKind.set(kind, []);
    for (const f of this.allNewestFirst) this.byKind.get(f.kind)?.push(f);
    this.developmentsNewestFirst = this.allNewestFirst.filter((f) => DEVELOPMENT_KINDS.includes(f.kind));
    const deadlines = this.byKind.get("deadline") ?? [];
    // Outcomes from the closing facts visible on asOf (each counts from the day it became known).
    const closers = closersByEvent(this.allNewestFirst);
    const open: Fact[] = [];
    for (const f of deadlines) {
      const outcome = closers.size > 0 ? outcomeOf(f, closers) : null;
      if (outcome) this.outcomes.set(f.id, outcome);
      else open.push(f);
    }
    this.upcoming = open.filter((f) => f.date >= asOf).reverse();
    this.overdue = open.filter((f) => f.date < asOf && dueKindOf(f) === "obligation");
    this.passed = open.filter((f) => f.date < asOf && dueKindOf(f) === "effective");
    this.closed = deadlines
      .filter((f) => this.outcomes.has(f.id))
      .sort((a, b) => {
        const [x, y] = [this.outcomes.get(a.id)!.by, this.outcomes.get(b.id)!.by];
        return x.visibleFrom < y.visibleFrom ? 1 : x.visibleFrom > y.visibleFrom ? -1 : newestFirst(a, b);
      });
    for (let i = this.allNewestFirst.length - 1; i >= 0; i--) {
      const f = this.allNewestFirst[i]!;
      if (f.event === null) continue;
      const list = this.byEvent.get(f.event) ?? [];
      list.push(f);
      this.byEvent.set(f.event, list);
    }
  }

  /** The other visible facts that report the same event (same `event` key), oldest first. */
  sameEvent(fact: Fact): Fact[] {
    return fact.event === null ? [] : (this.byEvent.get(fact.event) ?? []).filter((f) => f.id !== fact.id);
  }

  /** Overdue deadlines that fell due more than `within` days before asOf, summarised rather than dropped; null if none. */
  olderOverdue(within: number): OlderOverdue | null {
    const older = this.overdue.filter((f) => daysBetween(f.date, this.asOf) > within);
    if (older.length === 0) return null;
    const count = within === OVERDUE_WINDOW_DAYS && this.options.olderOverdueCount !== undefined ? Math.max(this.options.olderOverdueCount, older.length) : older.length;
    return { count, latest: older[0]!, oldest: older[older.length - 1]! };
  }

  /** How many facts are visible. */
  get size(): number {
    return this.visibleById.size;
  }

  /** The visible fact with this id, if any. */
  get(id: number): Fact | undefined {
    return this.visibleById.get(id);
  }

  /** Facts of one kind, developments, or every kind ("any"), newest first, filtered. The list is shared: do not change it. */
  select(kind: FactKind | "any" | "development", filter: FactFilter): readonly Fact[] {
    return this.remembered(`${kind}|${filterKey(filter)}`, () => this.scan(kind, filter));
  }

  private scan(kind: FactKind | "any" | "development", filter: FactFilter): Fact[] {
    const list = kind === "any" ? this.allNewestFirst : kind === "development" ? this.developmentsNewestFirst : (this.byKind.get(kind) ?? []);
    const out: Fact[] = [];
    for (const f of list) {
      if (filter.until !== undefined && f.date > filter.until) continue;
      if (filter.since !== undefined && f.date < filter.since) break;
      if (!this.matches(f, filter)) continue;
      out.push(f);
      if (filter.limit > 0 && out.length >= filter.limit) break;
    }
    return out;
  }

  /** Upcoming deadlines (soonest first) or overdue ones (latest first) within `within` days of asOf, filtered. Shared. */
  selectDeadlines(which: "upcoming" | "overdue", within: number | undefined, filter: FactFilter): readonly Fact[] {
    return this.remembered(`${which}|${within ?? ""}|${filterKey(filter)}`, () => this.scanDeadlines(which, within, filter));
  }

  private scanDeadlines(which: "upcoming" | "overdue", within: number | undefined, filter: FactFilter): Fact[] {
    const out: Fact[] = [];
    for (const f of which === "upcoming" ? this.upcoming : this.overdue) {
      if (within !== undefined && Math.abs(daysBetween(this.asOf, f.date)) > within) break;
      if (!this.matches(f, filter)) continue;
      out.push(f);
      if (filter.limit > 0 && out.length >= filter.limit) break;
    }
    return out;
  }

  /** The outcome of a deadline known on asOf (met, missed, extended, withdrawn), or null while it is open. */
  outcomeOf(fact: Fact): DeadlineOutcome | null {
    return this.outcomes.get(fact.id) ?? null;
  }

  /** Where a deadline stands on asOf: upcoming, due that day, overdue, past (an effective date), or closed. */
  stateOf(fact: Fact): DeadlineState {
    return deadlineState(fact, this.asOf, this.outcomeOf(fact));
  }

  /** Deadlines whose outcome became known in the `within` days up to asOf (asOf and the days before it), latest first. */
  recentlyClosed(within: number, filter: FactFilter = { limit: 0 }): Fact[] {
    return this.take(this.closed, filter, (f) => daysBetween(this.outcomes.get(f.id)!.by.visibleFrom, this.asOf) < within);
  }

  /** Effective dates that passed within `within` days before asOf, latest first. */
  recentlyPassed(within: number, filter: FactFilter = { limit: 0 }): Fact[] {
    return this.take(this.passed, filter, (f) => daysBetween(f.date, this.asOf) <= within);
  }

  private take(list: readonly Fact[], filter: FactFilter, keep: (f: Fact) => boolean): Fact[] {
    const out: Fact[] = [];
    for (const f of list) {
      if (!keep(f) || !this.matches(f, filter)) continue;
      out.push(f);
      if (filter.limit > 0 && out.length >= filter.limit) break;
    }
    return out;
  }

  /** Days from asOf to the fact's date: for a deadline, the days left (negative when overdue). */
  daysLeft(fact: Fact): number {
    return daysBetween(this.asOf, fact.date);
  }

  /** What a relative deadline counts from, or null for one with a date of its own (or whose base is unknown here). */
  basisOf(fact: Fact): DeadlineBasis | null {
    const from = fact.after ? this.anyById.get(fact.after.fromId) : undefined;
    return fact.after && from ? { days: fact.after.days, from: { date: from.date, title: from.title } } : null;
  }

  private remembered(key: string, scan: () => Fact[]): readonly Fact[] {
    let list = this.lists.get(key);
    if (list === undefined) {
      list = scan();
      // A template asks a handful of questions; a bound in case something asks a new one every time.
      if (this.lists.size >= MAX_REMEMBERED_LISTS) this.lists.clear();
      this.lists.set(key, list);
    }
    return list;
  }

  private matches(fact: Fact, filter: FactFilter): boolean {
    if (filter.actor !== undefined && fact.actor !== filter.actor) return false;
    if (filter.matching !== undefined) {
      // A case-insensitive pattern per phrase: no lower-cased copy of every fact's text is built.
      let pattern = this.patterns.get(filter.matching);
      if (pattern === undefined) {
        pattern = new RegExp(filter.matching.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
        this.patterns.set(filter.matching, pattern);
      }
      if (!pattern.test(fact.title) && !pattern.test(fact.summary)) return false;
    }
    return true;
  }
}
