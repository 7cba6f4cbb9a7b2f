import { beforeAll, describe, expect, it } from "vitest";
import { loadTagger } from "../../../src/ask/parts-of-speech.js";
import { answerQuestion } from "../../../src/ask/answer.js";
import { parseQuestion } from "../../../src/ask/question.js";
import { FactMatcher } from "../../../src/ask/similarity.js";
import { readTimeWords } from "../../../src/ask/time-words.js";
import { tokenize } from "../../../src/ask/tokens.js";
import type { Fact } from "../../../src/facts/model.js";

// A made-up record, not the example timeline.
let nextId = 1;
function fact(kind: Fact["kind"], date: string, title: string, summary = ""): Fact {
  return {
    ...{ id: nextId++, kind, date, actor: "both", title, summary, known: date, visibleFrom: date },
    ...{ sources: [{ title: "Gazette", url: "https://example.org/g" }], disputed: [], event: null, confidence: "confirmed", topic: "korus" },
    ...{ figure: null, dueKind: "obligation", closes: null, milestone: null, after: null, retracted: false },
  } as unknown as Fact;
}

const TODAY = "2019-06-03";
const read = (text: string) => parseQuestion(text, TODAY);

beforeAll(async () => {
  await loadTagger();
});

describe("round 9: what a question asks, read from how it is put", () => {
  it("reads what a rule allows or requires as a deadline, not a span between two facts", () => {
    expect(read("how long does the treaty give the parties to meet after a request?").intent).toBe("deadline");
    expect(read("how many days does the agreement allow for a reply?").intent).toBe("deadline");
    expect(read("when is the ministry supposed to answer?").intent).toBe("deadline");
    expect(read("what date were they obliged to file by?").intent).toBe("deadline");
    // A span between two things named is still a span, however the gap is named.
    expect(read("gap in days between the 1st and 2nd sessions?").intent).toBe("span");
    expect(read("what was the interval between the request and the meeting, in days?").intent).toBe("span");
    expect(read("stretch of time between the first and second rounds?").intent).toBe("span");
    expect(read("how many days from the request to the meeting?").intent).toBe("span");
  });

  it("does not read 'coming in' (imports arriving) as a question about the future", () => {
    expect(read("what date does rice start coming in under the quota?").future).toBe(false);
    expect(read("what is coming up for the panel?").future).toBe(true);
    expect(read("when will the panel meet?").future).toBe(true);
  });

  it("marks the words of what a deadline listing lists, before its first preposition", () => {
    const q = read("past-due items on rice, as of 2019-01-01");
    expect(q.tokens.filter((t) => t.head).map((t) => t.word)).toEqual(["past", "due", "items"]);
    expect(read("what was overdue on the korus file?").tokens.find((t) => t.word === "file")?.head).toBe(true);
  });
});

describe("round 9: words a record writes otherwise", () => {
  const inForce = fact("event", "2021-03-01", "Rice pact enters into force");
  const signed = fact("event", "2020-06-01", "Rice pact signed in Geneva");
  const round = fact("event", "2020-02-10", "First round of rice talks in Geneva", "Officials meet for two days, led by Ann Lee and Bo Park.");
  const other = fact("event", "2020-04-10", "Second round of rice talks in Seoul", "A short round; no statement.");
  const facts = [inForce, signed, round, other];
  const ask = (text: string) => answerQuestion(parseQuestion(text, "2022-01-01"), facts);

  it("reads 'go live' and 'become operative' as taking effect, and the effects of a pact as no entry into force", () => {
    expect(ask("when did the rice pact go live?").facts[0]?.fact.id).toBe(inForce.id);
    const study = fact("position", "2021-04-01", "Korea proposes a study", "At the first session Korea proposed a study of the rice pact's effects.");
    const a = answerQuestion(parseQuestion("what day did the rice pact first become operative?", "2022-01-01"), [...facts, study]);
    expect(a.facts[0]?.fact.id).toBe(inForce.id);
    // "Effects" in a summary says nothing of taking effect.
    const matcher = new FactMatcher([study, inForce], [study, inForce]);
    const terms = matcher.terms(tokenize("become operative"));
    expect(matcher.match(study, terms).score).toBe(0);
    expect(matcher.match(inForce, terms).score).toBeGreaterThan(0);
  });

  it("reads 'headed' as led, and a delegation or team as a side, not the subject", () => {
    const a = ask("who headed the two delegations at the Feb 10 2020 round?");
    expect(a.found).toBe(true);
    expect(a.facts[0]?.fact.id).toBe(round.id);
    expect(a.lead).toContain("led by Ann Lee and Bo Park");
    expect(ask("who headed the team at the first round of rice talks?").facts[0]?.fact.id).toBe(round.id);
  });

  it("reads 'heading into' as going toward, not leading", () => {
    const tokens = read("what's the stance heading into the session?").tokens;
    expect(tokens.find((t) => t.word === "heading")?.frame).toBe(true);
    expect(read("who headed the session?").tokens.find((t) => t.word === "headed")?.frame).toBeUndefined();
  });
});

describe("round 9: two days offered as alternatives", () => {
  it("reads 'A or B' as days the record may hold, not a span; 'between A and B' is still a span", () => {
    for (const text of ["was it Mar 26 or Mar 28, 2018?", "was it 3/26/2018 or 3/28/2018?", "the 26th or the 28th of March 2018?"]) {
      const r = readTimeWords(text, "2019-01-01");
      expect(r.mentions, text).toEqual([]);
      expect(r.monthDays.sort(), text).toEqual(["03-26", "03-28"]);
    }
    expect(readTimeWords("seen both the 26th and the 28th", "2019-01-01").monthDays).toEqual(["26", "28"]);
    const span = readTimeWords("between Mar 26 and Mar 28, 2018", "2019-01-01");
    expect(span.monthDays).toEqual([]);
    expect(span.mentions.map((m) => m.start)).toEqual(["2018-03-26", "2018-03-28"]);
  });

  it("leads with the fact whose readings hold both days, and with a disputed fact when asked whether sources differ", () => {
    const announced = fact("event", "2020-05-04", "Ministry announces rice deal");
    const reached = { ...fact("event", "2020-05-06", "Both sides reach rice deal"), disputed: [{ says: "2020-05-04, the day the ministry announced it", source: { title: "Ministry" } }] } as Fact;
    const facts = [announced, reached];
    const ask = (text: string) => answerQuestion(parseQuestion(text, "2021-01-01"), facts);
    expect(ask("was the rice deal on May 4 or May 6, 2020?").facts[0]?.fact.id).toBe(reached.id);
    expect(ask("when was the rice deal struck, the 4th or the 6th?").facts[0]?.fact.id).toBe(reached.id);
    expect(ask("is the date of the rice deal contested?").facts[0]?.fact.id).toBe(reached.id);
  });
});

describe("round 9: positions asked of a side, of both sides, and before an occasion", () => {
  const side = (f: Fact, actor: string) => ({ ...f, actor }) as Fact;
  const request = fact("event", "2020-01-10", "Ministry requests the first rice talks");
  const talks = fact("event", "2020-03-01", "First rice talks held in Geneva");
  const usWants = side(fact("position", "2020-01-10", "U.S. seeks open rice markets", "The U.S. wants a fair rice trade."), "US");
  const quote = side(fact("quote", "2020-01-10", "Smith: rice markets must open", "> rice markets must open — Jo Smith, U.S. trade envoy"), "Jo Smith, U.S. trade envoy");
  const koreaWants = side(fact("position", "2020-01-12", "Korea wants to keep its rice rules"), "Korea");
  const atTalks = side(fact("position", "2020-03-01", "Korea proposes a rice study at the talks"), "Korea");
  const facts = [request, talks, usWants, quote, koreaWants, atTalks];
  const ask = (text: string) => answerQuestion(parseQuestion(text, "2021-01-01"), facts);

  it("leads with a side's own stated position when the side is asked, and lists both sides when both are", () => {
    expect(ask("what's Washington's goal on rice?").facts[0]?.fact.id).toBe(usWants.id);
    const both = ask("where do the US and Korea each stand going into the rice talks?");
    expect(both.question.intent).toBe("position");
    expect(both.facts.slice(0, 2).map((f) => f.fact.id)).toEqual([usWants.id, koreaWants.id]);
    expect(both.lead).toMatch(/^Positions on record \(as of 2021-01-01, before 2020-03-01\): the United States, “U.S. seeks open rice markets”/);
  });
});

describe("round 9: a subject narrowed to something not on record", () => {
  const access = fact("quote", "2020-01-10", 'Minister: "problems with market access in Korea for U.S. exports"');
  const extension = fact("event", "2020-02-01", "Light truck tariff extended to 2041");
  const facts = [access, extension];
  const ask = (text: string) => answerQuestion(parseQuestion(text, "2021-01-01"), facts);

  it("answers nothing on record when a noun no fact knows narrows the subject ('US beef access', 'U.S. cherries')", () => {
    expect(ask("what did the deal change on US beef access to Korea?").found).toBe(false);
    expect(ask("did the deal open Korea's market to U.S. cherries?").found).toBe(false);
    // A noun no fact knows that does not narrow a known one still lets the rest answer.
    expect(ask("what's the source for the light truck tariff extension?").found).toBe(true);
    expect(ask("what did the minister say about market access for U.S. exports?").found).toBe(true);
  });
});

describe("round 9: who, by the kind of actor asked", () => {
  const request = fact("event", "2020-07-12", "U.S. requests rice talks", "In a July 12 letter to his counterpart, U.S. Trade Representative Jo Smith asked for talks. They are to start soon.");
  const officials = fact("quote", "2020-07-13", 'Korean officials: rice talks "are not a renegotiation"');
  const ask = (text: string) => answerQuestion(parseQuestion(text, "2021-01-01"), [request, officials]);

  it("reads 'which official' as the kind asked for, and quotes the summary's whole sentence past 'U.S.'", () => {
    expect(read("which official wrote the letter?").tokens.find((t) => t.word === "official")?.frame).toBe(true);
    const a = ask("which official wrote the July 2020 letter asking for rice talks?");
    expect(a.facts[0]?.fact.id).toBe(request.id);
    expect(a.lead).toContain("U.S. Trade Representative Jo Smith asked for talks.");
  });
});
