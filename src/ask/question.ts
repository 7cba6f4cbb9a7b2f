/**
 * Reading a question without a language model: what it asks for (its intent), the day it is asked as of, the span of
 * days or the figure periods it names, the side it names, and the words left that say what it is about. The intent
 * rules are ours: patterns of how a trade team asks, not of any one question.
 */
import { addDays, type IsoDate } from "../facts/dates.js";
import type { Period } from "../figures/period.js";
import { partsOfSpeech } from "./parts-of-speech.js";
import { readTimeWords, type TimeMention } from "./time-words.js";
import { isStopWord } from "./similarity.js";
import { type Intent, intentOf } from "./intents.js";
import { type Token, tokenize } from "./tokens.js";

export { type Intent, INTENTS } from "./intents.js";

/** A question, read. */
export interface Question {
  text: string;
  intent: Intent;
  /** The day the answer is as of: facts not known by then are not used (default: today). */
  asOf: IsoDate;
  /** True when the question named its as-of day. */
  asOfGiven: boolean;
  /** The span of days it is about ("in March 2018", "since last week", "between A and B"), if it names one. */
  range?: { since?: IsoDate; until?: IsoDate; label: string };
  /** The figure periods it names, in order ("the deficit in 2016", "from 2016 to 2018"). */
  periods: Period[];
  /** The side it names, if one: "US" or "Korea". */
  side?: "US" | "Korea";
  /** True when it asks about the future ("when is the next round", "will"). */
  future: boolean;
  /** For "min" or "max" questions ("which year did the deficit peak", "the lowest"). */
  extreme?: "max" | "min";
  /** The words of what it is about (question, intent and time words removed). */
  tokens: Token[];
  /** Days it names without a year ("March 28", "the 26th or the 28th"), as "MM-DD": facts on such a day rank first. */
  monthDays?: string[];
  /** For "how many days from A to B": the two parts' words. */
  parts?: [Token[], Token[]];
  /** The days an end names of its own ("the 2007 signing"), if any. */
  partSpans?: [{ since: IsoDate; until: IsoDate } | undefined, { since: IsoDate; until: IsoDate } | undefined];
  /** "in the month before the deal was signed": a span of days before or after a fact the words name. */
  anchor?: { tokens: Token[]; days: number; after: boolean; label: string };
  /** True when its words were tagged with their parts of speech (src/ask/parts-of-speech.ts, loaded on demand). */
  tagged: boolean;
  /** Read untagged, and the reading would depend on the tags (a span with no other words: listing or subject?). */
  needsTags?: boolean;
  /** For a position: the words naming who took it ("what did Navarro say", "Lighthizer's view"), if it names someone. */
  speaker?: Token[];
}

/** The words of a change of a figure ("rose", "dropped", "widened"). */
const CHANGE_WORDS =
  /\b(?:change|changed|rise|rose|risen|fall|fell|fallen|drop|dropped|grow|grew|grown|widen|widened|narrow|narrowed|shrink|shrank|shrunk|increase|increased|decrease|decreased|go up|go down|went up|went down|up or down)\b/;

/** Words that say what kind of answer is wanted, not what it is about. */
const FRAME_WORDS = new Set(
  (
    "deadline deadlines due next upcoming coming pending looming overdue past missed slipped behind late lapsed days day " +
    "weeks week months month years year time left remaining long soon changed change changes happened happen new news " +
    "latest recent developments development position positions stance view views stand think wants want demands " +
    "source sources cite cites citation citations documented record figure figures number value amount level size total " +
    "peak peaked highest largest biggest lowest smallest maximum minimum top rise rose fall fell drop dropped grow grew " +
    "widen widened narrow narrowed increase increased decrease decreased city place country side sides exactly " +
    "learn hear anything something happen miss met late slip slips slipping outstanding obligation obligations date dates " +
    "say says said step steps stage stages status stand clock thing things blown last event events " +
    "shrink shrank shrunk shrinking rises risen falls fallen drops grows grown growing widens narrows increases decreases " +
    // What a deadline is called besides ("the 30-day rule", "the requirement"): the kind of fact, not its subject.
    "requirement requirements rule rules cutoff basis open extended withdrawn " +
    // "On the calendar" asks for dates, as "on the clock" does; "in the series" names a figure series, as "figures" does.
    "calendar series " +
    // "Sourcing for X" asks X's sources, as "sources for X" does.
    "sourcing sourced " +
    // "How did 2015 compare to 2014?": a comparison is asked, not its subject.
    "compare compares compared comparison versus vs " +
    // "What's on deck?" asks what is next up, as "on the clock" asks what is running.
    "deck " +
    // A party's delegation or team is its side in talks ("who led Korea's team", "who headed the two delegations"), as
    // "side" is: who took part, not what the talks were about.
    "delegation delegations team teams " +
    // What a side wants, by other names ("Washington's goal", "Seoul's priorities"): the position asked for, as "stance" is.
    "goal goals aim aims objective objectives priority priorities " +
    // "Is the date contested?", "do sources disagree": whether sources differ is asked, not a subject ("dispute" can be
    // one: the WTO dispute).
    "contested disagree disagrees differ differs conflicting contradictory inconsistent discrepancy discrepancies"
  ).split(" "),
);

/** Asking for a catch-up: "catch me up on Q1", "bring us up to speed", "fill me in", "a recap of March". */
const CATCH_UP = /\b(?:catch|bring) (?:me|us|them) up\b|\bup to speed\b|\bfill (?:me|us|them) in\b|\b(?:recap|run-?down|round-?up)\b/;
/** The words of asking for a catch-up ("catch me up", "up to speed", "fill me in", "recap"), frame in a what-changed question. */
const CATCH_UP_WORDS = new Set("catch bring speed fill recap rundown run-down roundup round-up".split(" "));

/**
 * Who a position question asks about: the subject of its verb of saying or wanting ("what did Navarro say", "what does
 * Seoul want"), the owner of a stance ("Lighthizer's view on"), or who stands somewhere ("where does Korea stand").
 */
const SPEAKER = [
  /\bwhat (?:did|does|do|has|have|had) (.+?) (?:say|said|says|saying|state|stated|claim|claimed|think|thinks|thought|want|wants|wanted|argue|argued|demand|demanded|insist|insisted|propose|proposed)\b/i,
  /\b(?:what(?:'s| is| was| are| were)) ((?:[\w.-]+ ){0,3}?[\w.-]+)(?:'s|s') (?:position|stance|view|views|line)\b/i,
  /\bwhere (?:does|did|do) (.+?) stand\b/i,
];

/** The store's topic (src/ask/answer.ts reads the "korus" facts): "on KORUS" in a question names the whole record. */
const TOPIC = new Set(["korus"]);
/** The intents that list over the record (a span's facts, the deadlines, the latest step), where the topic is no filter. */
const TOPIC_LISTING_INTENTS: ReadonlySet<Intent> = new Set(["what-changed", "next-deadline", "overdue", "deadline-state", "state"]);

/** The intents that list deadlines: their head words ("which items are due") say what is listed, not its subject. */
const DEADLINE_LISTS: ReadonlySet<Intent> = new Set(["next-deadline", "overdue"]);
/** The words that open a listing's subject: "overdue items on steel", "what's due for autos". */
const SUBJECT_OPENERS = new Set("on about for regarding concerning involving over with in of to from under around re".split(" "));

/**
 * Marks the words of what a listing lists: the words before its first preposition ("which items are due next", "any
 * overdue tasks", "past-due items on korus"), and the noun the topic qualifies ("on the KORUS file", "the KORUS
 * front": the whole record, by another name); its subject, if any, follows a preposition ("deadlines on beef").
 */
function markHeads(tokens: Token[]): Token[] {
  const opener = tokens.findIndex((t) => SUBJECT_OPENERS.has(t.word));
  return tokens.map((t, i) => (opener < 0 || i < opener || TOPIC.has(tokens[i - 1]?.word ?? "") ? { ...t, head: true } : t));
}

function sideOf(tokens: readonly Token[]): Question["side"] {
  const words = new Set(tokens.map((t) => t.word));
  const korea = ["korea", "korean", "seoul", "rok", "motie"].some((w) => words.has(w));
  const us = ["usa", "america", "american", "ustr", "washington"].some((w) => words.has(w));
  return korea && !us ? "Korea" : us && !korea ? "US" : undefined;
}

const ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"];
const CARDINALS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];
/** "round two", "session 3": a number after a noun of a series is an ordinal; written first ("second round"), as titles do. */
function ordinalsFirst(text: string): string {
  return text.replace(/\b(rounds?|sessions?|phases?|parts?|meetings?)\s+(one|two|three|four|five|six|seven|eight|nine|ten|[1-9]|10)\b/gi, (_m, noun: string, n: string) => {
    const i = /^\d+$/.test(n) ? Number(n) - 1 : CARDINALS.indexOf(n.toLowerCase());
    return `${ORDINALS[i]} ${noun}`;
  });
}

/**
 * The two ends of "how many days from A to B", "between A and B", "after A until B", "how many days after A did B
 * happen" and "how long did B take after A", earlier end first.
 */
function spanEnds(text: string): [string, string] | undefined {
  // "And" joins the two ends only after "between": "after Trump and Moon signed" names one end, by two people.
  const m = /\b(?:between|separated?|separating)\b(.+?)\b(?:and|to|until|till|before)\b(.+)$/i.exec(text) ?? /\b(?:from|after)\b(.+?)\b(?:to|until|till|before)\b(.+)$/i.exec(text);
  if (m) return [m[1]!, m[2]!];
  // "how many days after A did B happen": A, then B; "how long did B take after A": the words after "after" are the
  // earlier end.
  const afterDid = /\bafter\b(?!\s*(?:it|they|this|that|these|those)\s)(.+?)\b(?:did|was|were|had|has|have)\b(.+)$/i.exec(text);
  if (afterDid) return [afterDid[1]!, afterDid[2]!];
  const after = /^(.+)\bafter\b(.+)$/i.exec(text);
  return after ? [after[2]!, after[1]!] : undefined;
}

/** "in the month before X", "the two weeks after X", "the 10 days leading up to X". */
const ANCHORED_SPAN =
  /\b(?:in |during |over )?the (?:(\d{1,3}|two|three|four|five|six|seven|eight|nine|ten) )?(?:(day|days|week|weeks|month|months|year|years)) (before|after|following|leading up to|prior to) (.+)$/i;
const UNIT_DAYS = { day: 1, week: 7, month: 30, year: 365 } as const;

/** English contractions typed without their apostrophe ("whats", "didnt"): a closed class of words. */
const BARE_CONTRACTIONS = /\b(what|where|when|who|how|that|there)s\b|\b(did|does|do|was|were|is|are|has|have|had|would|could|should)nt\b/gi;
/** A year written with two digits after an apostrophe ("Sept '18", "in ’17"). */
const SHORT_YEAR = /(^|[\s(])['’](\d{2})\b(?!['’])/g;

/** The forms people type for speed, written out: "whats" is "what's", "didnt" is "didn't", "'18" is 2018. */
function typedForms(text: string): string {
  return text
    .replace(BARE_CONTRACTIONS, (_m, wh: string | undefined, aux: string | undefined) => (wh ? `${wh}'s` : `${aux}n't`))
    .replace(SHORT_YEAR, (_m, before: string, yy: string) => `${before}${Number(yy) < 50 ? 20 : 19}${yy}`);
}

/** The range a mention names, read with its preposition. */
function rangeOf(m: TimeMention, asOf: IsoDate): NonNullable<Question["range"]> {
  switch (m.prep) {
    case "since":
      return { since: m.relative ? m.start : m.start, until: asOf, label: m.relative ? m.label : `since ${m.label}` };
    case "before":
      return { until: addDays(m.start, -1), label: `before ${m.label}` };
    case "until":
      return { until: m.end, label: `until ${m.label}` };
    default:
      return { since: m.start, until: m.end, label: m.label };
  }
}

/**
 * Reads a question, as of `today` (the team's today) unless it names its own day; with the parts of speech of its words
 * when the tagger is loaded (`untagged`: without them even then).
 */
export function parseQuestion(text: string, today: IsoDate, options: { untagged?: boolean } = {}): Question {
  const clean = typedForms(text.replace(/\s+/g, " ").trim());
  let intent = intentOf(clean);
  // "in the month before X", "the two weeks after X": the span hangs on a fact, found when answering.
  const anchored = ANCHORED_SPAN.exec(clean);
  const timeText = anchored ? clean.slice(0, anchored.index) : clean;
  const first = readTimeWords(timeText, today);
  // The as-of day: "as of D", "the week to D"; for questions about the state on a day, also "on D" / "in D".
  const stateIntent = ["next-deadline", "overdue", "countdown", "position", "deadline", "state"].includes(intent);
  // "overdue by D", "what's due by D": "by" a day is as of it for the deadline intents.
  const byDay = ["next-deadline", "overdue"].includes(intent) ? ["until"] : [];
  const asOfMention =
    first.mentions.find((m) => m.prep === "as-of" || m.prep === "week-to") ??
    (stateIntent ? first.mentions.find((m) => (m.prep === "in" || m.prep === "none" || byDay.includes(m.prep)) && m.start === m.end && !m.relative) : undefined);
  // A day restating the as-of day in brackets ("as of mid-Feb 2019 (2/15/2019)") is the day, said exactly.
  const restated = asOfMention ? first.mentions[first.mentions.indexOf(asOfMention) + 1] : undefined;
  const asOf = asOfMention ? (restated?.prep === "restates" ? restated.end : asOfMention.end) : today;
  // Relative words count from the as-of day.
  const { mentions, rest, monthDays } = asOfMention ? readTimeWords(timeText, asOf) : first;
  // A restatement names no period or span of its own.
  const others = mentions.filter((m) => !(m.index === asOfMention?.index) && m.prep !== "restates");
  let range: Question["range"];
  if (asOfMention?.prep === "week-to") range = { since: addDays(asOf, -6), until: asOf, label: `the week to ${asOf}` };
  const between = others.findIndex((m) => m.prep === "between-start");
  if (between >= 0 && others[between + 1]) {
    const a = others[between]!;
    const b = others[between + 1]!;
    range = { since: a.start, until: b.end, label: `${a.label} to ${b.label}` };
  } else if (others[0]) range ??= rangeOf(others[0], asOf);
  const periods = others.map((m) => m.period).filter((p): p is Period => p !== undefined);

  // Slack's angle-bracket forms (<!channel>, <@U1>, <url|label>) and links are not what a question is about.
  const plain = ordinalsFirst(
    rest
      .replace(/<[^>]*>/g, " ")
      .replace(/\bhttps?:\/\/\S+/gi, " ")
      .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1"),
  );
  // Tagged in the whole sentence (a word's part of speech depends on its neighbours), applied to the words left.
  // Untagged when the tagger is not loaded: src/ask/answer.ts loads it and reads again when the tags could matter.
  // Tagged as it is read: "round 2" as "second round" (the tagger reads "round" before a number as a verb).
  const tags = options.untagged ? undefined : partsOfSpeech(ordinalsFirst(clean.replace(/<[^>]*>/g, " ")));
  const all = tokenize(plain).map((t) => (tags ? { ...t, modifier: tags.modifiers.has(t.word), noun: tags.nouns.has(t.word) } : t));
  const lower = ` ${clean.toLowerCase()} `;
  // "Will" asks ahead when it is the question's own verb ("when will the round be held"); after an opening "what's" or
  // "what was" it sits in a clause describing the subject ("what's the cap Korea will take"), a standing commitment.
  const willInClause = /^\s*(?:what|which|who|where|how \w+)(?:'s| is| was| are| were| did| does| do)\b/.test(lower) && !/\bwhat(?:'s| is) going to\b/.test(lower);
  const future =
    (willInClause
      ? /\b(?:next|upcoming|coming|going to|scheduled|planned)\b(?! (?:in|into|from|through|out|under|over|across)\b)/
      : /\b(?:will|next|upcoming|coming|going to|scheduled|planned)\b(?! (?:in|into|from|through|out|under|over|across)\b)/
    ).test(lower) && !/\bnext deadline\b/.test(lower);
  let extreme: Question["extreme"];
  if (intent === "peak") extreme = /\b(?:lowest|smallest|minimum)\b/.test(lower) ? "min" : "max";
  // "what changed ... in the deficit" with a figure period pair is a change of a series; without, a list.
  // "How much did the deficit drop in 2018", "how has it changed since 2016": one period and a change word ask the change
  // to or from it (src/ask/figures.ts); with no period, a list of what changed.
  if ((intent === "how-much" || intent === "what") && periods.length === 1 && CHANGE_WORDS.test(lower)) intent = "change";
  // "How did the 2015 deficit compare to 2014?": two periods compared is the change between them, earlier first.
  if (["how-much", "what", "when"].includes(intent) && periods.length === 2 && /\b(?:compare[sd]?|comparison|versus|vs)\b/.test(lower)) {
    intent = "change";
    periods.sort((a, b) => a.start.localeCompare(b.start));
  }
  if (intent === "change" && periods.length === 0 && !/\bfrom\b.*\bto\b|\bbetween\b/.test(lower)) intent = "what-changed";
  // "As of D, had Korea agreed to ...?", "On D, was there an agreement ...?": a yes-or-no question about the state on a
  // day, answered with the newest steps on its subject by then.
  if (asOfMention && ["what", "when", "who"].includes(intent) && /^(?:had|has|have|was|were|is|are|did|does|do)\b/i.test(rest.replace(/^[\s,]+/, ""))) intent = "state";
  // A question over a span with no noun of its own ("what went on in March", "what did we see in Q3") asks what changed.
  const spanQuestion = intent === "what" && range && periods.length <= 1;
  if (spanQuestion && tags && !all.some((t) => t.noun && !TOPIC.has(t.word))) intent = "what-changed";
  // The store's topic names the whole record, not a subject within it, when a question lists or counts over it.
  const topicIsFrame = TOPIC_LISTING_INTENTS.has(intent);
  // "Korea's line": a side's line is its position, not a subject ("red lines" is one).
  const lineIsFrame = intent === "position" && /\b\w+(?:'s|s') line\b/.test(lower.replace(/[’]/g, "'"));
  // "Any updates in January?": what a listing of a span is called, not its subject ("the USTR update" elsewhere is one).
  const updateIsFrame = intent === "what-changed";
  // "Catch me up on Q1", "bring us up to speed", "fill me in", "a recap of March": how a listing of a span is asked for.
  // On a span, or on nothing named, it asks what changed; on a subject with no span ("a recap of the steel talks") it
  // asks about the subject.
  const catchUp = intent === "what" && CATCH_UP.test(lower);
  const catchUpIsFrame = (w: string) => catchUp && CATCH_UP_WORDS.has(w);
  // "The legal basis for X" asks for what X rests on: its sources, as "the basis for" does.
  const legalIsFrame = intent === "sources" && /\blegal basis\b/.test(lower);
  // "Which official wrote ...", "which agency ...": the kind of actor a who question asks for, not its subject.
  const askedKind = intent === "who" ? /\bwhich (side|country|party|official|agency|government|body|ministry|department)\b/.exec(lower)?.[1] : undefined;
  const frameHere = (w: string) =>
    w === askedKind || (topicIsFrame && TOPIC.has(w)) || (lineIsFrame && w === "line") || (updateIsFrame && /^updates?$/.test(w)) || catchUpIsFrame(w) || (legalIsFrame && w === "legal");
  // "Heading into the session", "headed for a vote": to head into or for a place is to go toward it (dictionary: head,
  // v., to move in a direction), not to lead (the glossary's "head").
  const motion = (i: number) => /^head(?:s|ed|ing)?$/.test(all[i]!.word) && /^(?:into|to|for|toward|towards)$/.test(all[i + 1]?.word ?? "");
  const framed = all.map((t, i) => ((FRAME_WORDS.has(t.word) && !t.name) || frameHere(t.word) || motion(i) ? { ...t, frame: true } : t));
  const content = DEADLINE_LISTS.has(intent) ? markHeads(framed) : framed;
  if (catchUp && (range || content.every((t) => t.frame || isStopWord(t)))) intent = "what-changed";
  let parts: Question["parts"];
  let partSpans: Question["partSpans"];
  if (intent === "span") {
    // The two ends, read where the time words were taken out; when a time word was part of an end ("from the 2007
    // signing to entry into force") and taking it out broke the sentence, read in the whole text, each end's time words
    // then naming the days that end fell in.
    const found = spanEnds(ordinalsFirst(rest)) ?? spanEnds(ordinalsFirst(clean));
    const frame = (t: Token) => (FRAME_WORDS.has(t.word) ? { ...t, frame: true } : t);
    if (found) {
      const read = found.map((end) => readTimeWords(end, asOf));
      parts = [tokenize(read[0]!.rest).map(frame), tokenize(read[1]!.rest).map(frame)];
      const spans = read.map((r) => (r.mentions.length === 1 ? { since: r.mentions[0]!.start, until: r.mentions[0]!.end } : undefined));
      if (spans.some((x) => x)) partSpans = [spans[0], spans[1]];
    }
  }
  let anchor: Question["anchor"];
  // "the week before 2018-03-30": a day, not a fact, is the anchor.
  const anchorDay = anchored ? readTimeWords(anchored[4]!, asOf) : undefined;
  const day = anchorDay?.mentions.length === 1 && !/[a-z]{3}/i.test(anchorDay.rest) ? anchorDay.mentions[0]! : undefined;
  if (anchored) {
    const n = anchored[1] ? (/^\d+$/.test(anchored[1]) ? Number(anchored[1]) : CARDINALS.indexOf(anchored[1].toLowerCase()) + 1) : 1;
    const unit = anchored[2]!.toLowerCase().replace(/s$/, "") as keyof typeof UNIT_DAYS;
    anchor = {
      tokens: tokenize(anchored[4]!).map((t) => (FRAME_WORDS.has(t.word) ? { ...t, frame: true } : t)),
      days: n * UNIT_DAYS[unit],
      after: /^(?:after|following)$/i.test(anchored[3]!),
      label: `${n === 1 ? `the ${unit}` : `the ${n} ${unit}s`} ${/^(?:after|following)$/i.test(anchored[3]!) ? "after" : "before"}`,
    };
    if (day) {
      const [since, until] = anchor.after ? [addDays(day.end, 1), addDays(day.end, anchor.days)] : [addDays(day.start, -anchor.days), addDays(day.start, -1)];
      range = { since, until, label: `${anchor.label} ${day.label} (${since} to ${until})` };
      anchor = undefined;
    }
  }
  const speakerText = intent === "position" ? SPEAKER.map((re) => re.exec(clean.replace(/[’]/g, "'"))?.[1]).find((m) => m !== undefined) : undefined;
  const speaker = speakerText ? tokenize(speakerText).filter((t) => !isStopWord(t) && !FRAME_WORDS.has(t.word)) : [];
  return {
    ...(anchor ? { anchor } : {}),
    ...(speaker.length > 0 ? { speaker } : {}),
    text: clean,
    intent,
    asOf,
    asOfGiven: asOfMention !== undefined,
    ...(range ? { range } : {}),
    periods,
    ...(sideOf(all) ? { side: sideOf(all)! } : {}),
    future,
    ...(extreme ? { extreme } : {}),
    tokens: content,
    ...(parts ? { parts } : {}),
    ...(partSpans ? { partSpans } : {}),
    ...(monthDays.length > 0 ? { monthDays } : {}),
    tagged: tags !== undefined,
    ...(spanQuestion && !tags ? { needsTags: true } : {}),
  };
}
