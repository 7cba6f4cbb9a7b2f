import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.js";
import { SEED_ACTOR, seed, seedIfEmpty } from "../../src/db/seed.js";
import { toFact } from "../../src/facts/rows.js";
import { createTestDatabase } from "../support/test-db.js";

const ARTICLE = "Trade news item, July 2017: U.S. requests KORUS special session";

describe("seeding the facts of the source article", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase({ seed: false });
  });
  afterAll(async () => {
    await db?.close();
  });

  it("stores every fact the article states, each citing it", async () => {
    const first = await seedIfEmpty(db);
    expect(first?.added).toBe(14);
    const facts = (await db.prisma.fact.findMany({ orderBy: { id: "asc" } })).map(toFact);
    // Each cites the article first; where a public document says the same, it is cited after it, with its URL.
    for (const f of facts) expect(f.sources[0]).toEqual({ title: ARTICLE });
    for (const f of facts.filter((f) => f.sources.length > 1)) for (const s of f.sources.slice(1)) expect(s.url).toMatch(/^https:\/\//);
    expect(facts.filter((f) => f.sources.length > 1).length).toBeGreaterThanOrEqual(9);
    const titles = facts.map((f) => `${f.kind}: ${f.title}`);
    expect(titles).toEqual(
      expect.arrayContaining([
        "event: U.S. requests the first-ever special session of the KORUS Joint Committee",
        "deadline: Special session of the KORUS Joint Committee must be held",
        "note: Korean government reorganization could delay the special session",
        "figure: U.S. goods trade deficit with Korea has doubled since KORUS took effect in 2012",
        "figure: Overall U.S. trade deficit with Korea has increased since KORUS took effect in 2012",
        'figure: U.S. deficit in goods trade with Korea has persisted for "nearly two decades"',
      ]),
    );
    expect(
      facts
        .filter((f) => f.kind === "position")
        .map((f) => f.actor)
        .sort(),
    ).toEqual(["Korea", "US"]);
  });

  it("the shipped example carries every seed line as it is, so importing it into a seeded store adds no second copy", () => {
    const lines = (url: string) =>
      readFileSync(new URL(url, import.meta.url), "utf8")
        .split("\n")
        .filter((l) => l.trim());
    const example = new Set(lines("../../examples/korus-timeline.jsonl"));
    const seedLines = lines("../../prisma/seed/source-article.jsonl");
    expect(seedLines).toHaveLength(14);
    expect(seedLines.filter((l) => !example.has(l))).toEqual([]);
  });

  it("computes the special session deadline as 30 days after the request", async () => {
    const deadline = toFact((await db.prisma.fact.findFirstOrThrow({ where: { kind: "deadline" } }))!);
    const request = toFact(await db.prisma.fact.findFirstOrThrow({ where: { kind: "event" } }));
    expect(request.date).toBe("2017-07-12");
    expect(deadline.date).toBe("2017-08-11");
    expect(deadline.after).toEqual({ days: 30, fromId: request.id });
  });

  it("keeps each quote with its speaker and the outlet that reported it", async () => {
    const quotes = (await db.prisma.fact.findMany({ where: { kind: "quote" } })).map(toFact);
    const yeo = quotes.find((q) => q.actor.startsWith("Yeo Han-koo"));
    expect(yeo?.summary).toContain("wants to keep the framework as it is, not shaking it up greatly");
    expect(yeo?.summary).toContain("The Wall Street Journal");
    const ministry = quotes.find((q) => q.actor === "Korean foreign ministry spokesman");
    expect(ministry?.summary).toContain("Associated Press");
    expect(ministry?.summary).toContain("is the cause of the trade imbalance between the two countries");
    const lighthizer = quotes.filter((q) => q.actor.startsWith("Robert Lighthizer"));
    expect(lighthizer.map((q) => q.summary).join("\n")).toContain("benefits the U.S. economy as much as it does that of Korea");
  });

  it("writes one audit row per seeded fact", async () => {
    const audits = await db.prisma.factAudit.findMany();
    expect(audits).toHaveLength(14);
    expect(new Set(audits.map((a) => a.action))).toEqual(new Set(["seed"]));
    expect(new Set(audits.map((a) => a.actor))).toEqual(new Set([SEED_ACTOR]));
  });

  it("seeding twice changes nothing", async () => {
    const before = await db.prisma.fact.findMany({ orderBy: { id: "asc" } });
    expect(await seed(db)).toMatchObject({ added: 0, updated: 0, unchanged: 14 });
    expect(await seedIfEmpty(db)).toBeNull();
    expect(await db.prisma.fact.findMany({ orderBy: { id: "asc" } })).toEqual(before);
    expect(await db.prisma.factAudit.count()).toBe(14);
  });
});
