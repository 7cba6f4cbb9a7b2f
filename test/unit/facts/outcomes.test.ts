import { describe, expect, it } from "vitest";
import { factAsOf, viewAsOf } from "../../../src/facts/as-of.js";
import { FactIndex } from "../../../src/facts/fact-index.js";
import { checkFactLine } from "../../../src/facts/jsonl.js";
import { factToLineObject } from "../../../src/facts/export.js";
import { closersByEvent, deadlineState, deadlineStateLabel, outcomeLabel, outcomeOf } from "../../../src/facts/outcomes.js";
import { statusToMarkdown } from "../../../src/status/markdown.js";
import { buildStatus } from "../../../src/status/status.js";
import { agreementStanding } from "../../../src/topics/standing.js";
import { fact } from "../../support/facts.js";

const TODAY = { today: "2026-12-01" };

describe("deadline outcomes", () => {
  const request = fact({ kind: "event", date: "2017-07-12", title: "Special session requested" });
  const due = fact({ kind: "deadline", date: "2017-08-11", title: "Session must be held", event: "session-due", known: "2017-07-12" });
  const held = fact({ kind: "event", date: "2017-08-22", title: "First session held", known: "2017-08-22", closes: { event: "session-due", outcome: "met" } });
  const quota = fact({ kind: "deadline", date: "2018-05-01", title: "Quota takes effect", known: "2018-04-30", dueKind: "effective" });
  const facts = [request, due, held, quota];

  it("counts an outcome from the day its closing fact became known: overdue before, met after", () => {
    expect(new FactIndex(facts, "2017-08-15").overdue.map((f) => f.title)).toEqual(["Session must be held"]);
    const after = new FactIndex(facts, "2017-09-01");
    expect(after.overdue).toEqual([]);
    expect(after.closed.map((f) => f.title)).toEqual(["Session must be held"]);
    const state = after.stateOf(due);
    expect(state).toMatchObject({ state: "closed", daysLeft: -21, outcome: { outcome: "met", daysLate: 11 } });
    expect(deadlineStateLabel(state)).toBe("met 2017-08-22, 11 days late");
    expect(after.recentlyClosed(30).map((f) => f.id)).toEqual([due.id]);
    // Recent: known in the 30 days up to the as-of day (the window counts from the outcome, not the due date).
    expect(new FactIndex(facts, "2017-09-20").recentlyClosed(30)).toHaveLength(1);
    expect(new FactIndex(facts, "2017-09-21").recentlyClosed(30)).toEqual([]);
  });

  it("an effective date is upcoming, then past, never overdue", () => {
    const before = new FactIndex(facts, "2018-04-30");
    expect(before.upcoming.map((f) => f.title)).toEqual(["Quota takes effect"]);
    expect(deadlineStateLabel(before.stateOf(quota))).toBe("takes effect in 1 day");
    const later = new FactIndex(facts, "2018-09-30");
    expect(later.overdue).toEqual([]);
    expect(later.passed.map((f) => f.title)).toEqual(["Quota takes effect"]);
    expect(deadlineStateLabel(later.stateOf(quota))).toBe("took effect 152 days ago");
    // Years on, the count reads as people write it, as "past due by 2,581 days" does.
    expect(deadlineStateLabel(new FactIndex(facts, "2026-12-07").stateOf(quota))).toBe("took effect 3,142 days ago");
    expect(later.olderOverdue(30)).toBeNull();
  });

  it("labels every outcome, on time and late; the latest known closer decides; a retracted one closes nothing", () => {
    const onTime = fact({ kind: "event", date: "2017-08-10", title: "Held early", known: "2017-08-10", closes: { event: "session-due", outcome: "met" } });
    expect(outcomeLabel(outcomeOf(due, closersByEvent([onTime]))!)).toBe("met 2017-08-10, on time");
    const missed = fact({ kind: "note", date: "2017-09-01", title: "Deadline passed", known: "2017-09-01", closes: { event: "session-due", outcome: "missed" } });
    const extended = fact({ kind: "deadline", date: "2017-08-31", title: "New date", known: "2017-08-05", closes: { event: "session-due", outcome: "extended" } });
    const withdrawn = fact({ kind: "event", date: "2017-08-02", title: "Request withdrawn", closes: { event: "session-due", outcome: "withdrawn" } });
    expect(outcomeLabel(outcomeOf(due, closersByEvent([missed]))!)).toBe("missed (recorded 2017-09-01)");
    expect(outcomeLabel(outcomeOf(due, closersByEvent([extended]))!)).toBe("extended to 2017-08-31");
    expect(outcomeLabel(outcomeOf(due, closersByEvent([withdrawn]))!)).toBe("withdrawn 2017-08-02");
    // Two closers: the one known last decides.
    expect(outcomeOf(due, closersByEvent([missed, held]))!.outcome).toBe("missed");
    expect(outcomeOf(due, closersByEvent([{ ...held, retracted: true }]))).toBeNull();
    // Another topic's fact with the same key closes nothing here.
    expect(outcomeOf(due, closersByEvent([{ ...held, topic: "usmca" }]))).toBeNull();
  });

  it("an extended deadline leaves the new deadline upcoming in its place", () => {
    const extended = fact({ kind: "deadline", date: "2017-08-31", title: "Session due (extended)", known: "2017-08-05", closes: { event: "session-due", outcome: "extended" } });
    const index = new FactIndex([due, extended], "2017-08-15");
    expect(index.upcoming.map((f) => f.title)).toEqual(["Session due (extended)"]);
    expect(index.overdue).toEqual([]);
    expect(deadlineState(due, "2017-08-15", index.outcomeOf(due)).state).toBe("closed");
  });

  it("status: Overdue lists only open obligations; a met deadline shows its outcome and the fact that closed it, cited", () => {
    const md = statusToMarkdown(buildStatus(facts, "2017-09-01", "2026-12-01"));
    expect(md).not.toContain("## Overdue");
    expect(md).toContain("## Recent outcomes\n\n- **Session must be held**: due 2017-08-11 (Fri), **met 2017-08-22, 11 days late** (First session held [1]) [1]");
    expect(statusToMarkdown(buildStatus(facts, "2017-08-15", "2026-12-01"))).toContain("## Overdue\n\n- **Session must be held**: due 2017-08-11 (Fri), **overdue by 4 days** [1]");
  });
});

describe("the JSON Lines fields of outcomes", () => {
  const base = { date: "2017-08-22", title: "First session held", kind: "event", actor: "both", source: "USTR" };
  const issues = (raw: object) => {
    const checked = checkFactLine(raw, TODAY);
    return "issues" in checked ? checked.issues : [];
  };

  it("reads closes, outcome, due_kind and milestone, and writes them back the same", () => {
    const checked = checkFactLine({ ...base, closes: "session-due", outcome: "met", milestone: "in-force" }, TODAY);
    expect("line" in checked && checked.line).toMatchObject({ closes: "session-due", outcome: "met", milestone: "in-force" });
    const out = factToLineObject(fact({ kind: "deadline", date: "2018-05-01", title: "Quota", dueKind: "effective", closes: { event: "k", outcome: "extended" } }));
    expect(out).toMatchObject({ due_kind: "effective", closes: "k", outcome: "extended" });
    expect(factToLineObject(fact({ kind: "deadline", date: "2018-05-01", title: "Quota", dueKind: "obligation" }))).not.toHaveProperty("due_kind");
  });

  it("refuses what cannot be, naming the field", () => {
    expect(issues({ ...base, closes: "session-due" })).toEqual([{ field: "outcome", message: expect.stringContaining("is missing") }]);
    expect(issues({ ...base, outcome: "met" })).toEqual([{ field: "closes", message: expect.stringContaining("is missing") }]);
    expect(issues({ ...base, closes: "k", outcome: "done" })[0]).toMatchObject({ field: "outcome", message: expect.stringContaining("met, missed, extended, withdrawn") });
    expect(issues({ ...base, closes: "k", outcome: "extended" })[0]).toMatchObject({ field: "outcome", message: expect.stringContaining("the new deadline itself") });
    expect(issues({ ...base, due_kind: "effective" })[0]).toMatchObject({ field: "due_kind" });
    expect(issues({ ...base, kind: "deadline", due_kind: "sometimes" })[0]).toMatchObject({ field: "due_kind", message: expect.stringContaining("obligation or effective") });
    expect(issues({ ...base, kind: "note", milestone: "signed" })[0]).toMatchObject({ field: "milestone" });
    expect(issues({ ...base, event: "k", closes: "k", outcome: "met" })[0]).toMatchObject({ field: "closes", message: expect.stringContaining("own event key") });
    // The one text guard applies to the new text field too.
    expect(issues({ ...base, closes: "a\u001bb", outcome: "met" })[0]).toMatchObject({ field: "closes", message: expect.stringContaining("U+001B") });
  });
});

describe("the agreement as it stood on a day", () => {
  const signed = fact({ kind: "event", date: "2007-06-30", title: "Signed", actor: "both", milestone: "signed" });
  const us = fact({ kind: "event", date: "2011-10-21", title: "US law", actor: "US", milestone: "approved" });
  const kr = fact({ kind: "event", date: "2011-11-22", title: "Assembly", actor: "Korea", milestone: "approved" });
  const inForce = fact({ kind: "event", date: "2012-03-15", known: "2012-02-21", title: "In force", actor: "both", milestone: "in-force" });
  const amended = fact({ kind: "event", date: "2019-01-01", title: "Amended in force", actor: "both", milestone: "amended-in-force" });
  const all = [signed, us, kr, inForce, amended];
  const standing = (day: string) => agreementStanding(all, day)?.standing ?? null;

  it("says signed, approved, announced, in force and amended only from the day each was known", () => {
    expect(standing("2007-01-01")).toBeNull();
    expect(standing("2007-12-31")).toBe("signed 2007-06-30; not yet in force");
    expect(standing("2011-06-01")).toBe("signed 2007-06-30; not yet in force");
    expect(standing("2011-11-30")).toBe("signed 2007-06-30; approved by the United States (2011-10-21) and Korea (2011-11-22); not yet in force");
    expect(standing("2012-03-01")).toBe("signed 2007-06-30; approved by the United States (2011-10-21) and Korea (2011-11-22); enters into force 2012-03-15");
    expect(standing("2018-09-30")).toBe("in force since 2012-03-15");
    expect(standing("2019-06-01")).toBe("in force since 2012-03-15; amended agreement in force since 2019-01-01");
    expect(agreementStanding(all, "2019-06-01")!.basis.map((f) => f.title)).toEqual(["In force", "Amended in force"]);
  });
});

describe("a fact as it read on a day", () => {
  const f = fact({
    kind: "event",
    date: "2017-08-22",
    title: "Session held",
    sources: [
      { title: "USTR", date: "2017-08-22" },
      { title: "CRS", url: "https://crs.example/a" },
      { title: "Later book", date: "2019-01-01" },
    ],
    disputed: [{ says: "2017-08-23", source: { title: "Late report", date: "2018-02-01" } }],
  });

  it("leaves out sources and readings published after the day, and keeps the undated ones", () => {
    const then = factAsOf(f, "2017-09-01");
    expect(then.sources.map((s) => s.title)).toEqual(["USTR", "CRS"]);
    expect(then.disputed).toEqual([]);
    expect(factAsOf(f, "2019-01-01")).toBe(f);
  });

  it("reads the version it had then, keeping what links facts as stored", () => {
    const edited = { ...f, title: "Session held in Seoul", summary: "New text", event: "k", closes: { event: "d", outcome: "met" as const } };
    const [then] = viewAsOf([edited], "2017-09-01", new Map([[f.id, { title: "Session held", summary: "Old text" }]]));
    expect(then).toMatchObject({ title: "Session held", summary: "Old text", event: "k", closes: { event: "d", outcome: "met" } });
  });
});
