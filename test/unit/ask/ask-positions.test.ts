import { describe, expect, it } from "vitest";
import { answerQuestion } from "../../../src/ask/answer.js";
import { parseQuestion } from "../../../src/ask/question.js";
import type { Fact } from "../../../src/facts/model.js";
import { recordFact } from "../../support/facts.js";

// A made-up record, not the example timeline: the mechanisms must hold on any store.
const fact = (kind: Fact["kind"], date: string, actor: string, title: string, summary = "", source = "Wire report") =>
  recordFact(kind, date, actor, title, { title: source, url: `https://example.org/${encodeURIComponent(source)}` }, { summary });

const meeting = fact("event", "2020-02-10", "both", "Ministers meet in Busan for the second Joint Committee session", "A day of talks.", "Ministry statement, 10 February");
const atMeeting = fact("position", "2020-02-10", "Korea", "Korea proposes a pause on rice quotas", "Its minister said so in Busan.", "Ministry statement, 10 February");
const early = fact("position", "2020-01-05", "Korea", "Korea wants the first review of the pact completed before any amendment", "");
const usWant = fact("position", "2020-01-04", "US", "U.S. seeks lower barriers for its exporters", "");
const farm = fact("position", "2020-03-01", "Korea", "Korea says its rice market stays closed", "");
const autos = fact("event", "2020-03-02", "both", "Auto rules of origin tightened", "");
const FACTS = [meeting, atMeeting, early, usWant, farm, autos];
const ask = (text: string) => answerQuestion(parseQuestion(text, "2020-06-01"), FACTS);

describe("a side's position", () => {
  it("ranks a side's positions by words naming the agreement's course without requiring them", () => {
    // "the renegotiation", "the review" name the course every position is taken in: the side's positions answer.
    const renegotiation = ask("What does the U.S. want out of the renegotiation?");
    expect(renegotiation.found).toBe(true);
    expect(renegotiation.facts[0]!.fact.id).toBe(usWant.id);
    // Among Korea's, the one that says the course's word comes first.
    expect(ask("What is Seoul's stance on changing the pact?").facts[0]!.fact.id).toBe(early.id);
    expect(ask("What was Korea's position in the review?").facts[0]!.fact.id).toBe(early.id);
  });

  it("still requires the other words, and says so when the side has no position on them", () => {
    const none = ask("What is Korea's position on the auto rules in the renegotiation?");
    expect(none.found).toBe(false);
    expect(none.lead).toBe("No position of Korea on this subject is on record as of 2020-06-01.");
    // No side named: no "either side" for a speaker who is not one.
    expect(ask("What is the position on steel?").lead).toBe("No position on this subject is on record as of 2020-06-01.");
  });

  it("reads a side's line as its position, and finds a position by the event it was taken at", () => {
    // Taken at the Busan meeting: same day, citing the same statement; the position itself names neither.
    const line = ask("What was Korea's line at the second Joint Committee session?");
    expect(line.question.intent).toBe("position");
    expect(line.facts[0]!.fact.id).toBe(atMeeting.id);
    expect(line.lead).toBe("Korea's position on record (as of 2020-06-01): “Korea proposes a pause on rice quotas” (2020-02-10).");
  });
});

describe("round 5: what is on record beside a missing position, and what is offered as closest", () => {
  it("offers a fact on the subject that is not a position (a measure, a figure) when the side has no position on it", () => {
    const a = ask("What is Korea's position on the auto rules of origin?");
    expect(a.found).toBe(false);
    expect(a.lead).toMatch(
      /^No position of Korea on this subject is on record as of 2020-06-01\. The record has “Auto rules of origin tightened” \(2020-03-02\) on this subject, which is not a stated position\.$/,
    );
    expect(a.related.map((r) => r.fact.id)).toEqual([autos.id]);
    expect(a.relatedLabel).toBe("On record on this subject (not a stated position)");
    // With nothing on the subject at all, the side's positions are offered, said to name other subjects.
    const none = ask("What is Korea's position on steel?");
    expect(none.related.map((r) => r.fact.id)).not.toContain(autos.id);
  });

  it("offers as closest on record only facts whose titles share the question's words, not one word in a summary", () => {
    const hanoi = fact("position", "2020-04-01", "US", "U.S. seeks faster customs clearance", "Said at their June summit in Hanoi.");
    const a = answerQuestion(parseQuestion("Which sources say the rice pause started in Hanoi?", "2020-06-01"), [...FACTS, hanoi]);
    expect(a.found).toBe(false);
    // "Hanoi", the question's most specific word, is said only in passing in a summary: that fact is not offered; the
    // one whose title names the rice pause is.
    expect(a.related.map((r) => r.fact.id)).toEqual([atMeeting.id]);
  });

  it("asks a figure when 'what was' names a side's quota or rate", () => {
    expect(parseQuestion("what was korea's steel quota?", "2020-06-01").intent).toBe("how-much");
    expect(parseQuestion("what is its tariff rate?", "2020-06-01").intent).toBe("how-much");
  });
});
