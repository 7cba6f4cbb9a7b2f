import { readFileSync } from "node:fs";
import { marked, type Tokens } from "marked";
import { beforeAll, describe, expect, it } from "vitest";
import { addDays } from "../../../src/facts/dates.js";
import { parseFactLines } from "../../../src/facts/jsonl-read.js";
import type { Fact } from "../../../src/facts/model.js";
import { assembleMemo, type AssembleInput, MAX_LISTED_DEADLINES } from "../../../src/memos/assemble.js";
import type { MemoTemplate, SectionInput } from "../../../src/memos/templates/template.js";
import { briefVariables } from "../../../src/briefs/brief-context.js";
import { shippedTemplates } from "../../support/templates.js";

const loadTemplate = async (id: string) => (await shippedTemplates()).get(id);

/** The facts of prisma/seed/source-article.jsonl, numbered in file order, relative deadlines resolved. */
function seedFacts(): Fact[] {
  const text = readFileSync(new URL("../../../prisma/seed/source-article.jsonl", import.meta.url), "utf8");
  const { facts: lines, errors } = parseFactLines(text);
  expect(errors).toEqual([]);
  const facts: Fact[] = [];
  for (const line of lines) {
    const after = line.after;
    const from = after ? facts.find((f) => f.date === after.from.date && f.title === after.from.title) : undefined;
    if (after && !from) throw new Error(`line ${line.line}: no fact to count from`);
    const date = after && from ? addDays(from.date, after.days) : line.date;
    if (!date) throw new Error(`line ${line.line}: no date`);
    facts.push({
      id: facts.length + 1,
      kind: line.kind,
      date,
      known: line.known ?? null,
      title: line.title,
      summary: line.summary,
      actor: line.actor,
      sources: line.sources,
      disputed: line.disputed,
      event: line.event ?? null,
      visibleFrom: line.known ?? date,
      confidence: line.confidence,
      topic: line.topic,
      after: after && from ? { days: after.days, fromId: from.id } : null,
      retracted: false,
    });
  }
  return facts;
}

const PREP_SECTIONS: Record<string, SectionInput> = {
  purpose: {
    text: "Prepare our principal for the first-ever special session of the KORUS Joint Committee, requested by the United States on 12 July 2017, and agree the line we take on the scope of any changes to the agreement.",
    author: "J. Park",
    state: "final",
  },
  background: {
    text: 'USTR Robert Lighthizer asked his Korean counterpart for the session to consider "possible amendments and modifications" to KORUS. The session must be held within 30 days of the request; no date has been agreed yet.',
    author: "J. Park",
    state: "final",
  },
  us_position: {
    text: "Washington frames the request around the trade imbalance and market access for U.S. exports. It wants the agreement to benefit the U.S. economy as much as Korea's.",
    author: "M. Rivera",
    state: "final",
  },
  korean_position: {
    text: "Seoul is cautious. It wants to keep the framework and first review whether KORUS caused the imbalance.\n\n# Our reading\n\nThe review also buys time while the government reorganizes.",
    author: "S. Kim",
    state: "final",
  },
  market_access: {
    text: '- The U.S. letter names "several problems regarding market access in Korea for U.S. exports" but no sectors.\n- Ask which issues Korea is ready to discuss first.',
    author: "M. Rivera",
    state: "final",
  },
  risks: { text: "", state: "waiting" },
  talking_points: {
    text: "1. We want a fair and balanced relationship, not the end of KORUS.\n2. Market access for U.S. exports is the first test.\n3. We are ready to agree a date within the 30 days.",
    author: "J. Park",
    state: "final",
  },
  next_steps: {
    text: "- Propose dates for the session to the Korean side this week.\n- Circulate this memo to the principal by Friday.",
    author: "S. Kim",
    state: "drafted",
  },
};

describe("assembleMemo: special-session-prep from the seed facts", () => {
  let template: MemoTemplate;
  let facts: Fact[];
  let input: AssembleInput;

  beforeAll(async () => {
    template = await loadTemplate("special-session-prep");
    facts = seedFacts();
    input = {
      template,
      title: "KORUS Joint Committee special session: prep memo",
      date: "2017-07-20",
      authors: ["J. Park", "M. Rivera", "S. Kim"],
      banner: "PRE-DECISIONAL / DELIBERATIVE",
      sections: PREP_SECTIONS,
      facts,
    };
  });

  it("renders the whole memo", () => {
    const memo = assembleMemo(input);
    expect(memo.missingRequired).toEqual(["risks"]);
    expect(memo.markdown).toMatchInlineSnapshot(`
      "**PRE-DECISIONAL / DELIBERATIVE**

      # KORUS Joint Committee special session: prep memo

      **Date:** 2017-07-20 (Thu)  
      **Authors:** J. Park, M. Rivera, S. Kim  
      **Sections:** 6 final; 1 drafted (Next steps); 1 missing (Risks)

      ## Purpose

      Prepare our principal for the first-ever special session of the KORUS Joint Committee, requested by the United States on 12 July 2017, and agree the line we take on the scope of any changes to the agreement.

      ## Background

      USTR Robert Lighthizer asked his Korean counterpart for the session to consider "possible amendments and modifications" to KORUS. The session must be held within 30 days of the request; no date has been agreed yet.

      **Developments on record (last 90 days)**

      - 2017-07-12 (Wed): U.S. requests the first-ever special session of the KORUS Joint Committee [1, 2, 3]
      - 2017-07-12 (Wed): The two sides are expected to meet soon to agree on a date for the session [1, 2]
      - 2017-07-12 (Wed): Korean government reorganization could delay the special session [1, 4]
      - 2017-07-12 (Wed): U.S. deficit in goods trade with Korea has persisted for "nearly two decades" [1, 3]
      - 2017-07-12 (Wed): Overall U.S. trade deficit with Korea has increased since KORUS took effect in 2012 [1, 3]
      - 2017-07-12 (Wed): U.S. goods trade deficit with Korea has doubled since KORUS took effect in 2012 [1, 2, 3]

      **Key figures**

      - 2017-07-12 (Wed): U.S. deficit in goods trade with Korea has persisted for "nearly two decades" (United States) [1, 3]
      - 2017-07-12 (Wed): Overall U.S. trade deficit with Korea has increased since KORUS took effect in 2012 (United States) [1, 3]
      - 2017-07-12 (Wed): U.S. goods trade deficit with Korea has doubled since KORUS took effect in 2012 (United States) [1, 2, 3]

      ## U.S. position

      Washington frames the request around the trade imbalance and market access for U.S. exports. It wants the agreement to benefit the U.S. economy as much as Korea's.

      **U.S. positions on record**

      - 2017-07-12 (Wed): U.S. seeks "a truly fair and level playing field and a more balanced trade relationship" [1, 3]

      ## Korean position

      Seoul is cautious. It wants to keep the framework and first review whether KORUS caused the imbalance.

      ### Our reading

      The review also buys time while the government reorganizes.

      **Korean positions on record**

      - 2017-07-13 (Thu): Korea wants to keep the KORUS framework and first review whether it caused the trade imbalance _(inferred)_ [1]

      ## Market-access issues

      - The U.S. letter names "several problems regarding market access in Korea for U.S. exports" but no sectors.
      - Ask which issues Korea is ready to discuss first.

      **On record about market access**

      - 2017-07-12 (Wed): U.S. requests the first-ever special session of the KORUS Joint Committee [1, 2, 3]
      - 2017-07-12 (Wed): Lighthizer: "several problems regarding market access in Korea for U.S. exports" [1, 3]

      ## Risks

      _(missing: Risks)_

      **Notes on record**

      - 2017-07-12 (Wed): The two sides are expected to meet soon to agree on a date for the session [1, 2]
      - 2017-07-12 (Wed): Korean government reorganization could delay the special session [1, 4]

      ## Recommended talking points

      1. We want a fair and balanced relationship, not the end of KORUS.
      2. Market access for U.S. exports is the first test.
      3. We are ready to agree a date within the 30 days.

      **Quotes on record**

      - 2017-07-13 (Thu): Korean officials: a special session "doesn't mean that the two parties have started renegotiations" _(inferred)_ [1]
      - 2017-07-13 (Thu): Foreign ministry (AP): review whether KORUS "is the cause of the trade imbalance between the two countries" _(inferred)_ [1]
      - 2017-07-13 (Thu): Yeo Han-koo (WSJ): Korea "wants to keep the framework as it is, not shaking it up greatly" _(inferred)_ [1]
      - 2017-07-12 (Wed): Lighthizer: "several problems regarding market access in Korea for U.S. exports" [1, 3]
      - 2017-07-12 (Wed): Lighthizer: KORUS must benefit "the U.S. economy as much as it does that of Korea" [1, 3]

      ## Next steps

      - Propose dates for the session to the Korean side this week.
      - Circulate this memo to the principal by Friday.

      **Deadlines ahead**

      - **Special session of the KORUS Joint Committee must be held**: due 2017-08-11 (Fri), 22 days left; 30 days after “U.S. requests the first-ever special session of the KORUS Joint Committee” (2017-07-12) [1, 5, 2]

      ## Timeline

      - 2017-07-12 (Wed), event: U.S. requests the first-ever special session of the KORUS Joint Committee [1, 2, 3]
      - 2017-07-12 (Wed), position: U.S. seeks "a truly fair and level playing field and a more balanced trade relationship" [1, 3]
      - 2017-07-12 (Wed), note: Korean government reorganization could delay the special session [1, 4]
      - 2017-07-12 (Wed), note: The two sides are expected to meet soon to agree on a date for the session [1, 2]
      - 2017-07-12 (Wed), figure: U.S. goods trade deficit with Korea has doubled since KORUS took effect in 2012 [1, 2, 3]
      - 2017-07-12 (Wed), figure: Overall U.S. trade deficit with Korea has increased since KORUS took effect in 2012 [1, 3]
      - 2017-07-12 (Wed), figure: U.S. deficit in goods trade with Korea has persisted for "nearly two decades" [1, 3]
      - 2017-07-12 (Wed), quote: Lighthizer: KORUS must benefit "the U.S. economy as much as it does that of Korea" [1, 3]
      - 2017-07-12 (Wed), quote: Lighthizer: "several problems regarding market access in Korea for U.S. exports" [1, 3]
      - 2017-07-13 (Thu), position: Korea wants to keep the KORUS framework and first review whether it caused the trade imbalance _(inferred)_ [1]
      - 2017-07-13 (Thu), quote: Yeo Han-koo (WSJ): Korea "wants to keep the framework as it is, not shaking it up greatly" _(inferred)_ [1]
      - 2017-07-13 (Thu), quote: Foreign ministry (AP): review whether KORUS "is the cause of the trade imbalance between the two countries" _(inferred)_ [1]
      - 2017-07-13 (Thu), quote: Korean officials: a special session "doesn't mean that the two parties have started renegotiations" _(inferred)_ [1]
      - 2017-08-11 (Fri), deadline: Special session of the KORUS Joint Committee must be held [1, 5, 2]

      ## Upcoming deadlines

      - **Special session of the KORUS Joint Committee must be held**: due 2017-08-11 (Fri), **22 days left**; 30 days after “U.S. requests the first-ever special session of the KORUS Joint Committee” (2017-07-12) [1, 5, 2]

      ## Sources

      1. Trade news item, July 2017: U.S. requests KORUS special session
      2. [USTR press release of 12 July 2017 calling the special session of the KORUS Joint Committee](https://ustr.gov/about-us/policy-offices/press-office/press-releases/2017/july/ustr-calls-special-session-under-us) (2017-07-12)
      3. [Lighthizer's letter of 12 July 2017 to Korea's trade minister Joo Hyung-hwan (copy posted by Inside U.S. Trade)](https://insidetrade.com/sites/insidetrade.com/files/documents/jul2017/wto2017_0228.pdf) (2017-07-12)
      4. [Specialty Fabrics Review, USTR requests special session on U.S.-Korea free trade agreement](https://specialtyfabricsreview.com/2017/07/13/ustr-requests-special-session-on-u-s-korea-free-trade-agreement/) (2017-07-13)
      5. [USTR, KORUS FTA final text, Chapter 22 (Institutional Provisions and Dispute Settlement), Article 22.2](https://ustr.gov/trade-agreements/free-trade-agreements/korus-fta/final-text)
      "
    `);
  });

  it("uses every seed fact, each cited with its source number", () => {
    const memo = assembleMemo(input);
    expect(memo.factsUsed.map((f) => f.id).sort((a, b) => a - b)).toEqual(facts.map((f) => f.id));
    const sources = memo.markdown.slice(memo.markdown.indexOf("## Sources"));
    // The news item first (every seed fact cites it first), then the public documents that say the same.
    expect(sources).toMatch(/^## Sources\n\n1\. Trade news item, July 2017: U\.S\. requests KORUS special session\n2\. \[USTR press release/);
    const listed = sources.split("\n").filter((l) => /^\d+\. /.test(l)).length;
    // Every line listing a fact (not the sections' own lists) ends with its citation, the news item's number first.
    const cited = new Set<number>();
    for (const line of memo.markdown.split("\n").filter((l) => /^- (\d{4}-|\*\*)/.test(l))) {
      const mark = / \[(1(?:, \d+)*)\]$/.exec(line);
      expect(mark, line).not.toBeNull();
      for (const n of mark![1]!.split(", ")) cited.add(Number(n));
    }
    expect([...cited].sort((a, b) => a - b)).toEqual(Array.from({ length: listed }, (_, i) => i + 1));
  });

  it("counts days left from the memo date", () => {
    const early = assembleMemo({ ...input, date: "2017-07-12" }).markdown;
    expect(early).toContain("due 2017-08-11 (Fri), **30 days left**");
    const late = assembleMemo({ ...input, date: "2017-08-20" }).markdown;
    expect(late).toContain("**Overdue deadlines**");
    expect(late).toContain("was due 2017-08-11 (Fri), overdue by 9 days");
    expect(late.slice(late.indexOf("## Upcoming deadlines"))).toContain("None on record.");
  });

  it("leaves out facts not yet known on the memo date, and retracted ones", () => {
    const memo = assembleMemo({
      ...input,
      date: "2017-07-12",
      facts: [
        ...facts,
        { ...facts[0]!, id: 100, title: "Retracted event", retracted: true },
        { ...facts[0]!, id: 101, date: "2017-07-11", known: "2017-07-30", visibleFrom: "2017-07-30", title: "Learned later" },
      ],
    });
    expect(memo.markdown).not.toContain("Retracted event");
    expect(memo.markdown).not.toContain("Learned later");
    // The Korean reaction (dated 13 July) is not known yet on 12 July.
    expect(memo.markdown).not.toContain("Korea wants to keep the KORUS framework");
    expect(memo.factsUsed.every((f) => f.date <= "2017-07-12" || f.kind === "deadline")).toBe(true);
  });

  it("has no banner line unless given one", () => {
    expect(assembleMemo(input).markdown.startsWith("**PRE-DECISIONAL / DELIBERATIVE**\n\n# KORUS")).toBe(true);
    const { banner: _banner, ...rest } = input;
    expect(assembleMemo(rest).markdown.startsWith("# KORUS Joint Committee special session: prep memo\n")).toBe(true);
  });

  it("keeps a hostile section inside its section", () => {
    const hostile = ["# Takeover heading", "Setext takeover", "===", "[1]: https://evil.example/", "<!-- swallow the rest", "", "```", "unclosed fence"].join("\n");
    const memo = assembleMemo({ ...input, sections: { ...PREP_SECTIONS, korean_position: { text: hostile, state: "final" } } });
    const headings = marked
      .lexer(memo.markdown)
      .filter((t): t is Tokens.Heading => t.type === "heading")
      .map((t) => `${t.depth} ${t.text}`);
    expect(headings.filter((h) => h.startsWith("1 ") || h.startsWith("2 "))).toEqual([
      "1 KORUS Joint Committee special session: prep memo",
      "2 Purpose",
      "2 Background",
      "2 U.S. position",
      "2 Korean position",
      "2 Market-access issues",
      "2 Risks",
      "2 Recommended talking points",
      "2 Next steps",
      "2 Timeline",
      "2 Upcoming deadlines",
      "2 Sources",
    ]);
    expect(headings).toContain("3 Takeover heading");
    // The definition is plain text, so no " [1]" citation of the memo can become a link to it.
    expect(Object.keys(marked.lexer(memo.markdown).links)).toEqual([]);
    expect(marked.parse(memo.markdown)).not.toMatch(/<a [^>]*>1<\/a>/);
  });

  it("lists sources with links, one number per source, in the order first cited", () => {
    const a = { title: "USTR letter", url: "https://ustr.gov/letter(1)" };
    const b = { title: "Yonhap [report]" };
    const extra: Fact[] = [
      { ...facts[7]!, id: 200, date: "2017-07-14", title: "Second U.S. position", sources: [a] },
      { ...facts[7]!, id: 201, date: "2017-07-15", title: "Third U.S. position", sources: [b] },
      { ...facts[7]!, id: 202, date: "2017-07-16", title: "Fourth U.S. position", sources: [{ title: " USTR   letter ", url: a.url }] },
    ];
    const memo = assembleMemo({ ...input, facts: [...facts, ...extra] });
    const sources = memo.markdown
      .slice(memo.markdown.indexOf("## Sources"))
      .split("\n")
      .filter((l) => /^\d+\. /.test(l));
    // Numbered 1, 2, 3... with each source once: the letter once under both spellings of its title.
    expect(sources.map((l) => Number(/^(\d+)\./.exec(l)![1]))).toEqual(sources.map((_, i) => i + 1));
    expect(new Set(sources.map((l) => l.replace(/^\d+\. /, ""))).size).toBe(sources.length);
    expect(sources[0]).toBe("1. Trade news item, July 2017: U.S. requests KORUS special session");
    const letter = sources.filter((l) => l.endsWith(". [USTR letter](https://ustr.gov/letter%281%29)"));
    // A title is plain text: its brackets show as typed and can never become a link.
    const yonhap = sources.filter((l) => l.endsWith(". Yonhap \\[report\\]"));
    expect([letter.length, yonhap.length]).toEqual([1, 1]);
    const [l, y] = [letter[0]!, yonhap[0]!].map((x) => Number(/^(\d+)\./.exec(x)![1]));
    expect(y).toBe(l! + 1);
    expect(memo.markdown).toContain(`Fourth U.S. position [${l}]`);
    expect(memo.markdown).toContain(`Second U.S. position [${l}]`);
    expect(memo.markdown).toContain(`Third U.S. position [${y}]`);
  });
});

describe("assembleMemo: missing sections", () => {
  it("shows placeholders, summarizes the state, and lists the missing required keys", async () => {
    const template = await loadTemplate("negotiation-round-readout");
    const memo = assembleMemo({
      template,
      title: "Round 1 readout",
      date: "2017-10-04",
      authors: [],
      sections: { summary: { text: "Talks opened.", state: "drafted" }, outcomes: { text: "None yet.", state: "final" } },
      facts: [],
    });
    expect(memo.missingRequired).toEqual(["us_asks", "korean_asks", "open_issues", "next_round"]);
    expect(memo.markdown).toContain("**Sections:** 1 final; 1 drafted (Summary); 5 missing (Attendees, optional; U.S. asks; Korean asks; Open issues; Next round)");
    expect(memo.markdown).toContain("_(missing: U.S. asks)_");
    expect(memo.markdown).not.toContain("## Attendees");
    expect(memo.markdown).not.toContain("**Author");
    expect(memo.markdown).toContain("## Sources\n\nNone.\n");
    expect(memo.factsUsed).toEqual([]);
  });
});

describe("assembleMemo: weekly brief", () => {
  it("says None. for missing lists", async () => {
    const template = await loadTemplate("weekly-brief");
    const memo = assembleMemo({ template, title: "Weekly KORUS brief", date: "2017-07-17", authors: [], sections: {}, facts: [] });
    expect(memo.markdown).toBe(
      [
        "# Weekly KORUS brief",
        "",
        "**Date:** 2017-07-17 (Mon)",
        "",
        "## What changed since the last brief",
        "",
        "None.",
        "",
        "## Upcoming deadlines",
        "",
        "None.",
        "",
        "## Latest positions",
        "",
        "None.",
        "",
        "## Open memos",
        "",
        "None.",
        "",
        "## Sources",
        "",
        "None.",
        "",
      ].join("\n"),
    );
    expect(memo.missingRequired).toEqual([]);
  });

  it("fills changes, memos and the headline from the brief context", async () => {
    const template = await loadTemplate("weekly-brief");
    const facts = seedFacts();
    const retracted = { ...facts[2]!, id: 50, title: "A retracted note", retracted: true };
    const memo = assembleMemo({
      template,
      title: "Weekly KORUS brief",
      date: "2017-07-17",
      authors: [],
      sections: {},
      facts: [...facts, retracted],
      variables: briefVariables({
        headline: "Special session requested\n# not a heading",
        changes: [
          { change: "new", fact: facts[0]! },
          { change: "edited", fact: facts[7]! },
          { change: "retracted", fact: retracted },
        ],
        memos: [{ title: "Special session prep", state: "collecting sections", due: "2017-07-21" }],
      }),
    });
    expect(memo.markdown).toContain("**Special session requested # not a heading**");
    expect(memo.markdown).toContain("- _New:_ U.S. requests the first-ever special session of the KORUS Joint Committee (2017-07-12 (Wed)) [1, 2, 3]");
    expect(memo.markdown).toContain("- _Edited:_ U.S. seeks");
    expect(memo.markdown).toContain("- _Retracted:_ ~~A retracted note~~ (2017-07-12 (Wed))\n");
    expect(memo.markdown).toContain("- Special session prep: collecting sections, due 2017-07-21 (Fri)");
    expect(memo.markdown).toContain("- **Special session of the KORUS Joint Committee must be held**: due 2017-08-11 (Fri), 25 days left [1, 4, 2]");
    expect(memo.markdown).not.toContain("## Timeline");
    expect(memo.factsUsed.map((f) => f.id)).not.toContain(50);
  });
});

describe("assembleMemo: scale", () => {
  it("assembles 10 sections of 2 KB with 10,000 facts, listing at most the limits", async () => {
    const template = await loadTemplate("special-session-prep");
    const kinds = ["event", "deadline", "figure", "position", "quote", "note"] as const;
    const facts: Fact[] = Array.from({ length: 10_000 }, (_, i) => ({
      id: i + 1,
      kind: kinds[i % kinds.length]!,
      date: addDays("2010-01-01", i % 4000),
      known: null,
      title: `Fact ${i + 1} about market access`,
      summary: "",
      actor: i % 2 ? "US" : "Korea",
      sources: [{ title: `Source ${i % 500}` }],
      disputed: [],
      event: null,
      visibleFrom: kinds[i % kinds.length] === "deadline" ? "2000-01-01" : addDays("2010-01-01", i % 4000),
      confidence: "confirmed",
      topic: "korus",
      after: null,
      retracted: false,
    }));
    const text = `${"Paragraph text about the agreement. ".repeat(28)}\n\n`.repeat(2).slice(0, 2048);
    const sections = Object.fromEntries(template.sections.map((s) => [s.key, { text, state: "final" as const }]));
    const memo = assembleMemo({ template, title: "Scale", date: "2015-06-01", authors: ["A"], sections, facts });
    const upcoming = memo.markdown.slice(memo.markdown.indexOf("## Upcoming deadlines"), memo.markdown.indexOf("## Sources"));
    expect(upcoming.split("\n").filter((l) => l.startsWith("- **"))).toHaveLength(MAX_LISTED_DEADLINES);
    expect(upcoming).toMatch(/- …and \d+ more upcoming deadlines\./);
    expect(memo.factsUsed.length).toBeLessThan(100);
  });
});
