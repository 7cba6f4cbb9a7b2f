import { beforeAll, describe, expect, it } from "vitest";
import { loadTagger } from "../../../src/ask/parts-of-speech.js";
import { answerQuestion } from "../../../src/ask/answer.js";
import { parseQuestion } from "../../../src/ask/question.js";
import { tokenize } from "../../../src/ask/tokens.js";
import type { Fact } from "../../../src/facts/model.js";

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
