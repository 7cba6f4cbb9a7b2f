import { beforeAll, describe, expect, it } from "vitest";
import { answerQuestion } from "../../../src/ask/answer.js";
import { GLOSSARY } from "../../../src/ask/glossary.js";
import { loadTagger } from "../../../src/ask/parts-of-speech.js";
import { parseQuestion } from "../../../src/ask/question.js";
import { readTimeWords } from "../../../src/ask/time-words.js";
import type { Fact } from "../../../src/facts/model.js";
import { recordFact } from "../../support/facts.js";

// A made-up record, not the example timeline: the mechanisms of round 7 must hold on any store.
const WIRE = { title: "Wire report", url: "https://example.org/wire" };
const fact = (kind: Fact["kind"], date: string, actor: string, title: string, extra: Partial<Fact> = {}) => recordFact(kind, date, actor, title, WIRE, extra);

const signed = fact("event", "2001-05-02", "both", "Rice pact signed");
const actSigned = fact("event", "2003-02-10", "US", "President signs the rice implementing act", { summary: "Clears the way for entry into force." });
const inForce = fact("event", "2004-01-01", "both", "Rice pact enters into force");
const talks1 = fact("event", "2010-03-01", "both", "First round of rice talks in Washington", { summary: "Led by Assistant Secretary Jane Doe and Deputy Minister Park Ji-won." });
const talks3 = fact("event", "2010-06-01", "both", "Third round of rice talks in Seoul");
const talks2 = fact("event", "2010-04-01", "both", "Second round of rice talks in Seoul");
const usView = fact("position", "2010-02-01", "US", "U.S. wants rice tariffs cut", { summary: "Secretary Smith told reporters the rice tariffs must fall." });
const koreaView = fact("quote", "2010-02-02", "Kim Min-su, Korean farm ministry", "Kim: rice tariffs stay", { summary: "> the tariffs on rice stay — Kim Min-su." });
const FACTS = [signed, actSigned, inForce, talks1, talks2, talks3, usView, koreaView];
const ask = (text: string, today = "2011-01-01") => answerQuestion(parseQuestion(text, today), FACTS);

beforeAll(async () => {
  await loadTagger();
});

describe("round 7: a speaker the record has no statement from", () => {
  it("says nothing on record for a person no position or quote is from, and offers the others' apart", () => {
    const a = ask("what did navarro say about rice tariffs?");
    expect(a.found).toBe(false);
    expect(a.lead).toBe("No statement by “navarro” is on record as of 2011-01-01.");
    expect(a.relatedLabel).toBe("Said by others on this subject (not by “navarro”)");
    expect(a.related.map((r) => r.fact.id)).toContain(usView.id);
    // A name the record writes, but never on a statement ("Jane Doe" led a round): still no statement from her.
    expect(ask("what did Jane Doe say about rice tariffs?").found).toBe(false);
    expect(ask("what is doe's view on rice tariffs?").lead).toBe("No statement by “doe” is on record as of 2011-01-01.");
  });

  it("does not read a name in passing in a statement's summary as its speaker", () => {
    const directed = fact("position", "2010-02-03", "Korea", "Korea wants a review of rice tariffs first", { summary: "As directed by Presidents Lee and Obama at their summit, before any change." });
    const a = answerQuestion(parseQuestion("what did Obama say about rice tariffs?", "2011-01-01"), [...FACTS, directed]);
    expect(a.found).toBe(false);
    expect(a.lead).toBe("No statement by “Obama” is on record as of 2011-01-01.");
  });

  it("answers for a speaker named on a statement (its actor, title or words), and for a side", () => {
    expect(ask("what did Kim say about rice tariffs?").facts[0]?.fact.id).toBe(koreaView.id);
    // "Smith" is named in the U.S. position's summary.
    expect(ask("what did Smith say about rice tariffs?").facts[0]?.fact.id).toBe(usView.id);
    expect(ask("what does Seoul want on rice tariffs?").facts[0]?.fact.id).toBe(koreaView.id);
  });
});

describe("round 7: places, as-of days and span ends", () => {
  it("reads DC as Washington, the city (a glossary entry with its reason)", () => {
    const entry = GLOSSARY.find((e) => e.terms.includes("dc"));
    expect(entry?.terms).toContain("washington");
    expect(entry?.note).toMatch(/abbreviation/);
    expect(ask("who led the first round of rice talks in DC?").facts[0]?.fact.id).toBe(talks1.id);
    expect(ask("which round of rice talks was held in D.C.?").facts[0]?.fact.id).toBe(talks1.id);
  });

  it("reads 'announced' as proclaimed, a measure's official announcement (a glossary entry with its reason)", () => {
    const proclaimed = fact("event", "2010-03-08", "US", "Rice tariffs proclaimed");
    const exempted = fact("event", "2010-04-30", "US", "Korea exempted from rice tariffs");
    const a = answerQuestion(parseQuestion("when were the rice tariffs announced?", "2011-01-01"), [...FACTS, proclaimed, exempted]);
    expect(a.facts[0]?.fact.id).toBe(proclaimed.id);
    expect(GLOSSARY.find((e) => e.terms.includes("announced"))?.terms).toContain("proclaimed");
  });

  it("reads 'mid-Feb 2019' as the 15th, and a day in brackets after the as-of day as that day, not a period asked for", () => {
    const mid = readTimeWords("as of mid-Feb 2019 what is due?", "2020-01-01");
    expect(mid.mentions.map((m) => [m.prep, m.start, m.end])).toEqual([["as-of", "2019-02-15", "2019-02-15"]]);
    const q = parseQuestion("as of mid-Feb 2019 (2/14/2019) what's the most recent deficit number?", "2020-01-01");
    expect(q.asOf).toBe("2019-02-14");
    expect(q.asOfGiven).toBe(true);
    expect(q.periods).toEqual([]);
    expect(q.range).toBeUndefined();
  });

  it("reads a span end's own year as the days it fell in, and its ordinals as titles write them", () => {
    const q = parseQuestion("how long did it take from the 2001 signing to entry into force?", "2011-01-01");
    expect(q.parts?.map((p) => p.filter((t) => !t.frame).map((t) => t.word))).toEqual([
      ["the", "signing"],
      ["entry", "into", "force"],
    ]);
    expect(q.partSpans?.[0]).toEqual({ since: "2001-01-01", until: "2001-12-31" });
    const a = ask("how long did it take from the 2001 signing to entry into force?");
    // Not the implementing act, whose summary only mentions entry into force.
    expect(a.facts.map((f) => f.fact.id)).toEqual([signed.id, inForce.id]);
    expect(a.lead).toMatch(/^974 days from/);
    expect(ask("how many days separated round 1 and round 3 of the rice talks?").facts.map((f) => f.fact.id)).toEqual([talks1.id, talks3.id]);
  });
});

describe("round 7: what is outstanding", () => {
  const request = fact("event", "2020-01-01", "both", "Panel requests a report on rice");
  const due = fact("deadline", "2020-03-01", "both", "Rice report must be delivered", { event: "rice-report-due", after: { days: 60, fromId: request.id }, visibleFrom: "2020-01-01" });
  const delivered = fact("event", "2020-03-05", "both", "Rice report delivered to the panel", { closes: { event: "rice-report-due", outcome: "met" } });
  const later = fact("deadline", "2020-09-01", "both", "Beef review must be finished", { event: "beef-review-due", visibleFrom: "2020-05-01" });
  const record = [request, due, delivered, later];
  const on = (text: string, today: string) => answerQuestion(parseQuestion(text, today), record);

  it("reads 'outstanding' as still owed: with nothing past due, the open deadline not yet due answers", () => {
    const a = on("anything outstanding / past due right now?", "2020-06-01");
    expect(a.found).toBe(true);
    expect(a.facts.map((f) => f.fact.id)).toEqual([later.id]);
    expect(a.lead).toMatch(/^Nothing past due as of 2020-06-01; 1 deadline outstanding, not yet due: “Beef review must be finished”, due 2020-09-01/);
    // Past due and still open: that one, as before.
    expect(on("anything outstanding?", "2020-03-03").facts[0]?.fact.id).toBe(due.id);
    // "Overdue" asks past due only: the met-late report is offered, not the answer.
    expect(on("anything overdue?", "2020-06-01").found).toBe(false);
  });
});

describe("round 7: what happened with a subject, and who holds a role", () => {
  it("reads 'what happened with X' with no span as asking about X; recency words still ask the last 30 days", () => {
    const a = ask("what happened with the rice implementing act?");
    expect(a.found).toBe(true);
    expect(a.facts[0]?.fact.id).toBe(actSigned.id);
    // "What's new on X" asks what is recent: nothing in the 30 days to 2011-01-01, with the latest on it offered as older.
    const recent = ask("what's new on the rice talks?");
    expect(recent.found).toBe(false);
    expect(recent.lead).toBe("Nothing on record for the 30 days to 2011-01-01.");
    expect(recent.related[0]?.fact.id).toBe(talks3.id);
    expect(recent.relatedLabel).toBe("The latest on this subject, before 2010-12-02");
    // With no subject, the last 30 days, as before.
    expect(ask("what happened?").question.range?.label).toBe("the 30 days to 2011-01-01");
  });

  it("answers 'who is X' from the names the record writes beside the role, newest first, one person under two spellings", () => {
    const record = [
      ...FACTS,
      fact("event", "2010-05-01", "both", "Rice ministers meet", { summary: "Korea's farm minister Lee Jae-min opens the meeting." }),
      fact("event", "2010-09-01", "both", "Rice ministers meet again", {
        sources: [{ title: "Joint statement by ROK Minister for Farming Jae Min Lee (wire)", url: "https://example.org/js", date: "2010-09-02" }],
      }),
      fact("event", "2009-01-01", "Korea", "Farm ministry reshuffle", { summary: "Korea's farm minister Choi Sun-ho takes office." }),
      fact("event", "2010-03-05", "both", "Vice talks", { summary: "Led by Deputy farm minister Han Dong-su." }),
    ];
    const a = answerQuestion(parseQuestion("who is korea's farm minister?", "2011-01-01"), record);
    expect(a.found).toBe(true);
    expect(a.lead).toBe(
      "Jae Min Lee (also written Lee Jae-min), by the record's newest mention as of 2011-01-01: “ROK Minister for Farming Jae Min Lee” (2010-09-02). Also named: Choi Sun-ho (2009-01-01: “Korea's farm minister Choi Sun-ho”).",
    );
    // As of a day before the newer mentions, the one named by then.
    expect(answerQuestion(parseQuestion("who was korea's farm minister as of 2009-06-01?", "2011-01-01"), record).lead).toMatch(/^Choi Sun-ho, by the record's newest mention as of 2009-06-01/);
    // "Deputy farm minister" is another role; a verb is no role ("who is leading the talks").
    expect(a.lead).not.toMatch(/Han Dong-su/);
    expect(answerQuestion(parseQuestion("who is leading the rice talks?", "2011-01-01"), record).lead).not.toMatch(/newest mention/);
  });
});

describe("round 7: a subject said only in a summary", () => {
  it("answers with a fact whose summary says the question's whole subject, quoting the sentence that says it", () => {
    const outcomes = fact("event", "2010-07-01", "both", "Deal reached in Busan", { summary: "Talks ran late. The U.S. fact sheet lists the outcomes: rice, beef, pharmaceuticals." });
    const record = [...FACTS, outcomes];
    const a = answerQuestion(parseQuestion("what did the US get on pharmaceuticals in the deal?", "2011-01-01"), record);
    expect(a.found).toBe(true);
    expect(a.facts[0]?.fact.id).toBe(outcomes.id);
    expect(a.lead).toBe("2010-07-01: “Deal reached in Busan”. Its summary: “The U.S. fact sheet lists the outcomes: rice, beef, pharmaceuticals.”");
    // The glossary's words count ("drugs" for pharmaceuticals); a noun no fact knows still sinks it.
    expect(answerQuestion(parseQuestion("what did the US get on drugs?", "2011-01-01"), record).facts[0]?.fact.id).toBe(outcomes.id);
    expect(answerQuestion(parseQuestion("what did the US get on pharmaceuticals and insulin?", "2011-01-01"), record).found).toBe(false);
  });

  it("quotes, for 'who', the summary's sentence saying the question's words the title does not", () => {
    expect(ask("who led the first round of rice talks?").lead).toBe(
      "Both sides: “First round of rice talks in Washington” (2010-03-01). Its summary: “Led by Assistant Secretary Jane Doe and Deputy Minister Park Ji-won.”",
    );
  });
});

describe("round 7: the latest on a subject", () => {
  it("answers 'as of D, what was the latest on X' with the newest steps on X by then, however long before", () => {
    const record = [...FACTS, fact("event", "2010-08-01", "both", "Amendment negotiations open on beef")];
    const a = answerQuestion(parseQuestion("as of 2010-12-01 what was the latest on the talks?", "2011-01-01"), record);
    expect(a.question.intent).toBe("what-changed");
    expect(a.found).toBe(true);
    // "Talks" finds "negotiations" inside the glossary phrase "amendment negotiations" (the renegotiation entry).
    expect(a.lead).toBe("As of 2010-12-01, the latest step on record on this subject: “Amendment negotiations open on beef” (2010-08-01).");
    expect(a.facts.map((f) => f.fact.id).slice(1)).toEqual([talks3.id, talks2.id]);
  });
});

describe("round 7: when a measure started", () => {
  it("reads 'when did X start' as the day X takes effect, an effective-date deadline, before the event announcing it", () => {
    const announced = fact("event", "2010-04-30", "US", "Korea exempted from rice tariffs, subject to a quota");
    const starts = fact("deadline", "2010-05-01", "US", "Korea's rice quota takes effect", { dueKind: "effective" });
    // "Start" is a word the store knows well (talks open, start, begin), said by neither quota fact.
    const opened = ["beef", "pork", "corn", "wheat", "fish"].map((w, i) => fact("note", `2010-02-0${i + 1}`, "both", `${w} timetable`, { summary: `The ${w} talks opened.` }));
    const record = [...FACTS, announced, starts, ...opened];
    expect(answerQuestion(parseQuestion("when did the rice quota start?", "2011-01-01"), record).facts[0]?.fact.id).toBe(starts.id);
    // Asked when Korea was exempted, the event.
    expect(answerQuestion(parseQuestion("when was Korea exempted under the rice quota?", "2011-01-01"), record).facts[0]?.fact.id).toBe(announced.id);
  });
});

describe("round 7: whether sources disagree", () => {
  const src = (title: string) => [{ title, url: `https://example.org/${encodeURIComponent(title)}` }];
  const deal = fact("event", "2010-07-28", "both", "Rice deal reached", {
    sources: src("Joint statement"),
    disputed: [{ says: "2010-07-26, the day the ministry announced it", source: { title: "Ministry release", url: "https://example.org/m" } }],
  });
  const figure = (value: number, period: string, title: string) =>
    fact("figure", `${period}-12-31`, "US", title, { figure: { series: "rice-imports", period, value, unit: "USD million" } as Fact["figure"], sources: src(title) });
  const record = [
    ...FACTS,
    deal,
    figure(10, "2008", "Rice imports: $10 million in 2008"),
    figure(12, "2009", "Rice imports: $12 million in 2009"),
    figure(12.5, "2009", "Ministry puts 2009 rice imports at $12.5 million"),
  ];
  const on = (text: string) => answerQuestion(parseQuestion(text, "2011-01-01"), record);

  it("leads with the disagreement when asked whether sources differ, or says there is none", () => {
    expect(on("do sources disagree on when the rice deal was reached?").lead).toBe(
      "Sources differ on “Rice deal reached”: 2010-07-28 per Joint statement; other readings: “2010-07-26, the day the ministry announced it” per Ministry release.",
    );
    expect(on("do sources differ on when the rice pact entered into force?").lead).toBe("No other reading of “Rice pact enters into force” is on record: 2004-01-01 per Wire report.");
  });

  it("lists the disputed periods of a series asked about with no period", () => {
    const a = on("anything disputed about the rice imports figures?");
    expect(a.found).toBe(true);
    expect(a.lead).toBe("Rice imports: sources differ on 1 period of 2 (2008 to 2009): 2009, 12 USD million or 12.5 USD million.");
    expect(a.facts).toHaveLength(2);
  });
});

describe("round 7: a comparison of two periods", () => {
  it("reads 'how did 2015 compare to 2014' as the change between them, earlier first", () => {
    const q = parseQuestion("how did the 2015 deficit compare to 2014?", "2020-01-01");
    expect(q.intent).toBe("change");
    expect(q.periods.map((p) => p.key)).toEqual(["2014", "2015"]);
    expect(q.tokens.filter((t) => !t.frame && t.word === "compare")).toEqual([]);
  });
});

describe("round 7: seasons", () => {
  it("reads a season of a year as its meteorological months, winter running into the next year", () => {
    const fall = readTimeWords("what changed in the fall of 2018?", "2020-01-01").mentions;
    expect(fall.map((m) => [m.start, m.end])).toEqual([["2018-09-01", "2018-11-30"]]);
    expect(parseQuestion("what changed in the fall of 2018?", "2020-01-01").range?.label).toBe("fall 2018 (2018-09-01 to 2018-11-30)");
    expect(readTimeWords("what happened in winter 2019?", "2020-01-01").mentions.map((m) => [m.start, m.end])).toEqual([["2019-12-01", "2020-02-29"]]);
    expect(readTimeWords("news in autumn 2017", "2020-01-01").mentions[0]?.label).toBe("fall 2017 (2017-09-01 to 2017-11-30)");
  });
});
