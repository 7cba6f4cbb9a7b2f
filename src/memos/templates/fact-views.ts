/**
 * Facts as a template sees them: every field escaped or defused for its place in Markdown, with the labels of the fact
 * core (day, actor, days left, what a deadline counts from).
 */
import type { IsoDate } from "../../facts/dates.js";
import { deadlineStateLabel, dueWord, outcomeLabel } from "../../facts/outcomes.js";
import type { FactIndex } from "../../facts/fact-index.js";
import { actorLabel, dayLabel, deadlineBasisLabel } from "../../facts/labels.js";
import type { Fact, FactKind } from "../../facts/model.js";
import { defuseMarkdown, escapeMarkdown } from "../../render/escape.js";

/** A fact as a template sees it. */
export interface FactView {
  id: number;
  kind: FactKind;
  date: IsoDate;
  /** "2017-07-12 (Wed)". */
  day: string;
  /** The title on one line, escaped (src/render/escape.ts): safe to place anywhere in a line of Markdown. */
  title: string;
  /** Markdown, as stored but with Slack mentions defused: use {{inline summary}} inside a list item. */
  summary: string;
  actor: string;
  /** "United States" for "US". */
  who: string;
  inferred: boolean;
}

/** A deadline as a template sees it. */
export interface DeadlineView extends FactView {
  /** Days from the as-of date to the deadline; negative when overdue. */
  daysLeft: number;
  /**
   * Where it stands on the as-of date, in words: "22 days left", "due today", "overdue by 4 days"; for an effective
   * date "takes effect in 10 days", "took effect 3 days ago"; once closed its outcome, "met 2017-08-22, 11 days late".
   */
  daysLeftText: string;
  /** "due 2017-08-11 (Fri)" for an obligation, "on 2018-05-01 (Tue)" for an effective date. */
  when: string;
  /** upcoming | due-today | overdue | past (an effective date) | closed. */
  state: string;
  /** True for an effective date (it happens by itself; never overdue). */
  effective: boolean;
  /** Its outcome once closed ("met 2017-08-22, 11 days late", "extended to 2017-09-15"), else null. */
  outcome: string | null;
  /** The fact that closed it, as a template sees it (cite it with {{cite closedBy}}), else null. */
  closedBy: FactView | null;
  /** For a relative deadline: "30 days after “…” (2017-07-12)", its title escaped; else null. */
  basis: string | null;
}

/** The views of each index, made once: an index is shared by the renders of its day (src/facts/as-of-cache.ts). */
const viewsOf = new WeakMap<FactIndex, FactViews>();

/**
 * Makes the views of the facts of one index, each once: the escaped title, the defused summary and the labels of a
 * fact are computed the first time a render shows it and reused by every later render on the same index.
 */
export class FactViews {
  private readonly views = new Map<number, FactView>();
  private readonly deadlineViews = new Map<number, DeadlineView>();

  constructor(readonly facts: FactIndex) {}

  /** The views of `facts`, shared by every render on that index. */
  static of(facts: FactIndex): FactViews {
    let views = viewsOf.get(facts);
    if (!views) {
      views = new FactViews(facts);
      viewsOf.set(facts, views);
    }
    return views;
  }

  /** The fact as a template sees it (shared: do not change it). */
  view(fact: Fact): FactView {
    return this.remembered(this.views, fact, () => this.makeView(fact));
  }

  private makeView(fact: Fact): FactView {
    return {
      id: fact.id,
      kind: fact.kind,
      date: fact.date,
      day: dayLabel(fact.date),
      title: escapeMarkdown(fact.title),
      summary: defuseMarkdown(fact.summary),
      actor: fact.actor,
      who: actorLabel(fact.actor),
      inferred: fact.confidence === "inferred",
    };
  }

  /** A deadline as a template sees it, with the days left on the index's as-of date (shared: do not change it). */
  deadlineView(fact: Fact): DeadlineView {
    return this.remembered(this.deadlineViews, fact, () => this.makeDeadlineView(fact));
  }

  /** Only a fact of this index is remembered: another object with its id (a changed fact a brief adds) is made afresh. */
  private remembered<V>(views: Map<number, V>, fact: Fact, make: () => V): V {
    const known = this.facts.get(fact.id) === fact;
    let view = known ? views.get(fact.id) : undefined;
    if (view === undefined) {
      view = make();
      if (known) views.set(fact.id, view);
    }
    return view;
  }

  private makeDeadlineView(fact: Fact): DeadlineView {
    const state = this.facts.stateOf(fact);
    const basis = this.facts.basisOf(fact);
    return {
      ...this.view(fact),
      daysLeft: state.daysLeft,
      daysLeftText: escapeMarkdown(deadlineStateLabel(state)),
      when: `${dueWord(fact)} ${dayLabel(fact.date)}`,
      state: state.state,
      effective: state.dueKind === "effective",
      outcome: state.outcome ? escapeMarkdown(outcomeLabel(state.outcome)) : null,
      closedBy: state.outcome ? this.view(state.outcome.by) : null,
      basis: deadlineBasisLabel(basis && { ...basis, from: { ...basis.from, title: escapeMarkdown(basis.from.title) } }),
    };
  }
}
