/**
 * The memo service's writes: creating a memo, saving and finalizing sections (with revisions and conflicts), reassigning,
 * sign-off and approval, cancelling, and claiming due reminders. Reads are in read.ts, assembling in assemblies.ts.
 */
import type { PrismaClient } from "../generated/prisma/client.js";
import { guardText, TextRefused } from "../text-guard.js";
import type { IsoDate } from "../facts/dates.js";
import { isAdmin, load, mayManage, maySection, MemoError, type MemoDeps, type MemoView, open, section, type SectionView, getMemo, template, view, withAll, directory } from "./read.js";
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

/** A section saved by {@link saveSection}: what its writer is told, and who and where to tell, without the memo's texts. */
export interface SectionWrite {
  memoId: number;
  key: string;
  /** The section's title (its template's). */
  title: string;
  revision: number;
  /** The saved text's length, as JavaScript counts it. */
  length: number;
  /** The memo's version after the write. */
  version: number;
  /** True when the memo had been approved: the edit unlocked it and reset every approval. */
  unlocked: boolean;
  /** Where the memo's tracking message is (both null when it has none). */
  channel: string | null;
  trackingTs: string | null;
  /** Everyone the memo involves: its creator, its section owners and its approvers (as memoAudience counts them). */
  audience: string[];
}

/**
 * Saves a section's text as a new revision. `baseRevision` is the revision the writer started from, and is required:
 * if someone saved since, nothing is written and MemoError("conflict") carries who saved what when. A write that does
 * not say where it started (a forged or broken form) is refused, never applied over whatever is there. Returns the
 * memo as it stands after the write (read again after it).
 */
export async function writeSection(deps: MemoDeps, memoId: number, key: string, input: { text: string; baseRevision: number }, user: string): Promise<SectionSaved> {
  const written = await saveSection(deps, memoId, key, input, user);
  const memo = await getMemo(deps, memoId);
  return { memo, section: section(memo, key), unlocked: written.unlocked };
}

/**
 * The section write itself, as one statement (one round trip, its own transaction) that neither reads the memo's
 * texts first nor returns them: what a submission waits for before its ack. The statement writes only when the memo is
 * not cancelled, the writer may write the section (its owner, the memo's creator or an admin), the text is within the
 * section's limit in the memo's template (counted here, as JavaScript counts it: the statement is given the templates
 * whose limit for this section the text meets) and the row still has the revision the writer saw. When nothing was
 * written, the memo is read and the refusal is the one people meet in this order: no such memo, cancelled, no such
 * section, not theirs to write, a refused text, a text over the limit, then a conflict with who saved what when.
 */
export async function saveSection(deps: MemoDeps, memoId: number, key: string, input: { text: string; baseRevision: number }, user: string): Promise<SectionWrite> {
  if (!Number.isSafeInteger(input.baseRevision) || input.baseRevision < 0) {
    throw new MemoError("invalid", "This write does not say which revision it started from, so it could overwrite someone's text. Nothing was saved: open the section again.", {
      fields: { text: "This form lost the revision it started from. Nothing was saved: copy your text, close, and open the section again." },
    });
  }
  let text: string;
  try {
    text = guardMemoText(input.text, "text").trimEnd();
  } catch (error) {
    // The memo's own refusals (none, cancelled, no such section, not theirs) come before the text's.
    await writable(deps, (await load(deps, memoId)).memo, key, user);
    throw error;
  }
  const base = input.baseRevision;
  const fits = deps.templates
    .list()
    .filter((t) => t.sections.some((x) => x.key === key && text.length <= x.maxLength))
    .map((t) => t.id);
  // One call of memo_section_save (prisma/migrations/20261207170000_memo_section_save: its plan is kept by the session):
  // only the revision the writer saw is replaced, the memo's version moves, an approved memo is unlocked.
  const rows = await deps.prisma.$queryRaw<
    Array<{
      revision: number;
      version: number;
      unlocked: boolean;
      template_id: string;
      channel: string | null;
      tracking_ts: string | null;
      created_by: string;
      owners: Array<string | null>;
      approvers: string[] | null;
    }>
  >`SELECT * FROM memo_section_save(${memoId}::int, ${key}, ${fits}::text[], ${user}, ${isAdmin(deps, user)}::boolean, ${text}, ${base}::int)`;
  const row = rows[0];
  if (!row) return refused(deps, memoId, key, user, text);
  const tpl = template(deps, row.template_id);
  return {
    memoId,
    key,
    title: tpl.sections.find((x) => x.key === key)?.title ?? key,
    revision: row.revision,
    length: text.length,
    version: row.version,
    unlocked: row.unlocked,
    channel: row.channel,
    trackingTs: row.tracking_ts,
    audience: [row.created_by, ...row.owners.map((o) => o ?? ""), ...(row.approvers ?? [])],
  };
}

/** The refusals that come before the text's, in their order: cancelled, no such section, not `user`'s to write. */
async function writable(deps: MemoDeps, memo: MemoView, key: string, user: string): Promise<SectionView> {
  open(memo);
  const s = section(memo, key);
  if (!maySection(deps, memo, s, user)) {
    const owner = s.ownerId ? ` (${(await directory(deps).names([s.ownerId])).label(s.ownerId)})` : "";
    throw new MemoError("forbidden", `Only the owner of "${s.title}"${owner}, the memo's creator or an admin can write it.`);
  }
  return s;
}

/** Why saveSection wrote nothing, read after it: the memo's refusals, the limit, else a conflict with the latest save. */
async function refused(deps: MemoDeps, memoId: number, key: string, user: string, text: string): Promise<never> {
  const s = await writable(deps, (await load(deps, memoId)).memo, key, user);
  if (text.length > s.maxLength) {
    throw new MemoError("invalid", `"${s.title}" is limited to ${s.maxLength} characters; this text has ${text.length}.`, {
      fields: { text: `At most ${s.maxLength} characters (this has ${text.length}).` },
    });
  }
  const row = await deps.prisma.memoSection.findUnique({ where: { memoId_key: { memoId, key } } });
  if (!row) throw new MemoError("not_found", `Memo #${memoId} has no section "${key}".`);
  const by = row.updatedBy ? (await directory(deps).names([row.updatedBy])).label(row.updatedBy) : null;
  throw new MemoError("conflict", `"${s.title}" was changed by ${by ?? "someone"} since you opened it.`, {
    latest: { revision: row.revision, by: row.updatedBy, byName: by, at: row.updatedAt, text: row.text },
  });
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
