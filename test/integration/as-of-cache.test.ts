import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { createFactsAsOfCache, FactsAsOfCache, FactStoreVersion } from "../../src/facts/as-of-cache.js";
import { visibleFacts } from "../../src/facts/status-queries.js";
import { createMemo, requestSignOff, approveMemo, writeSection } from "../../src/memos/service.js";
import { getMemo, MemoError } from "../../src/memos/read.js";
import { render } from "../../src/memos/assemblies.js";
import { StatusCache } from "../../src/status/cache.js";
import { getStatus } from "../../src/status/service.js";
import { openTemplateStore } from "../../src/template-store.js";
import { createTestDatabase } from "../support/test-db.js";

describe("the facts as known on a day, per store version", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("is read and indexed once per (day, topic) until a fact changes, and a change elsewhere shows after the interval", async () => {
    let now = 0;
    const version = new FactStoreVersion(db.prisma, 1000, () => now);
    let reads = 0;
    const cache = new FactsAsOfCache(version, (asOf, topic) => {
      reads++;
      return visibleFacts(db.prisma, asOf, topic);
    });
    // A burst of callers on a cold cache shares one read.
    const [a, b] = await Promise.all([cache.index("2017-07-20"), cache.index("2017-07-20")]);
    expect(a).toBe(b);
    expect(reads).toBe(1);
    expect(a.size).toBe((await visibleFacts(db.prisma, "2017-07-20")).length);
    // Another day is its own index.
    const later = await cache.index("2017-08-15");
    expect(later).not.toBe(a);
    expect(await cache.index("2017-07-20")).toBe(a);
    expect(reads).toBe(2);

    // Another process changes a fact: within the interval the index stands, after it the change shows.
    await db.prisma.fact.updateMany({ where: { kind: "event" }, data: { title: "Edited elsewhere" } });
    now = 500;
    expect(await cache.index("2017-07-20")).toBe(a);
    now = 1500;
    const edited = await cache.index("2017-07-20");
    expect(edited).not.toBe(a);
    expect(edited.select("event", { limit: 1 })[0]?.title).toBe("Edited elsewhere");
    // A change made through this process (invalidate) shows at once, for the status cache on the same version too.
    const status = new StatusCache(version);
    const deps = { prisma: db.prisma, clock: fixedClock("2017-07-20T15:00:00Z"), timeZone: "America/New_York", cache: status };
    expect((await getStatus(deps)).phase?.fact.title).toBe("Edited elsewhere");
    await db.prisma.fact.updateMany({ where: { kind: "event" }, data: { title: "Edited here" } });
    status.invalidate();
    expect((await cache.index("2017-07-20")).select("event", { limit: 1 })[0]?.title).toBe("Edited here");
    expect((await getStatus(deps)).phase?.fact.title).toBe("Edited here");
  });

  it("keeps at most its limits, least recently used dropped first, and never keeps a failed read", async () => {
    const facts = await visibleFacts(db.prisma, "2026-01-01");
    const fixed = { current: async () => 1n, invalidate: () => undefined };
    const loaded: string[] = [];
    let fail = true;
    const cache = new FactsAsOfCache(
      fixed,
      async (asOf) => {
        loaded.push(asOf);
        if (asOf === "2020-01-01" && fail) throw new Error("database went away");
        return facts;
      },
      { maxIndexes: 2, maxFacts: 1_000_000, maxReads: 2 },
    );
    const first = await cache.index("2018-01-01");
    await cache.index("2019-01-01");
    await cache.index("2018-01-01"); // used again: now the most recent
    await cache.index("2021-01-01"); // drops 2019, the least recently used
    expect(await cache.index("2018-01-01")).toBe(first);
    await cache.index("2019-01-01");
    expect(loaded).toEqual(["2018-01-01", "2019-01-01", "2021-01-01", "2019-01-01"]);

    await expect(cache.index("2020-01-01")).rejects.toThrow("database went away");
    fail = false;
    expect((await cache.index("2020-01-01")).size).toBe(facts.length);

    // Other reads: once each per version, bounded.
    let n = 0;
    const read = async () => ++n;
    expect(await cache.remember("x", read)).toBe(1);
    expect(await cache.remember("x", read)).toBe(1);
    await cache.remember("y", read);
    await cache.remember("z", read);
    expect(await cache.remember("x", read)).toBe(4);
  });

  it("a memo renders the same from the shared index as from a fresh read, and shares it with the next render", async () => {
    const templates = await openTemplateStore();
    const base = { prisma: db.prisma, clock: fixedClock("2017-07-20T15:00:00Z"), timeZone: "America/New_York", admins: [], templates };
    const asOfCache = createFactsAsOfCache(db.prisma);
    const memo = await createMemo(base, { templateId: "special-session-prep", title: "Prep", owners: { purpose: "U0OWNER1" }, asOf: "2017-07-20" }, "U0LEAD01");
    await writeSection(base, memo.id, "purpose", { text: "## Why\n\nTo prepare. <!channel>", baseRevision: 0 }, "U0OWNER1");
    const view = await getMemo(base, memo.id);
    const fresh = await render(base, view);
    const cached = await render({ ...base, asOfCache }, view);
    expect(cached.markdown).toBe(fresh.markdown);
    expect(cached.markdown).toContain("To prepare.");
    const index = await asOfCache.index("2017-07-20");
    expect((await render({ ...base, asOfCache }, view)).markdown).toBe(fresh.markdown);
    expect(await asOfCache.index("2017-07-20")).toBe(index);
  });
});

describe("saving a section: one read, one statement", () => {
  let db: Database;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
  });

  it("of two writers from the same revision at once, one saves and the other is told who changed it", async () => {
    const templates = await openTemplateStore();
    const deps = { prisma: db.prisma, clock: fixedClock("2017-07-20T15:00:00Z"), timeZone: "America/New_York", admins: [], templates };
    const memo = await createMemo(deps, { templateId: "special-session-prep", title: "Race", owners: { purpose: "U0OWNER1" } }, "U0LEAD01");
    const results = await Promise.allSettled([
      writeSection(deps, memo.id, "purpose", { text: "First", baseRevision: 0 }, "U0OWNER1"),
      writeSection(deps, memo.id, "purpose", { text: "Second", baseRevision: 0 }, "U0LEAD01"),
    ]);
    const saved = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(saved).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.reason).toBeInstanceOf(MemoError);
    expect((refused[0]!.reason as MemoError).code).toBe("conflict");
    expect((refused[0]!.reason as MemoError).details.latest?.revision).toBe(1);
    const after = await getMemo(deps, memo.id);
    const purpose = after.sections.find((s) => s.key === "purpose")!;
    expect(purpose.revision).toBe(1);
    expect(purpose.state).toBe("drafted");
    expect(purpose.updatedAt).toBeInstanceOf(Date);
    expect(after.version).toBe(1);
    // The revision is kept with its author.
    const revisions = await db.prisma.memoRevision.findMany({ where: { section: { memoId: memo.id, key: "purpose" } } });
    expect(revisions.map((r) => [r.revision, r.text])).toEqual([[1, purpose.text]]);
  });

  it("an edit after sign-off unlocks the memo and resets every approval in the same statement", async () => {
    const templates = await openTemplateStore();
    const deps = { prisma: db.prisma, clock: fixedClock("2017-07-20T15:00:00Z"), timeZone: "America/New_York", admins: [], templates };
    const sections = Object.fromEntries(templates.get("special-session-prep").sections.map((s) => [s.key, "U0OWNER1"]));
    const memo = await createMemo(deps, { templateId: "special-session-prep", title: "Signed", owners: sections }, "U0LEAD01");
    for (const s of memo.sections) await writeSection(deps, memo.id, s.key, { text: `Text of ${s.key}`, baseRevision: 0 }, "U0OWNER1");
    await requestSignOff(deps, memo.id, ["U0APPROV"], "U0LEAD01");
    await approveMemo(deps, memo.id, "U0APPROV");
    const locked = await getMemo(deps, memo.id);
    expect(locked.lockedAt).toBeInstanceOf(Date);
    expect(locked.approvals[0]?.approvedAt).toBeInstanceOf(Date);
    const saved = await writeSection(deps, memo.id, "purpose", { text: "Changed after sign-off", baseRevision: 1 }, "U0OWNER1");
    expect(saved.unlocked).toBe(true);
    const after = await getMemo(deps, memo.id);
    expect(after.lockedAt).toBeNull();
    expect(after.approvals).toEqual([{ approver: "U0APPROV", approvedAt: null, memoVersion: null }]);
    expect(saved.memo.version).toBe(after.version);
    // A later edit of an unlocked memo unlocks nothing.
    expect((await writeSection(deps, memo.id, "purpose", { text: "Again", baseRevision: 2 }, "U0OWNER1")).unlocked).toBe(false);
  });
});
