/**
 * The memo service's writes: creating a memo, saving and finalizing sections (with revisions and conflicts), reassigning,
 * sign-off and approval, cancelling, and claiming due reminders. Reads are in read.ts, assembling in assemblies.ts.
 */
import type { PrismaClient } from "../generated/prisma/client.js";
import { guardText, TextRefused } from "../text-guard.js";
import type { IsoDate } from "../facts/dates.js";
import {
  isAdmin,
  load,
  mayManage,
  maySection,
  MemoError,
  type MemoDeps,
  type MemoView,
  open,
  section,
  type SectionView,
  getMemo,
  template,
  view,
  withAll,
  directory,
  type SectionState,
} from "./read.js";
import { checkAsOf } from "./assemblies.js";

/** A memo's text through the one text guard (src/text-guard.ts): MemoError on `field` when refused. */
function guardMemoText(text: string, field: "title" | "text"): string {
  try {
    return guardText(text);
  } catch (error) {
    if (!(error instanceof TextRefused)) throw error;
    const message = `The ${field === "title" ? "title" : "text"} ${error.problem}.`;
    throw new MemoError("invalid", message, { fields: { [field]: message } });
  }
}

/** Creates a memo from a template with an owner for each section (any may be left unassigned). */
export async function createMemo(
  deps: MemoDeps,
  input: { templateId: string; title: string; dueAt?: Date | null; channel?: string | null; owners?: Record<string, string | undefined>; asOf?: IsoDate | null },
  user: string,
): Promise<MemoView> {
  const tpl = template(deps, input.templateId);
  const asOf = input.asOf ? checkAsOf(input.asOf, deps) : null;
  if (tpl.kind !== "memo") throw new MemoError("invalid", `"${tpl.id}" is a ${tpl.kind} template, not a memo.`, { fields: { template: "Pick a memo template." } });
  const title = guardMemoText(input.title, "title").replace(/\s+/g, " ").trim();
  if (!title) throw new MemoError("invalid", "A memo needs a title.", { fields: { title: "Give the memo a title." } });
  if (title.length > 150) throw new MemoError("invalid", "The title is too long.", { fields: { title: "At most 150 characters." } });
  const unknown = Object.keys(input.owners ?? {}).filter((k) => !tpl.sections.some((s) => s.key === k));
  if (unknown.length > 0) throw new MemoError("invalid", `The template has no section ${unknown.join(", ")}.`);
  const row = await deps.prisma.memo.create({
    data: {
      templateId: tpl.id,
      title,
      createdBy: user,
      channel: input.channel ?? null,
      dueAt: input.dueAt ?? null,
      asOf,
      sections: { create: tpl.sections.map((s) => ({ key: s.key, ownerId: input.owners?.[s.key] ?? null })) },
    },
    include: withAll,
  });
  return view(row, tpl);
}

/** Records where the tracking message is. */
export async function setTrackingMessage(prisma: PrismaClient, memoId: number, channel: string, ts: string): Promise<void> {
  await prisma.memo.update({ where: { id: memoId }, data: { channel, trackingTs: ts } });
}

/** What saving a section did. */
export interface SectionSaved {
  memo: MemoView;
  section: SectionView;
  /** True when the memo had been approved: the edit unlocked it and reset every approval. */
  unlocked: boolean;
}

/**
 * Saves a section's text as a new revision. `baseRevision` is the revision the writer started from, and is required:
 * if someone saved since, nothing is written and MemoError("conflict") carries who saved what when. A write that does
 * not say where it started (a forged or broken form) is refused, never applied over whatever is there.
 */
export async function writeSection(deps: MemoDeps, memoId: number, key: string, input: { text: string; baseRevision: number }, user: string): Promise<SectionSaved> {
  if (!Number.isSafeInteger(input.baseRevision) || input.baseRevision < 0) {
    throw new MemoError("invalid", "This write does not say which revision it started from, so it could overwrite someone's text. Nothing was saved: open the section again.", {
      fields: { text: "This form lost the revision it started from. Nothing was saved: copy your text, close, and open the section again." },
    });
  }
  const { memo } = await load(deps, memoId);
  open(memo);
  const s = section(memo, key);
  if (!maySection(deps, memo, s, user)) {
    const owner = s.ownerId ? ` (${(await directory(deps).names([s.ownerId])).label(s.ownerId)})` : "";
    throw new MemoError("forbidden", `Only the owner of "${s.title}"${owner}, the memo's creator or an admin can write it.`);
  }
  const text = guardMemoText(input.text, "text").trimEnd();
  if (text.length > s.maxLength) {
    throw new MemoError("invalid", `"${s.title}" is limited to ${s.maxLength} characters; this text has ${text.length}.`, {
      fields: { text: `At most ${s.maxLength} characters (this has ${text.length}).` },
    });
  }
  const base = input.baseRevision;
  // One statement, so one round trip and its own transaction: only the revision the writer saw is replaced (the row is
  // matched on it; a concurrent writer of the same revision waits for this one, then matches nothing), the revision is
  // kept, the memo's version moves, and a memo that was approved (locked, or any approval given) is unlocked with every
  // approval reset. Every part sees the memo as it was before the statement.
  const rows = await deps.prisma.$queryRaw<Array<{ id: number; revision: number; text: string; state: string; updated_by: string | null; updated_at: Date; version: number; unlocked: boolean }>>`
    WITH before AS (
           SELECT locked_at IS NOT NULL OR EXISTS (SELECT 1 FROM memo_approval WHERE memo_id = ${memoId} AND approved_at IS NOT NULL) AS approved
             FROM memo WHERE id = ${memoId}),
         s AS (
           UPDATE memo_section
              SET text = ${text}, revision = ${base + 1}, state = CASE WHEN state = 'final' THEN 'final' ELSE 'drafted' END,
                  updated_by = ${user}, updated_at = now()
            WHERE memo_id = ${memoId} AND key = ${key} AND revision = ${base}
           RETURNING id, revision, text, state, updated_by, updated_at),
         r AS (
           INSERT INTO memo_revision (section_id, revision, text, author, created_at)
           SELECT id, revision, text, ${user}, now() FROM s),
         m AS (
           UPDATE memo SET version = version + 1, locked_at = NULL, updated_at = now()
            WHERE id = ${memoId} AND EXISTS (SELECT 1 FROM s)
           RETURNING version),
         a AS (
           UPDATE memo_approval SET approved_at = NULL, memo_version = NULL
            WHERE memo_id = ${memoId} AND EXISTS (SELECT 1 FROM s) AND (SELECT approved FROM before))
    SELECT s.id, s.revision, s.text, s.state, s.updated_by, s.updated_at, m.version, (SELECT approved FROM before) AS unlocked
      FROM s, m`;
  const written = rows[0];
  if (!written) {
    const row = await deps.prisma.memoSection.findUnique({ where: { memoId_key: { memoId, key } } });
    if (!row) throw new MemoError("not_found", `Memo #${memoId} has no section "${key}".`);
    const by = row.updatedBy ? (await directory(deps).names([row.updatedBy])).label(row.updatedBy) : null;
    throw new MemoError("conflict", `"${s.title}" was changed by ${by ?? "someone"} since you opened it.`, {
      latest: { revision: row.revision, by: row.updatedBy, byName: by, at: row.updatedAt, text: row.text },
    });
  }
  const saved = { text: written.text, revision: written.revision, state: written.state, updatedBy: written.updated_by, updatedAt: written.updated_at };
  const { version, unlocked } = written;
  // The memo as it now stands, from what was read and written (no second read).
  const after: MemoView = {
    ...memo,
    version,
    ...(unlocked ? { lockedAt: null, approvals: memo.approvals.map((a) => ({ ...a, approvedAt: null, memoVersion: null })) } : {}),
    sections: memo.sections.map((x) =>
      x.key === key ? { ...x, text: saved.text, revision: saved.revision, state: saved.state as SectionState, updatedBy: saved.updatedBy, updatedAt: saved.updatedAt } : x,
    ),
  };
  return { memo: after, section: section(after, key), unlocked };
}

/** Marks a section final (or back to drafted with `final: false`). */
export async function markFinal(deps: MemoDeps, memoId: number, key: string, user: string, final = true): Promise<MemoView> {
  const { memo } = await load(deps, memoId);
  open(memo);
  const s = section(memo, key);
  if (!maySection(deps, memo, s, user)) throw new MemoError("forbidden", `Only the owner of "${s.title}", the memo's creator or an admin can mark it final.`);
  if (final && !s.text.trim()) throw new MemoError("invalid", `"${s.title}" has no text yet; write it before marking it final.`);
  await deps.prisma.memoSection.update({ where: { memoId_key: { memoId, key } }, data: { state: final ? "final" : s.text.trim() ? "drafted" : "waiting" } });
  return getMemo(deps, memoId);
}

/** Gives a section to another owner. */
export async function reassignSection(deps: MemoDeps, memoId: number, key: string, owner: string, user: string): Promise<MemoView> {
  const { memo } = await load(deps, memoId);
  open(memo);
  const s = section(memo, key);
  if (!maySection(deps, memo, s, user)) throw new MemoError("forbidden", `Only the owner of "${s.title}", the memo's creator or an admin can reassign it.`);
  await deps.prisma.memoSection.update({ where: { memoId_key: { memoId, key } }, data: { ownerId: owner, remindedAt: null } });
  return getMemo(deps, memoId);
}

/** Cancels a memo (its creator or an admin): no more edits or reminders. */
export async function cancelMemo(deps: MemoDeps, memoId: number, user: string): Promise<MemoView> {
  const { memo } = await load(deps, memoId);
  if (!mayManage(deps, memo, user)) throw new MemoError("forbidden", `Only the memo's creator or an admin can cancel memo #${memoId}.`);
  open(memo);
  await deps.prisma.memo.update({ where: { id: memoId }, data: { state: "cancelled" } });
  return getMemo(deps, memoId);
}

/**
 * Asks `approvers` to sign off the memo as it is now; earlier approvals are reset. The memo's creator may not be its
 * only approver (nobody would check their work) unless they are an admin (KORUS_ADMINS).
 */
export async function requestSignOff(deps: MemoDeps, memoId: number, approvers: string[], user: string): Promise<MemoView> {
  const { memo } = await load(deps, memoId);
  open(memo);
  if (!mayManage(deps, memo, user)) throw new MemoError("forbidden", "Only the memo's creator or an admin can ask for sign-off.");
  const unique = [...new Set(approvers)];
  if (unique.length === 0) throw new MemoError("invalid", "Name at least one approver.", { fields: { approvers: "Pick at least one approver." } });
  if (unique.length === 1 && unique[0] === memo.createdBy && !isAdmin(deps, memo.createdBy)) {
    throw new MemoError("invalid", "The memo's creator cannot be its only approver.", {
      fields: { approvers: "You can't be the only approver of your own memo: add someone else (only admins may approve their own alone)." },
    });
  }
  await deps.prisma.$transaction([
    deps.prisma.memoApproval.deleteMany({ where: { memoId } }),
    deps.prisma.memoApproval.createMany({ data: unique.map((approver) => ({ memoId, approver, requestedBy: user })) }),
    deps.prisma.memo.update({ where: { id: memoId }, data: { lockedAt: null } }),
  ]);
  return getMemo(deps, memoId);
}

/**
 * Records `user`'s approval of the memo's current version. When every approver has approved that version the memo
 * locks. @returns the memo and whether this approval locked it.
 */
export async function approveMemo(deps: MemoDeps, memoId: number, user: string, version?: number): Promise<{ memo: MemoView; locked: boolean }> {
  const { memo } = await load(deps, memoId);
  open(memo);
  const approval = memo.approvals.find((a) => a.approver === user);
  if (!approval) throw new MemoError("forbidden", `You were not asked to approve memo #${memoId}.`);
  if (version !== undefined && version !== memo.version) {
    throw new MemoError("conflict", `Memo #${memoId} changed since you were asked (now version ${memo.version}); read it again before approving.`);
  }
  await deps.prisma.memoApproval.update({
    where: { memoId_approver: { memoId, approver: user } },
    data: { approvedAt: deps.clock.now(), memoVersion: memo.version },
  });
  const pending = await deps.prisma.memoApproval.count({ where: { memoId, OR: [{ approvedAt: null }, { memoVersion: { not: memo.version } }] } });
  const locked = pending === 0;
  if (locked) await deps.prisma.memo.update({ where: { id: memoId }, data: { lockedAt: deps.clock.now() } });
  return { memo: await getMemo(deps, memoId), locked };
}

/** Records the canvas a memo was published to. */
export async function setCanvas(prisma: PrismaClient, memoId: number, canvasId: string | null): Promise<void> {
  await prisma.memo.update({ where: { id: memoId }, data: { canvasId } });
}

/**
 * Sections to nudge now: unfinished, owned, in open memos due within `leadMs` (and not past due), not reminded in
 * the last 24 hours. Claims them by setting reminded_at, so that two instances do not both nudge.
 */
export async function claimDueReminders(deps: MemoDeps, leadMs: number): Promise<Array<{ memo: MemoView; section: SectionView }>> {
  const now = deps.clock.now();
  const dayAgo = new Date(now.getTime() - 24 * 3600_000);
  const candidates = await deps.prisma.memoSection.findMany({
    where: {
      ownerId: { not: null },
      state: { not: "final" },
      OR: [{ remindedAt: null }, { remindedAt: { lt: dayAgo } }],
      memo: { state: "open", dueAt: { gt: now, lte: new Date(now.getTime() + leadMs) } },
    },
    select: { id: true, memoId: true, key: true, remindedAt: true },
  });
  const claimed: Array<{ memo: MemoView; section: SectionView }> = [];
  for (const c of candidates) {
    // Only one claimer wins: the update matches only while reminded_at is what we read.
    const won = await deps.prisma.memoSection.updateMany({ where: { id: c.id, remindedAt: c.remindedAt }, data: { remindedAt: now } });
    if (won.count === 1) {
      const memo = await getMemo(deps, c.memoId);
      claimed.push({ memo, section: section(memo, c.key) });
    }
  }
  return claimed;
}
