import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixedClock } from "../../src/clock.js";
import type { Database } from "../../src/db/client.js";
import { assemble } from "../../src/memos/assemblies.js";
import { approveMemo, cancelMemo, createMemo, markFinal, requestSignOff, saveSection, setTrackingMessage, writeSection } from "../../src/memos/service.js";
import { MemoError, type MemoDeps, sectionsFor } from "../../src/memos/read.js";
import { createTestDatabase } from "../support/test-db.js";
import { shippedTemplates } from "../support/templates.js";

const LEAD = "U0LEAD";
const ANA = "U0ANA";
const ADMIN = "U0ADMIN";

/** The memo service's rules on a real (embedded) database. */
describe("memo rules", () => {
  let db: Database;
  let deps: MemoDeps;

  beforeAll(async () => {
    db = await createTestDatabase();
    deps = { prisma: db.prisma, clock: fixedClock("2017-07-20T15:00:00Z"), timeZone: "America/New_York", admins: [ADMIN], templates: await shippedTemplates() };
  });
  afterAll(async () => {
    await db?.close();
  });

  const newMemo = (createdBy = LEAD) => createMemo(deps, { templateId: "special-session-prep", title: "Rules", owners: { purpose: ANA } }, createdBy);

  const refusal = async (work: Promise<unknown>): Promise<MemoError> => {
    const error = await work.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MemoError);
    return error as MemoError;
  };

  it("refuses a section write that does not say which revision it started from, writing nothing", async () => {
    const memo = await newMemo();
    for (const baseRevision of [undefined, null, -1, 1.5, "0"]) {
      const error = await refusal(writeSection(deps, memo.id, "purpose", { text: "forged", baseRevision } as unknown as { text: string; baseRevision: number }, ANA));
      expect(error.code).toBe("invalid");
      expect(error.details.fields?.text).toContain("Nothing was saved");
    }
    const row = await db.prisma.memoSection.findFirstOrThrow({ where: { memoId: memo.id, key: "purpose" }, include: { revisions: true } });
    expect([row.text, row.revision, row.revisions.length]).toEqual(["", 0, 0]);
  });

  it("refuses a write from an older revision with who saved since, and keeps theirs", async () => {
    const memo = await newMemo();
    await writeSection(deps, memo.id, "purpose", { text: "first", baseRevision: 0 }, ANA);
    const error = await refusal(writeSection(deps, memo.id, "purpose", { text: "second", baseRevision: 0 }, LEAD));
    expect(error.code).toBe("conflict");
    expect(error.details.latest).toMatchObject({ revision: 1, by: ANA, text: "first" });
    expect((await db.prisma.memoSection.findFirstOrThrow({ where: { memoId: memo.id, key: "purpose" } })).text).toBe("first");
  });

  it("writes a section only for its owner, the creator or an admin, within its limit, on a memo not cancelled, and refuses in that order", async () => {
    const memo = await newMemo();
    const section = async () => db.prisma.memoSection.findFirstOrThrow({ where: { memoId: memo.id, key: "purpose" }, include: { revisions: true } });
    const limit = memo.sections.find((x) => x.key === "purpose")!.maxLength;
    const OTHER = "U0OTHER";
    // Someone else: refused, also when their text would be refused too (who may write comes first) or is too long.
    for (const text of ["mine now", "bad \u0000 text", "x".repeat(limit + 1)]) {
      const error = await refusal(writeSection(deps, memo.id, "purpose", { text, baseRevision: 0 }, OTHER));
      expect(error.code).toBe("forbidden");
      expect(error.message).toContain('Only the owner of "Purpose"');
    }
    // The owner: a text over the limit (counted as JavaScript counts it, an emoji two) is refused under the field.
    const tooLong = `${"x".repeat(limit - 1)}🙂`;
    const long = await refusal(writeSection(deps, memo.id, "purpose", { text: tooLong, baseRevision: 0 }, ANA));
    expect(long.code).toBe("invalid");
    expect(long.details.fields?.text).toBe(`At most ${limit} characters (this has ${limit + 1}).`);
    expect((await section()).revision).toBe(0);
    // No such section, no such memo.
    expect((await refusal(writeSection(deps, memo.id, "nosuch", { text: "x", baseRevision: 0 }, ANA))).code).toBe("not_found");
    expect((await refusal(writeSection(deps, 999_999, "purpose", { text: "x", baseRevision: 0 }, ANA))).code).toBe("not_found");
    // The owner at the limit, then the creator, then an admin, each from the revision they saw.
    const atLimit = `${"x".repeat(limit - 2)}🙂`;
    const saved = await writeSection(deps, memo.id, "purpose", { text: atLimit, baseRevision: 0 }, ANA);
    expect([saved.section.text, saved.section.revision, saved.memo.version, saved.unlocked]).toEqual([atLimit, 1, memo.version + 1, false]);
    expect(saved.section.updatedAt).toBeInstanceOf(Date);
    await writeSection(deps, memo.id, "purpose", { text: "by the creator", baseRevision: 1 }, LEAD);
    const byAdmin = await writeSection(deps, memo.id, "purpose", { text: "by an admin", baseRevision: 2 }, ADMIN);
    expect(byAdmin.memo.sections.find((x) => x.key === "purpose")).toMatchObject({ text: "by an admin", revision: 3, updatedBy: ADMIN });
    const row = await section();
    expect([row.text, row.revision, row.revisions.map((r) => r.author)]).toEqual(["by an admin", 3, [ANA, LEAD, ADMIN]]);
    // Cancelled: closed for everyone, before anything else is looked at.
    await cancelMemo(deps, memo.id, LEAD);
    for (const [text, user] of [
      ["after", ANA],
      ["after \u0000", OTHER],
    ] as const) {
      expect((await refusal(writeSection(deps, memo.id, "purpose", { text, baseRevision: 3 }, user))).code).toBe("closed");
    }
    expect((await section()).revision).toBe(3);
  });

  it("saves a section in one write that answers what its writer is told and who to tell, and unlocks an approved memo", async () => {
    const memo = await newMemo();
    await setTrackingMessage(db.prisma, memo.id, "C0MEMOS", "1500000000.000100");
    const first = await saveSection(deps, memo.id, "purpose", { text: "Why we meet.  ", baseRevision: 0 }, ANA);
    expect(first).toEqual({
      memoId: memo.id,
      key: "purpose",
      title: "Purpose",
      revision: 1,
      length: "Why we meet.".length,
      version: memo.version + 1,
      unlocked: false,
      channel: "C0MEMOS",
      trackingTs: "1500000000.000100",
      audience: [LEAD, ...memo.sections.map((s) => s.ownerId ?? "")],
    });
    // Approved (locked): the next save unlocks it, resets the approval and names the approver in the audience.
    await requestSignOff(deps, memo.id, [ADMIN], LEAD);
    expect((await approveMemo(deps, memo.id, ADMIN)).locked).toBe(true);
    const second = await saveSection(deps, memo.id, "purpose", { text: "Why we meet, again.", baseRevision: 1 }, LEAD);
    expect([second.revision, second.unlocked, second.audience.at(-1)]).toEqual([2, true, ADMIN]);
    const after = await db.prisma.memo.findUniqueOrThrow({ where: { id: memo.id }, include: { approvals: true } });
    expect([after.lockedAt, after.approvals.map((a) => a.approvedAt), after.version]).toEqual([null, [null], second.version]);
    // Two writers of the same revision at once: one is saved, the other told of the conflict; one revision row.
    const both = await Promise.allSettled([
      saveSection(deps, memo.id, "purpose", { text: "Ana's", baseRevision: 2 }, ANA),
      saveSection(deps, memo.id, "purpose", { text: "Lead's", baseRevision: 2 }, LEAD),
    ]);
    expect(both.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(((both.find((r) => r.status === "rejected") as PromiseRejectedResult).reason as MemoError).code).toBe("conflict");
    expect(await db.prisma.memoRevision.count({ where: { section: { memoId: memo.id, key: "purpose" } } })).toBe(3);
  });

  it("lists the sections waiting for a person: theirs, not final, in open memos, the first 50", async () => {
    const WAITS = "U0WAITS";
    const open = await createMemo(deps, { templateId: "special-session-prep", title: "Waiting", owners: { purpose: WAITS, background: WAITS, risks: ANA } }, LEAD);
    await writeSection(deps, open.id, "background", { text: "Done.", baseRevision: 0 }, WAITS);
    await markFinal(deps, open.id, "background", WAITS);
    const cancelled = await createMemo(deps, { templateId: "special-session-prep", title: "Cancelled", owners: { purpose: WAITS } }, LEAD);
    await cancelMemo(deps, cancelled.id, LEAD);
    expect((await sectionsFor(deps, WAITS)).map((w) => [w.memo.id, w.section.key, w.section.ownerId])).toEqual([[open.id, "purpose", WAITS]]);

    const MANY = "U0MANYSECTIONS";
    const keys = ["purpose", "background", "us_position", "korean_position", "market_access", "risks", "talking_points", "next_steps"];
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) ids.push((await createMemo(deps, { templateId: "special-session-prep", title: `Many ${i}`, owners: Object.fromEntries(keys.map((k) => [k, MANY])) }, LEAD)).id);
    const waiting = await sectionsFor(deps, MANY);
    expect(waiting).toHaveLength(50);
    expect(new Set(waiting.map((w) => `${w.memo.id}:${w.section.key}`)).size).toBe(50);
    // The first 50 sections made: the first six memos whole, two of the seventh.
    expect(waiting.filter((w) => w.memo.id === ids[6]).length).toBe(2);
  });

  it("does not let the creator be the only approver of their own memo, unless an admin", async () => {
    const memo = await newMemo();
    const error = await refusal(requestSignOff(deps, memo.id, [LEAD, LEAD], LEAD));
    expect(error.code).toBe("invalid");
    expect(error.details.fields?.approvers).toContain("only approver of your own memo");
    expect(await db.prisma.memoApproval.count({ where: { memoId: memo.id } })).toBe(0);
    // With someone else beside them, or when an admin created it, it is fine.
    expect((await requestSignOff(deps, memo.id, [LEAD, ANA], LEAD)).approvals.map((a) => a.approver)).toEqual([LEAD, ANA]);
    const adminMemo = await newMemo(ADMIN);
    expect((await requestSignOff(deps, adminMemo.id, [ADMIN], ADMIN)).approvals.map((a) => a.approver)).toEqual([ADMIN]);
  });

  it("lets only the creator or an admin assemble with required sections missing", async () => {
    const memo = await newMemo();
    expect((await refusal(assemble(deps, memo.id, ANA))).code).toBe("incomplete");
    const forced = await refusal(assemble(deps, memo.id, ANA, { force: true }));
    expect(forced.code).toBe("forbidden");
    expect(forced.message).toContain("Only the memo's creator or an admin can assemble");
    expect((await db.prisma.memo.findUniqueOrThrow({ where: { id: memo.id } })).state).toBe("open");
    expect((await assemble(deps, memo.id, ADMIN, { force: true })).memo.state).toBe("assembled");
    const other = await newMemo();
    expect((await assemble(deps, other.id, LEAD, { force: true })).memo.state).toBe("assembled");
  });
});
