import { beforeAll, describe, expect, it } from "vitest";
import { loadTagger } from "../../../src/ask/parts-of-speech.js";
import { answerQuestion } from "../../../src/ask/answer.js";
import { parseQuestion } from "../../../src/ask/question.js";
import { tokenize } from "../../../src/ask/tokens.js";
import type { Fact } from "../../../src/facts/model.js";
import { recordFact } from "../../support/facts.js";

// A made-up record, not the example timeline.
let nextId = 1;
function fact(kind: Fact["kind"], date: string, title: string, summary = "", actor = "both"): Fact {
  return {
    ...{ id: nextId++, kind, date, actor, title, summary, known: date, visibleFrom: date },
    ...{ sources: [{ title: "Gazette", url: "https://example.org/g" }], disputed: [], event: null, confidence: "confirmed", topic: "korus" },
    ...{ figure: null, dueKind: "obligation", closes: null, milestone: null, after: null, retracted: false },
  } as unknown as Fact;
}

beforeAll(async () => {
  await loadTagger();
});

describe("round 10: the country typed in lower case, and a verb after a side's name", () => {
  it("reads 'u.s.' and 'usa' typed in lower case as the country, and 'us' in lower case as the pronoun", () => {
    expect(tokenize("what did the u.s. get").map((t) => t.word)).toEqual(["what", "did", "the", "usa", "get"]);
    expect(tokenize("the u.s request").map((t) => t.word)).toEqual(["the", "usa", "request"]);
    expect(tokenize("usa and US").map((t) => t.word)).toEqual(["usa", "and", "usa"]);
    expect(tokenize("tell us").map((t) => t.word)).toEqual(["tell", "us"]);
  });

  const request = fact("event", "2020-03-02", "U.S. requests a special session of the Joint Committee", "", "US");
  const session = fact("event", "2020-04-13", "First special session of the Joint Committee meets", "");
  const trucks = fact("figure", "2020-06-01", "U.S. tariff on Korean light trucks extended to 2041", "", "US");
  const other = fact("event", "2020-05-01", "Second round of amendment negotiations", "");
  const facts = [request, session, trucks, other];
  const ask = (text: string) => answerQuestion(parseQuestion(text, "2022-01-01"), facts);

  it("answers a question naming 'the u.s.' in lower case as one naming the U.S.", () => {
    const span = ask("how long after the u.s. request did the first special session meet?");
    expect(span.facts.map((f) => f.fact.id)).toEqual([request.id, session.id]);
    expect(span.lead).toContain("42 days");
    expect(ask("what did the u.s. get on pickup trucks in the renegotiation?").facts[0]?.fact.id).toBe(trucks.id);
  });

  it("does not read a verb after a side's name as a product not on record when the subject is named", () => {
    expect(ask("what did Washington win on light trucks in the amendment talks?").facts[0]?.fact.id).toBe(trucks.id);
    // A product after a side's name that no fact knows is still not on record.
    expect(ask("did the amendment talks open Korea's market to U.S. cherries?").facts).toEqual([]);
  });
});

describe("round 10: deadlines in a span, a deadline's state said first, a role at an occasion", () => {
  const GAZETTE = { title: "Gazette", url: "https://example.org/g" };
  const made = (kind: Fact["kind"], date: string, title: string, extra: Partial<Fact> = {}) => recordFact(kind, date, "both", title, GAZETTE, extra);
  const request = made("event", "2020-01-01", "Panel requests a report on rice", { summary: "Korea's trade minister Park Ji-won asks the panel." });
  const due = made("deadline", "2020-03-01", "Rice report must be delivered", { event: "rice-report-due", after: { days: 60, fromId: request.id }, visibleFrom: "2020-01-01" });
  const delivered = made("event", "2020-03-05", "Rice report delivered to the panel", { closes: { event: "rice-report-due", outcome: "met" } });
  const later = made("deadline", "2021-09-01", "Beef review must be finished", { event: "beef-review-due", visibleFrom: "2020-05-01" });
  const FACTS = [request, due, delivered, later];
  const ask = (text: string, today = "2022-06-01") => answerQuestion(parseQuestion(text, today), FACTS);

  it("lists the deadlines falling due in a year named, past ones with their outcome", () => {
    const in2020 = ask("any deadlines in 2020?");
    expect(in2020.facts.map((f) => f.fact.id)).toEqual([due.id]);
    expect(in2020.lead).toMatch(/^1 deadline on record falls due in 2020: “Rice report must be delivered”, due 2020-03-01 .*met 2020-03-05, 4 days late\.$/);
    expect(ask("anything due in 2021?").facts.map((f) => f.fact.id)).toEqual([later.id]);
    expect(ask("any deadlines in 2019?").found).toBe(false);
  });

  it("says a deadline's state first when asked yes or no", () => {
    expect(ask("has the beef review been finished yet?").lead).toBe("Not on record: “Beef review must be finished”, due 2021-09-01, past due by 273 days, no outcome recorded as of 2022-06-01.");
    expect(ask("has the beef review been finished yet?", "2021-08-01").lead).toMatch(/^Not yet: “Beef review must be finished” is due 2021-09-01, 31 days left/);
    // An event answering it is the answer, as before.
    expect(ask("was the rice report delivered?").lead).toBe("2020-03-05: “Rice report delivered to the panel”.");
  });

  it("reads the role asked without the occasion it is asked at", () => {
    expect(ask("who was korea's trade minister?").lead).toMatch(/^Park Ji-won\b/);
    expect(ask("who was korea's trade minister in the rice talks?").lead).toMatch(/^Park Ji-won\b/);
    expect(ask("who was korea's trade minister during the rice talks?").lead).toMatch(/^Park Ji-won\b/);
  });

  it("says first that the record names no one in a role it speaks of, then the nearest facts", () => {
    const chair = made("event", "2020-02-01", "Panel chair postpones the rice hearing");
    const a = answerQuestion(parseQuestion("who is the panel chair in the rice talks?", "2022-06-01"), [...FACTS, chair]);
    expect(a.lead).toBe("The record does not name the panel chair. Nearest on record: Both sides: “Panel chair postpones the rice hearing” (2020-02-01).");
    expect(a.facts[0]?.fact.id).toBe(chair.id);
  });
});
