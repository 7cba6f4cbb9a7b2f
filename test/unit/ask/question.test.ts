import { describe, expect, it } from "vitest";
import { GLOSSARY } from "../../../src/ask/glossary.js";
import { parseQuestion } from "../../../src/ask/question.js";
import { isStopWord, stem, tokenize } from "../../../src/ask/similarity.js";
import { readTimeWords } from "../../../src/ask/time-words.js";
import { sentencesWithin } from "../../../src/render/sentences.js";

const TODAY = "2018-04-15";
const intent = (text: string) => parseQuestion(text, TODAY).intent;

describe("reading a question", () => {
  it("tells the intents apart", () => {
    expect(intent("What is the next deadline?")).toBe("next-deadline");
    expect(intent("What's coming up?")).toBe("next-deadline");
    expect(intent("Which deadlines are overdue?")).toBe("overdue");
    expect(intent("Was the special session held on time?")).toBe("deadline-state");
    expect(intent("When must the special session be held?")).toBe("deadline");
    expect(intent("How many days until the quota takes effect?")).toBe("countdown");
    expect(intent("How many days from the request to the first session?")).toBe("span");
    expect(intent("What changed since last week?")).toBe("what-changed");
    expect(intent("Which year did the deficit peak?")).toBe("peak");
    expect(intent("How did the deficit change from 2016 to 2017?")).toBe("change");
    expect(intent("How much was the deficit in 2016?")).toBe("how-much");
    expect(intent("What is Korea's position on agriculture?")).toBe("position");
    expect(intent("What are the sources for the steel quota?")).toBe("sources");
    expect(intent("Who asked for the special session?")).toBe("who");
    expect(intent("Where did the first round take place?")).toBe("where");
    expect(intent("When was KORUS signed?")).toBe("when");
    expect(intent("Tell me about steel")).toBe("what");
  });

  it("reads as-of days, months, years, spans and relative words counted from the as-of day", () => {
    expect(parseQuestion("What is the next deadline as of April 30, 2018?", TODAY)).toMatchObject({ asOf: "2018-04-30", asOfGiven: true });
    expect(parseQuestion("Were we behind on 2017-08-20?", TODAY)).toMatchObject({ intent: "overdue", asOf: "2017-08-20" });
    expect(parseQuestion("what happened in March 2018", TODAY).range).toMatchObject({ since: "2018-03-01", until: "2018-03-31", label: "Mar 2018" });
    expect(parseQuestion("what changed since last week as of 2018-05-03", TODAY)).toMatchObject({ asOf: "2018-05-03", range: { since: "2018-04-26", until: "2018-05-03" } });
    expect(parseQuestion("what happened last year", TODAY).range).toMatchObject({ since: "2017-01-01", until: "2017-12-31" });
    expect(parseQuestion("what happened last year as of 2012-06-01", TODAY).range).toMatchObject({ since: "2011-01-01", until: "2011-12-31" });
    expect(parseQuestion("what happened in the week to 2018-03-30", TODAY)).toMatchObject({ asOf: "2018-03-30", range: { since: "2018-03-24", until: "2018-03-30" } });
    expect(parseQuestion("what changed between 2018-09-01 and 2018-12-31", TODAY).range).toMatchObject({ since: "2018-09-01", until: "2018-12-31" });
    expect(parseQuestion("how did the deficit change from 2016 to 2018", TODAY).periods.map((p) => p.key)).toEqual(["2016", "2018"]);
    expect(parseQuestion("deficit in the first quarter of 2018", TODAY).periods[0]?.key).toBe("2018-Q1");
    expect(parseQuestion("anything before 2017", TODAY).range).toEqual({ until: "2016-12-31", label: "before 2017" });
  });

  it("finds each time word with the word before it", () => {
    const { mentions, rest } = readTimeWords("What changed since 2019-01-01 in the deficit?", TODAY);
    expect(mentions).toMatchObject([{ prep: "since", start: "2019-01-01", end: "2019-01-01" }]);
    expect(rest).toBe("What changed in the deficit?");
  });

  it("names the side a question is about, and marks the words that only say what is asked", () => {
    expect(parseQuestion("What is Seoul's stance on farm products?", TODAY).side).toBe("Korea");
    expect(parseQuestion("What does the U.S. want on autos?", TODAY).side).toBe("US");
    const q = parseQuestion("When is the next deadline on steel?", TODAY);
    expect(q.tokens.filter((t) => t.frame).map((t) => t.word)).toEqual(["next", "deadline"]);
  });
});

describe("words", () => {
  it("tokenizes U.S., possessives, thousands and hyphens, and marks names", () => {
    expect(tokenize("Korea's 50,000 U.S.-standard cars").map((t) => t.word)).toEqual(["korea", "50000", "usa", "standard", "cars"]);
    expect(tokenize("When did China agree?").map((t) => t.name)).toEqual([false, false, true, false]);
  });

  it("stems with Porter2 and drops function words, but not the common words the store's titles use", () => {
    expect(stem("ratifies")).toBe(stem("ratify"));
    expect(stem("negotiations")).toBe(stem("negotiated"));
    const [round] = tokenize("round");
    expect(isStopWord(round!)).toBe(true);
    expect(isStopWord(round!, new Set(["round"]))).toBe(false);
    const [the] = tokenize("the");
    expect(isStopWord(the!, new Set(["the"]))).toBe(true);
  });
});

describe("the glossary", () => {
  it("has entries of at least two terms, each with a note, no term twice in one entry", () => {
    for (const entry of GLOSSARY) {
      expect(entry.terms.length, entry.terms.join()).toBeGreaterThanOrEqual(2);
      expect(entry.note.length, entry.terms.join()).toBeGreaterThan(10);
      expect(new Set(entry.terms).size, entry.terms.join()).toBe(entry.terms.length);
    }
  });
});

describe("cutting a summary", () => {
  it("keeps whole sentences within the limit, at least the first, and says when it cut", () => {
    const text = "Under the rules the session must be held within 30 days of the request. That holds unless the Parties otherwise agree, which they did.";
    expect(sentencesWithin(text, 500)).toEqual({ text, cut: false });
    expect(sentencesWithin(text, 80)).toEqual({ text: "Under the rules the session must be held within 30 days of the request.", cut: true });
    expect(sentencesWithin(text, 10).text).toBe("Under the rules the session must be held within 30 days of the request.");
    expect(sentencesWithin("The U.S. figure. Census basis, goods only.", 20)).toEqual({ text: "The U.S. figure.", cut: true });
  });
});
