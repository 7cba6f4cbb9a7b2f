import { describe, expect, it } from "vitest";
import { answerQuestion } from "../../../src/ask/answer.js";
import { parseQuestion } from "../../../src/ask/question.js";
import type { Fact } from "../../../src/facts/model.js";
import { recordFact } from "../../support/facts.js";

// A made-up record, not the example timeline: a report due 60 days after a request, met late; a later one still open.
const GAZETTE = { title: "Gazette", url: "https://example.org/g" };
const fact = (kind: Fact["kind"], date: string, title: string, extra: Partial<Fact> = {}) => recordFact(kind, date, "both", title, GAZETTE, extra);
const request = fact("event", "2020-01-01", "Panel requests a report on rice");
const due = fact("deadline", "2020-03-01", "Rice report must be delivered", { event: "rice-report-due", after: { days: 60, fromId: request.id }, visibleFrom: "2020-01-01" });
const delivered = fact("event", "2020-03-05", "Rice report delivered to the panel", { closes: { event: "rice-report-due", outcome: "met" } });
const later = fact("deadline", "2020-09-01", "Beef review must be finished", { event: "beef-review-due", visibleFrom: "2020-05-01" });
const FACTS = [request, due, delivered, later];
const ask = (text: string, today = "2020-06-01") => answerQuestion(parseQuestion(text, today), FACTS);

describe("deadlines by their state and outcome", () => {
  it("lists the deadlines closed with the outcome asked, and says plainly when none was", () => {
    const met = ask("Which deadlines were met?");
    expect(met.lead).toMatch(/^1 deadline met as of 2020-06-01: “Rice report must be delivered”, due 2020-03-01/);
    const extended = ask("Which deadlines were extended?");
    expect(extended.found).toBe(false);
    expect(extended.lead).toBe("No deadline on record was extended as of 2020-06-01.");
    expect(extended.related.map((r) => r.fact.id)).toEqual([due.id]);
  });

  it("lists the deadlines open on a day, and names one by its length", () => {
    const open = ask("Which deadlines were still open as of 2020-05-15?");
    expect(open.question.intent).toBe("next-deadline");
    expect(open.facts.map((f) => f.fact.id)).toEqual([later.id]);
    expect(ask("What deadlines were open on 2020-02-01?").facts.map((f) => f.fact.id)).toEqual([due.id]);
    // "the 60-day rule": the deadline counted 60 days from the request, though neither its title nor summary says so.
    expect(ask("Was the 60-day rule met?").facts[0]?.fact.id).toBe(due.id);
  });

  it("states a closed deadline's outcome without counting it to the day asked; an open one is counted to that day", () => {
    const closed = ask("When was the rice report due?", "2026-12-07");
    expect(closed.lead).toMatch(/^“Rice report must be delivered”, due 2020-03-01 \(60 days after .*\): met 2020-03-05, 4 days late\.$/);
    expect(closed.lead).not.toMatch(/as of/);
    expect(ask("When is the beef review due?").lead).toMatch(/: 92 days left as of 2020-06-01\.$/);
  });

  it("says a deadline not yet due is neither met nor missed", () => {
    expect(ask("Was the beef review deadline met?").lead).toBe("Not due yet as of 2020-06-01: “Beef review must be finished” falls due 2020-09-01 (92 days left).");
  });
});

describe("a span between two events, one reported twice", () => {
  const korea = fact("event", "2020-04-08", "Rice deal in principle announced by the ministry", { actor: "Korea", event: "rice-deal" });
  const joint = fact("event", "2020-04-10", "Both sides reach the rice deal in principle after talks", { event: "rice-deal" });
  const signed = fact("event", "2020-05-10", "Rice deal signed");
  const facts = [korea, joint, signed];
  const span = (text: string) => answerQuestion(parseQuestion(text, "2020-06-01"), facts);

  it("counts from the report both sides are recorded as making, with the side's other date beside it", () => {
    const a = span("how many days from the rice deal in principle to the signing?");
    expect(a.facts.map((f) => f.fact.id)).toEqual([joint.id, signed.id]);
    expect(a.lead).toMatch(
      /^30 days from “Both sides reach the rice deal in principle after talks” \(2020-04-10\) to “Rice deal signed” \(2020-05-10\)\. By the other date on record: 32 days from 2020-04-08/,
    );
  });

  it("keeps one side's report when the question names it", () => {
    expect(span("how many days from the ministry's announcement of the rice deal to the signing?").facts[0]?.fact.id).toBe(korea.id);
  });
});

describe("a deadline named by the provision that sets it", () => {
  it("finds a deadline by the article its summary cites ('the Art. 9.3 deadline'), though its title does not say it", () => {
    const start = fact("event", "2021-01-04", "Panel opens its review of beef rules");
    const review = fact("deadline", "2021-07-01", "Beef rules review must be finished", {
      summary: "Article 9.3: the panel shall finish a review within six months of opening it.",
      event: "beef-rules-review-due",
    });
    const other = fact("deadline", "2021-05-01", "Rice report must be delivered", { summary: "Set by Article 4.1 of the pact.", event: "rice-due" });
    const done = fact("event", "2021-06-20", "Panel finishes its review of beef rules", { closes: { event: "beef-rules-review-due", outcome: "met" } });
    const facts = [start, review, other, done];
    for (const text of ["Was the Art 9.3 deadline met?", "was the Article 9.3 deadline met?"]) {
      const a = answerQuestion(parseQuestion(text, "2021-08-01"), facts);
      expect(a.facts[0]?.fact.id, text).toBe(review.id);
      expect(a.lead, text).toMatch(/^Met on time/);
    }
    // A provision the record does not cite names nothing.
    expect(answerQuestion(parseQuestion("was the Article 12.7 deadline met?", "2021-08-01"), facts).found).toBe(false);
  });
});

describe("a day named without a year (not a deadline, but the same made-up record's style)", () => {
  const deal = fact("event", "2022-03-28", "Both sides reach a deal in principle on rice", {
    event: "rice-deal",
    disputed: [{ says: "2022-03-26", source: { title: "Ministry release" } }],
  });
  const talks = fact("event", "2022-02-10", "Talks on a rice deal resume");
  const review = fact("event", "2021-03-28", "Panel reviews beef rules");
  const facts = [deal, talks, review];
  const ask6 = (text: string) => answerQuestion(parseQuestion(text, "2022-06-01"), facts);

  it("ranks first the fact on one of the days asked, or with a reading on one, in whatever year", () => {
    const a = ask6("was the rice deal the 26th or the 28th of March?");
    expect(a.found).toBe(true);
    expect(a.facts[0]?.fact.id).toBe(deal.id);
    expect(ask6("was the rice deal on the 28th of March?").facts[0]?.fact.id).toBe(deal.id);
  });

  it("lists what happened on that day in every year, not the last 30 days", () => {
    const a = ask6("what happened on March 28?");
    expect(a.lead).toBe("2 facts on record for March 28, any year, newest first.");
    expect(a.facts.map((f) => f.fact.id)).toEqual([deal.id, review.id]);
  });
});

describe("a span's two ends (not deadlines, but the same made-up record's style)", () => {
  const letter = { title: "Minister's letter of 10 January 2023 on rice talks" };
  const request = fact("event", "2023-01-10", "Ministry requests the first talks on rice", { sources: [{ title: "Gazette" }] });
  const line = fact("quote", "2023-01-10", "Minister: rice must be on the table", { sources: [{ title: "Gazette" }, letter] });
  const held = fact("event", "2023-02-20", "First talks on rice held in Geneva", { sources: [{ title: "Wire report" }] });
  const facts = [request, line, held];

  it("counts from the event a quoted letter was part of, to the other end's own occasion, not the first end's again", () => {
    const a = answerQuestion(parseQuestion("how many days from the minister's letter to the first talks on rice?", "2023-06-01"), facts);
    expect(a.question.intent).toBe("span");
    expect(a.lead).toMatch(/^41 days from “Ministry requests the first talks on rice” \(2023-01-10\) to “First talks on rice held in Geneva” \(2023-02-20\)/);
  });
});

describe("deadline listings: what they list and the span they name", () => {
  it("reads the words of what is listed ('items', 'tasks') as the listing, not its subject; a subject after a preposition still narrows", () => {
    const pending = ask("which items are due next?", "2020-06-01");
    expect(pending.found).toBe(true);
    expect(pending.facts[0]?.fact.id).toBe(later.id);
    const overdue = ask("any overdue tasks as of 2020-03-03?");
    expect(overdue.found).toBe(true);
    expect(overdue.facts[0]?.fact.id).toBe(due.id);
    // A subject no deadline says, named after "on", leaves nothing on this subject.
    const steel = ask("which items are due next on steel?", "2020-06-01");
    expect(steel.found).toBe(false);
    expect(steel.lead).toMatch(/on this subject/);
  });

  it("bounds a listing by the year it names: 'missed in 2020' is not a deadline of 2021", () => {
    const overdue2021 = fact("deadline", "2021-02-01", "Corn report must be delivered", { event: "corn-report-due", visibleFrom: "2020-12-01" });
    const facts = [...FACTS, overdue2021];
    const late = answerQuestion(parseQuestion("which deadlines slipped in 2020?", "2022-01-01"), facts);
    expect(late.facts.map((f) => f.fact.id).sort()).toEqual([due.id, later.id].sort());
    const all = answerQuestion(parseQuestion("which deadlines slipped?", "2022-01-01"), facts);
    expect(all.facts.map((f) => f.fact.id)).toContain(overdue2021.id);
  });
});

describe("a 'where' question (not a deadline, but the same made-up record's style)", () => {
  const bare = fact("event", "2019-05-02", "President signs the rice act");
  const placed = fact("event", "2019-05-02", "Rice act signed by both leaders in Geneva");
  const facts = [bare, placed];
  const where = (text: string) => answerQuestion(parseQuestion(text, "2020-01-01"), facts);

  it("answers with a fact on the subject that names a place before one that names none, and says when none does", () => {
    const a = where("where did the president sign the rice act?");
    expect(a.facts[0]?.fact.id).toBe(placed.id);
    expect(a.lead).toMatch(/^Geneva: /);
    const none = answerQuestion(parseQuestion("where did the president sign the rice act?", "2020-01-01"), [bare]);
    expect(none.lead).toBe("“President signs the rice act” (2019-05-02); the record names no place.");
  });
});
