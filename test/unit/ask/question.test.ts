import { beforeAll, describe, expect, it } from "vitest";
import { answerQuestion, tagsMatter } from "../../../src/ask/answer.js";
import { GLOSSARY } from "../../../src/ask/glossary.js";
import { loadTagger, taggerLoaded } from "../../../src/ask/parts-of-speech.js";
import { parseQuestion } from "../../../src/ask/question.js";
import type { Fact } from "../../../src/facts/model.js";
import { FactMatcher, isStopWord, stem } from "../../../src/ask/similarity.js";
import { tokenize } from "../../../src/ask/tokens.js";
import { readTimeWords } from "../../../src/ask/time-words.js";
import { sentencesWithin } from "../../../src/render/sentences.js";

const TODAY = "2018-04-15";
const intent = (text: string) => parseQuestion(text, TODAY).intent;

// The tagger is loaded on demand (src/ask/parts-of-speech.ts); these tests read questions as a warm bot does.
beforeAll(async () => {
  await loadTagger();
});

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

  it("reads the round-3 forms: spans whose first day has no year, 'from A to B' as one span, state and yes-or-no questions on a day", () => {
    // The first day takes the year of the next date that names one.
    expect(parseQuestion("what went on between Oct 3 and Nov 12, 2016?", TODAY).range).toMatchObject({ since: "2016-10-03", until: "2016-11-12" });
    expect(parseQuestion("news from 2016-02-01 to 2016-02-29", TODAY).range).toMatchObject({ since: "2016-02-01", until: "2016-02-29" });
    expect(readTimeWords("what is the tariff now", TODAY).mentions).toEqual([]);
    // A span with no noun of its own lists it; "anything happen", "any updates" ask what changed.
    expect(intent("What went on in June 2016?")).toBe("what-changed");
    expect(intent("Any updates on autos in 2019?")).toBe("what-changed");
    expect(parseQuestion("Did anything happen on KORUS in May 2016?", TODAY)).toMatchObject({ intent: "what-changed" });
    // Where things stood on a day; a stance on a subject stays a position.
    expect(parseQuestion("Where did the autos talks stand on 2019-03-01?", TODAY)).toMatchObject({ intent: "state", asOf: "2019-03-01" });
    expect(parseQuestion("Where did the negotiations stand on March 3, 2019?", TODAY)).toMatchObject({ intent: "state", asOf: "2019-03-03" });
    expect(intent("Where does Korea stand on rice?")).toBe("position");
    expect(intent("Where did Korea want the talks to be held?")).toBe("where");
    expect(intent("As of 2018-12-31 where were things on the amended agreement?")).toBe("state");
    expect(parseQuestion("As of 2016-05-01, had the two sides met?", TODAY)).toMatchObject({ intent: "state", asOf: "2016-05-01" });
    // Deadlines: "coming due", "on the clock", and "by D" as the as-of day.
    expect(parseQuestion("What is coming due as of 2016-01-04?", TODAY)).toMatchObject({ intent: "next-deadline", asOf: "2016-01-04" });
    expect(parseQuestion("What was overdue by 2016-09-09?", TODAY)).toMatchObject({ intent: "overdue", asOf: "2016-09-09" });
    // Two named events.
    expect(intent("How long from the summit to the ratification?")).toBe("span");
    expect(intent("Days between the first round and the third round?")).toBe("span");
    // A span hung on a fact or on a day.
    expect(parseQuestion("What happened in the two weeks after the summit in Busan?", TODAY).anchor).toMatchObject({ days: 14, after: true });
    expect(parseQuestion("What changed in the week before 2016-06-10?", TODAY).range).toMatchObject({ since: "2016-06-03", until: "2016-06-09" });
    // "the last event" says how a state question is put, not what it is about.
    expect(parseQuestion("What was the last event before 2016?", TODAY)).toMatchObject({ intent: "state", range: { until: "2015-12-31" } });
    expect(parseQuestion("What was the last event before 2016?", TODAY).tokens.filter((t) => !t.frame && !isStopWord(t))).toEqual([]);
    // "round three", "session 2" are ordinals, written as titles write them.
    expect(
      parseQuestion("Where was session 2 of the talks?", TODAY)
        .tokens.map((t) => t.word)
        .slice(0, 4),
    ).toEqual(["where", "was", "second", "session"]);
    expect(parseQuestion("When was round three held?", TODAY).tokens.map((t) => t.word)).toContain("third");
    // "What is X after?" asks what X wants; "the deadline after the request" does not.
    expect(intent("What is Tokyo after on rice?")).toBe("position");
    expect(intent("What is the deadline after the request?")).toBe("deadline");
    // "the 90-day window" counts from something: a deadline.
    expect(intent("When does the 90-day window on the rice talks close?")).toBe("deadline");
    // "OK'd" is "OKed"; "they'd" is a pronoun and an auxiliary.
    expect(tokenize("The Senate OK'd it; they'd waited").map((t) => t.word)).toEqual(["the", "senate", "oked", "it", "they", "waited"]);
    // Pronouns and the store's topic name no subject in a listing.
    const overdue = parseQuestion("Anything on KORUS slipping past its due date?", TODAY);
    expect(overdue.tokens.filter((t) => !t.frame && !isStopWord(t)).map((t) => t.word)).toEqual([]);
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

  it("reads the plainer ways to ask for deadlines, slips, spans and what happened", () => {
    expect(intent("Is anything pending as of 2018-04-30?")).toBe("next-deadline");
    expect(intent("Did we slip on any deadline?")).toBe("overdue");
    expect(intent("Which obligations were past their due date?")).toBe("overdue");
    expect(parseQuestion("What's happened since the start of 2019?", TODAY)).toMatchObject({ intent: "what-changed", range: { since: "2019-01-01", until: TODAY } });
    const span = parseQuestion("How long did Korea take to ratify the amendments after they were signed?", TODAY);
    expect(span.intent).toBe("span");
    // The words after "after" are the earlier end.
    expect(span.parts!.map((p) => p.map((t) => t.word).join(" "))).toEqual(["they were signed", "how long did korea take to ratify the amendments"]);
  });

  it("reads a change with one period, a time since, and what someone said", () => {
    expect(intent("How much did the deficit drop in 2018?")).toBe("change");
    expect(intent("How has the deficit changed since 2016?")).toBe("change");
    expect(intent("How long has the amended KORUS been in force?")).toBe("countdown");
    expect(intent("How many days since the auto report?")).toBe("countdown");
    expect(intent("What did Lighthizer say?")).toBe("position");
  });

  it("tags each word's part of speech: verbs and adjectives are marked, nouns and names are not", () => {
    const words = (text: string) => Object.fromEntries(parseQuestion(text, TODAY).tokens.map((t) => [t.word, t.modifier ? "modifier" : t.noun ? "noun" : "-"]));
    expect(words("What date did the original deal come into force?")).toMatchObject({ original: "modifier", deal: "noun", force: "noun" });
    expect(words("What is the tariff on Korean beef?")).toMatchObject({ tariff: "noun", beef: "noun" });
    expect(words("When is the next round of talks?")).toMatchObject({ round: "noun", talks: "noun" });
  });

  it("reads forms typed for speed and the ways a deadline is named", () => {
    // Contractions without their apostrophe, years with two digits ("its" stays a possessive).
    expect(parseQuestion("as of 5/20/19 whats pending next", TODAY)).toMatchObject({ intent: "next-deadline", asOf: "2019-05-20" });
    expect(parseQuestion("what went on with korus in sept '18?", TODAY)).toMatchObject({ intent: "what-changed", range: { since: "2018-09-01", until: "2018-09-30" } });
    expect(parseQuestion("what happened in ’99?", TODAY).range).toMatchObject({ since: "1999-01-01" });
    expect(parseQuestion("its deal", TODAY).text).toBe("its deal");
    expect(parseQuestion("didnt Korea agree?", TODAY).text).toBe("didn't Korea agree?");
    // A deadline named as a requirement or rule, met or not; "by what date".
    expect(intent("did the joint committee meet the art. 22.2.4 30-day requirement?")).toBe("deadline-state");
    expect(intent("Did they miss the 90-day cutoff?")).toBe("deadline-state");
    expect(intent("by what date did the session have to convene?")).toBe("deadline");
    expect(
      parseQuestion("where does the 30-day rule come from?", TODAY)
        .tokens.filter((t) => t.frame)
        .map((t) => t.word),
    ).toEqual(["day", "rule"]);
  });

  it("reads a question untagged on demand, and knows when its tags could change the answer", () => {
    expect(taggerLoaded()).toBe(true);
    expect(parseQuestion("When is the next round of talks?", TODAY)).toMatchObject({ tagged: true });
    const untagged = parseQuestion("When is the next round of talks?", TODAY, { untagged: true });
    expect(untagged.tagged).toBe(false);
    expect(untagged.tokens.some((t) => t.noun || t.modifier)).toBe(false);
    const made = (id: number, title: string) => ({ id, date: "2012-03-15", visibleFrom: "2012-03-15", title, summary: "", actor: "both", kind: "event", sources: [], disputed: [] }) as unknown as Fact;
    const facts = [made(1, "KORUS enters into force"), made(2, "U.S. imposes safeguards on washers"), made(3, "Second round of talks in Seoul")];
    const matters = (text: string) => tagsMatter(parseQuestion(text, TODAY, { untagged: true }), facts);
    // Every word known to the facts: the tags change nothing.
    expect(matters("When did KORUS enter into force?")).toBe(false);
    // A word no fact knows: a noun ("beef") weighs fully, a verb or adjective ("original") little.
    expect(matters("When did the beef deal enter into force?")).toBe(true);
    expect(matters("When did the original deal enter into force?")).toBe(true);
    // A common English word the titles use ("round") weighs fully as a noun.
    expect(matters("When was the second round?")).toBe(true);
    // A span with no other words: a listing, unless a noun names a subject.
    expect(matters("What was on in March 2018?")).toBe(true);
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
    // "past-due" written hyphenated asks for overdue deadlines; "on deck" (next up) for the next ones.
    expect(intent("past-due items as of 8/20/2017")).toBe("overdue");
    expect(intent("what's on deck as of April 30th, 2018?")).toBe(intent("what's coming up as of April 30th, 2018?"));
    expect(intent("what's on deck?")).not.toBe("none");
    // A capital B on an amount is billions, as "bn" is; a lone "B" or "Plan B" is not touched.
    expect(tokenize("a $27.6B gap, 3B units").map((t) => t.word)).toEqual(tokenize("a $27.6bn gap, 3bn units").map((t) => t.word));
    expect(tokenize("Plan B").map((t) => t.word)).not.toContain("bn");
  });

  it("stems with Porter2 and drops function words, but not the common words the store's titles use", () => {
    expect(stem("ratifies")).toBe(stem("ratify"));
    expect(stem("negotiations")).toBe(stem("negotiated"));
    const [round] = tokenize("round");
    expect(isStopWord(round!)).toBe(true);
    expect(isStopWord(round!, new Set(["round"]))).toBe(false);
    const [the] = tokenize("the");
    expect(isStopWord(the!, new Set(["the"]))).toBe(true);
    // Auxiliaries carry no subject even where a title uses one ("as it does that of Korea").
    for (const word of ["does", "did", "can", "will", "was"]) expect(isStopWord(tokenize(word)[0]!, new Set([stem(word)])), word).toBe(true);
  });

  it("reads an amount with its currency sign and unit as the number and the unit, and the glossary's trade abbreviations", () => {
    expect(tokenize("$27.7bn or €3m").map((t) => t.word)).toEqual(["27.7", "bn", "or", "3", "m"]);
    expect(tokenize("Section 232").map((t) => t.word)).toEqual(["section", "232"]);
    const made = (id: number, title: string) => ({ id, title, summary: "", actor: "both", kind: "event", sources: [], disputed: [] }) as unknown as Fact;
    const cars = made(1, "Korea to accept up to 50,000 U.S.-standard cars per maker");
    const update = made(2, "USTR update on the auto talks due");
    const deficit = made(3, "Goods deficit: $27.7 billion in 2016");
    const matcher = new FactMatcher([cars, update, deficit, made(4, "Korea exempted from steel tariffs")]);
    const coverage = (f: Fact, text: string) => matcher.match(f, matcher.terms(tokenize(text))).coverage;
    expect(coverage(cars, "US-spec cars")).toBe(1);
    expect(coverage(update, "has USTR reported back on the auto talks")).toBeGreaterThan(0.9);
    expect(coverage(deficit, "a 27.7bn deficit")).toBe(1);
  });

  it("reads initials written in capitals as the store's name of them, unless ambiguous or known themselves", () => {
    const made = (id: number, title: string, summary = "") => ({ id, title, summary, actor: "both", kind: "event", sources: [], disputed: [] }) as unknown as Fact;
    const session = made(1, "Special session of the Joint Committee meets in New York");
    const matcher = new FactMatcher([session, made(2, "Korea Herald reports"), made(3, "Kim Hyun speaks"), made(4, "The AP reports on the NAFTA talks")]);
    const words = (text: string) => matcher.terms(tokenize(text)).flatMap((t) => t.words);
    expect(words("when did the JC meet in NY?")).toEqual(expect.arrayContaining(["joint", "committee", "new", "york"]));
    expect(matcher.match(session, matcher.terms(tokenize("where did the JC meet?"))).coverage).toBeGreaterThan(0.9);
    // Lowercase is a word, not initials; "KH" stands for two names; "AP" is a word the store itself uses.
    expect(words("the jc")).toEqual(["jc"]);
    expect(words("what did KH say")).toEqual(["kh"]);
    expect(words("what did AP say")).toEqual(["ap"]);
  });

  it("weighs a word no fact knows fully when it is a noun, little when it is a verb or adjective", () => {
    const made = (id: number, title: string) => ({ id, title, summary: "", actor: "both", kind: "event", sources: [], disputed: [] }) as unknown as Fact;
    const fact = made(1, "KORUS enters into force");
    const matcher = new FactMatcher([fact, made(2, "U.S. imposes safeguards on washers"), made(3, "National Assembly ratifies the amendments")]);
    const coverage = (text: string) => matcher.match(fact, matcher.terms(parseQuestion(text, TODAY).tokens)).coverage;
    expect(coverage("When did the original agreement come into force?")).toBeGreaterThan(0.6);
    expect(coverage("When did the beef agreement come into force?")).toBeLessThan(0.5);
  });
});

describe("round 5's forms", () => {
  it("reads ordinals and thousands written in figures as titles write them: '2nd' is 'second', '50k' is 50000", () => {
    expect(tokenize("the 2nd special session, the 3rd round").map((t) => t.word)).toEqual(["the", "second", "special", "session", "the", "third", "round"]);
    expect(tokenize("the 50k cars").map((t) => t.word)).toEqual(["the", "50000", "cars"]);
    // A number too long to be an amount is left as typed (no "1e+23" in the search offered).
    expect(tokenize("99999999999999999999k").map((t) => t.word)).toEqual(["99999999999999999999k"]);
    // A day of the month is read by the time words first, and a larger number is left alone.
    expect(tokenize("the 21st century").map((t) => t.word)).toEqual(["the", "21st", "century"]);
  });

  it("joins a span's two ends with 'and' only after 'between': 'after Trump and Moon signed' is one end", () => {
    const q = parseQuestion("how long did the National Assembly take to ratify the amendments after Trump and Moon signed them in NY?", TODAY);
    expect(q.intent).toBe("span");
    expect(q.parts?.[0].map((t) => t.word)).toEqual(["trump", "and", "moon", "signed", "them", "in", "ny"]);
    expect(q.parts?.[1].map((t) => t.word)).toContain("ratify");
    const between = parseQuestion("how many days between the request and the first session?", TODAY);
    expect(between.parts?.map((p) => p.map((t) => t.word).join(" "))).toEqual(["the request", "the first session"]);
  });
});

describe("round 5's verbs beside nouns", () => {
  it("weighs a known verb below the nouns, and reads such a question tagged when the verb's weight changes the answer", () => {
    const made = (id: number, title: string) =>
      ({ id, date: `2018-01-0${id}`, visibleFrom: `2018-01-0${id}`, title, summary: "", actor: "both", kind: "event", sources: [], disputed: [] }) as unknown as Fact;
    const facts = [
      made(1, "U.S. imposes tariffs on washers"),
      made(2, "Tariffs on steel proclaimed"),
      made(3, "Tariffs on solar cells"),
      made(4, "Steel quota agreed"),
      made(5, "Rice market opened"),
      made(6, "Beef market closed"),
    ];
    const question = "When were tariffs on steel imposed?";
    // The title with both nouns comes first; the one sharing only the verb does not tie with it.
    expect(answerQuestion(parseQuestion(question, TODAY), facts).facts[0]?.fact.id).toBe(2);
    // Untagged, every word weighs as a noun, and the verb's title comes first: so the question waits for the tags.
    expect(answerQuestion(parseQuestion(question, TODAY, { untagged: true }), facts).facts[0]?.fact.id).toBe(1);
    expect(tagsMatter(parseQuestion(question, TODAY, { untagged: true }), facts)).toBe(true);
  });
});

describe("round 5's tags", () => {
  it("tags the word after 'US' as the tagger would after the country's name, not after the pronoun 'us'", () => {
    const beef = parseQuestion("what's Korea's tariff on US beef right now?", TODAY).tokens.find((t) => t.word === "beef");
    expect(beef?.noun).toBe(true);
    expect(beef?.modifier).toBe(false);
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

describe("round 6's phrasings", () => {
  it("reads a span put as 'how many days separated A and B' or 'from A to B, how many days?', with its two ends", () => {
    const separated = parseQuestion("how many days separated the request and the first session?", TODAY);
    expect(separated.intent).toBe("span");
    expect(separated.parts?.map((p) => p.map((t) => t.word).join(" "))).toEqual(["the request", "the first session"]);
    const fronted = parseQuestion("from the request to the first session, how many days?", TODAY);
    expect(fronted.intent).toBe("span");
    expect(fronted.parts?.[0].map((t) => t.word).join(" ")).toBe("the request");
    expect(fronted.parts?.[1].map((t) => t.word)).toEqual(expect.arrayContaining(["first", "session"]));
    // A countdown stays one: "how many days until X".
    expect(intent("how many days until the steel quota takes effect?")).toBe("countdown");
  });

  it("reads 'catch me up', 'up to speed', 'fill me in' and 'recap' on a span as asking what changed, their words as the frame", () => {
    for (const text of ["catch me up on Q1 2018", "bring us up to speed on March 2018", "fill me in on April 2018", "recap of March 2018"]) {
      const q = parseQuestion(text, TODAY);
      expect(q.intent, text).toBe("what-changed");
      expect(
        q.tokens.filter((t) => !t.frame && !isStopWord(t)).map((t) => t.word),
        text,
      ).toEqual([]);
    }
    // With nothing named it is what changed lately; on a subject with no span it asks about the subject.
    expect(intent("catch me up")).toBe("what-changed");
    const subject = parseQuestion("give me a recap of the steel talks", TODAY);
    expect(subject.intent).toBe("what");
    expect(subject.tokens.find((t) => t.word === "recap")?.frame).toBe(true);
  });

  it("reads 'sourcing for X' as asking X's sources", () => {
    const q = parseQuestion("sourcing for the claim that the deficit doubled?", TODAY);
    expect(q.intent).toBe("sources");
    expect(q.tokens.find((t) => t.word === "sourcing")?.frame).toBe(true);
  });

  it("asks ahead for 'will' as the question's verb, not in a clause describing its subject", () => {
    expect(parseQuestion("when will the next round be held?", TODAY).future).toBe(true);
    expect(parseQuestion("what will Korea do about the quota?", TODAY).future).toBe(true);
    expect(parseQuestion("what's the cap on cars Korea will take per maker?", TODAY).future).toBe(false);
    expect(parseQuestion("what's going to happen to the quota?", TODAY).future).toBe(true);
  });
});

describe("a day named without a year", () => {
  it("is read as a day of the month in no given year, its words out of the subject, and no span of days", () => {
    const alternatives = readTimeWords("was the deal the 26th or the 28th of March?", TODAY);
    expect(alternatives.monthDays).toEqual(["03-26", "03-28"]);
    expect(alternatives.mentions).toEqual([]);
    expect(alternatives.rest).toBe("was the deal ?");
    expect(readTimeWords("what happened on March 28?", TODAY).monthDays).toEqual(["03-28"]);
    // With a year, or a year after it ("between Feb 1 and Mar 20, 2018"), it is a day as before.
    expect(readTimeWords("on March 28, 2018", TODAY).monthDays).toEqual([]);
    expect(readTimeWords("between Feb 1 and Mar 20, 2018", TODAY).mentions.map((m) => m.start)).toEqual(["2018-02-01", "2018-03-20"]);
    const q = parseQuestion("was the deal the 26th or the 28th of March?", TODAY);
    expect(q.monthDays).toEqual(["03-26", "03-28"]);
    expect(q.range).toBeUndefined();
  });
});

describe("the agreement's names", () => {
  it("reads 'arrangement' as a name of the agreement, as 'deal' and 'pact' are: no subject of its own", () => {
    for (const word of ["arrangement", "deal", "pact"]) expect(isStopWord(tokenize(word)[0]!), word).toBe(true);
    expect(isStopWord(tokenize("quota")[0]!)).toBe(false);
  });
});
