/**
 * Deadlines and their outcomes, the one rule every output follows (status, briefs, memos, alerts, the calendar feed,
 * `ask`). A deadline is an obligation, open until a later fact closes it (met, missed, extended, withdrawn), or an
 * effective date, which happens by itself: upcoming, then past, never overdue. A closing fact names the deadline's
 * event key (`closes`) and counts from the day it became known (its `visibleFrom`): as of a day before that, the
 * deadline is still open.
 */
import { dayCount, daysBetween, describeDaysLeft, type IsoDate } from "./dates.js";
import type { DueKind, Fact, Outcome } from "./model.js";
import { counted } from "../render/count.js";

/** A deadline's outcome as of a day: which fact closed it, how, and what that means for its dates. */
export interface DeadlineOutcome {
  outcome: Outcome;
  /** The closing fact. */
  by: Fact;
  /** For `met`: days from the due date to the day it was met (0 or less: on time); 0 otherwise. */
  daysLate: number;
  /** For `extended`: the new due date (the closing fact is the new deadline). */
  newDue: IsoDate | null;
}

/** Where a deadline stands on a day. */
export type DeadlineStateKind = "upcoming" | "due-today" | "overdue" | "past" | "closed";

/** A deadline's state on the as-of day: open (upcoming, due that day, overdue), past (an effective date), or closed. */
export interface DeadlineState {
  state: DeadlineStateKind;
  /** Days from the as-of day to the due date (negative once it has passed). */
  daysLeft: number;
  dueKind: DueKind;
  /** Set when the state is "closed". */
  outcome: DeadlineOutcome | null;
}

/** The kind of a deadline's date (an obligation unless the fact says effective). */
export function dueKindOf(fact: Pick<Fact, "dueKind">): DueKind {
  return fact.dueKind ?? "obligation";
}

/**
 * The facts that close deadlines, by the event key they close, among `facts` (which the caller has made the facts
 * visible on its day): latest known first, so the first is the one that decides.
 */
export function closersByEvent(facts: Iterable<Fact>): Map<string, Fact[]> {
  const out = new Map<string, Fact[]>();
  for (const f of facts) {
    if (!f.closes || f.retracted) continue;
    const list = out.get(f.closes.event) ?? [];
    list.push(f);
    out.set(f.closes.event, list);
  }
  for (const list of out.values()) list.sort(latestKnownFirst);
  return out;
}

function latestKnownFirst(a: Fact, b: Fact): number {
  return a.visibleFrom < b.visibleFrom ? 1 : a.visibleFrom > b.visibleFrom ? -1 : b.id - a.id;
}

/**
 * The outcome of `deadline` given the closing facts visible on the day (see {@link closersByEvent}): the latest known
 * closer of its event key in its topic, or null while it is open. Of several, the latest known decides (a later report
 * corrects an earlier one).
 */
export function outcomeOf(deadline: Fact, closers: ReadonlyMap<string, readonly Fact[]>): DeadlineOutcome | null {
  if (deadline.kind !== "deadline" || deadline.event === null) return null;
  const by = closers.get(deadline.event)?.find((c) => c.id !== deadline.id && c.topic === deadline.topic);
  if (!by?.closes) return null;
  const outcome = by.closes.outcome;
  return {
    outcome,
    by,
    daysLate: outcome === "met" ? daysBetween(deadline.date, by.date) : 0,
    newDue: outcome === "extended" ? by.date : null,
  };
}

/** A deadline's state on `asOf`, given its outcome then (see {@link outcomeOf}). */
export function deadlineState(deadline: Fact, asOf: IsoDate, outcome: DeadlineOutcome | null): DeadlineState {
  const daysLeft = daysBetween(asOf, deadline.date);
  const dueKind = dueKindOf(deadline);
  if (outcome) return { state: "closed", daysLeft, dueKind, outcome };
  const state = daysLeft > 0 ? "upcoming" : daysLeft === 0 ? "due-today" : dueKind === "effective" ? "past" : "overdue";
  return { state, daysLeft, dueKind, outcome: null };
}

/**
 * An outcome in words: "met 2017-08-22, 11 days late", "met 2017-08-09, on time", "missed (recorded 2019-11-14)",
 * "extended to 2017-09-15", "withdrawn 2017-08-01". Plain text.
 */
export function outcomeLabel(o: DeadlineOutcome): string {
  switch (o.outcome) {
    case "met":
      return `met ${o.by.date}, ${o.daysLate > 0 ? `${counted(o.daysLate, "day")} late` : "on time"}`;
    case "missed":
      return `missed (recorded ${o.by.date})`;
    case "extended":
      return `extended to ${o.newDue}`;
    case "withdrawn":
      return `withdrawn ${o.by.date}`;
  }
}

/**
 * A deadline's state in words: "22 days left", "overdue by 4 days", "takes effect in 10 days", "took effect 3 days ago",
 * or its outcome. Plain text.
 */
export function deadlineStateLabel(s: DeadlineState): string {
  if (s.outcome) return outcomeLabel(s.outcome);
  if (s.dueKind === "effective") {
    if (s.daysLeft > 0) return `takes effect in ${dayCount(s.daysLeft)} day${s.daysLeft === 1 ? "" : "s"}`;
    if (s.daysLeft === 0) return "takes effect today";
    return `took effect ${dayCount(-s.daysLeft)} day${s.daysLeft === -1 ? "" : "s"} ago`;
  }
  return describeDaysLeft(s.daysLeft);
}

/** "due" for an obligation, "on" for an effective date: the word before a deadline's date. */
export function dueWord(fact: Pick<Fact, "dueKind">): string {
  return dueKindOf(fact) === "effective" ? "on" : "due";
}
