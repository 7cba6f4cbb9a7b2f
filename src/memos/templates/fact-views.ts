/**
 * Facts as a template sees them: every field escaped or defused for its place in Markdown, with the labels of the fact
 * core (day, actor, days left, what a deadline counts from).
 */
import { describeDaysLeft, type IsoDate } from "../../facts/dates.js";
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
  /** "22 days left", "due today", "overdue by 4 days". */
  daysLeftText: string;
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
    const daysLeft = this.facts.daysLeft(fact);
    const basis = this.facts.basisOf(fact);
    return {
      ...this.view(fact),
      daysLeft,
      daysLeftText: describeDaysLeft(daysLeft),
      basis: deadlineBasisLabel(basis && { ...basis, from: { ...basis.from, title: escapeMarkdown(basis.from.title) } }),
    };
  }
}
