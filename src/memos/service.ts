import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { guardText, TextRefused } from "../text-guard.js";
import type { Clock } from "../clock.js";
import { KorusError } from "../errors.js";
import { type IsoDate, isIsoDate } from "../facts/dates.js";
import { dateInZone } from "../time-zone.js";
import type { FactsAsOfCache } from "../facts/as-of-cache.js";
import { factsAsOf } from "../facts/as-of.js";
import { loadDeadLinks } from "../sources/dead-links.js";
import { distinctIds, type PeopleDirectory, type PeopleNames } from "../people/names.js";
import { peopleOf } from "../people/store.js";
import { type AssembledMemo, assembleMemo } from "./assemble.js";
import type { TemplateStore } from "./templates/store.js";
import { type MemoTemplate, type SectionInput, TemplateError } from "./templates/template.js";

/** What the memo service needs. */
export interface MemoDeps {
  prisma: PrismaClient;
  clock: Clock;
  /** The team's time zone: the memo date and the days left to deadlines. */
  timeZone: string;
  /** Slack user ids that may do everything (KORUS_ADMINS). */
  admins: readonly string[];
  /** A handling line heading every assembled memo (KORUS_MEMO_BANNER). */
  banner?: string;
  /** The templates, loaded and checked at start. */
  templates: TemplateStore;
  /** People's names (src/people/names.ts); unset: the names kept in the database, as the console and CLI see them. */
  people?: PeopleDirectory;
  /** The facts as known on a day, indexed once per store version (the bot's); without it each render reads them. */
  asOfCache?: FactsAsOfCache;
}

/** How long an assembly waits for names not known yet (after the request's ack; src/slack/people.ts looks them up). */
const NAME_WAIT_MS = 2000;

function directory(deps: Pick<MemoDeps, "prisma" | "people">): PeopleDirectory {
  return deps.people ?? peopleOf(deps.prisma);
}

/** Everyone a memo names: its creator, its section owners and last writers, its approvers. */
export function memoPeople(memo: Pick<MemoView, "createdBy" | "sections" | "approvals">): string[] {
  return distinctIds([memo.createdBy, ...memo.sections.flatMap((s) => [s.ownerId, s.updatedBy]), ...memo.approvals.map((a) => a.approver)]);
}

/** The names of everyone a memo names, for whatever shows it. */
export function memoNames(deps: Pick<MemoDeps, "prisma" | "people">, memo: Pick<MemoView, "createdBy" | "sections" | "approvals">): Promise<PeopleNames> {
  return directory(deps).names(memoPeople(memo));
}

export type SectionState = "waiting" | "drafted" | "final";
export type MemoState = "open" | "assembled" | "cancelled";

/** Why a memo operation was refused. */
export class MemoError extends KorusError<"not_found" | "forbidden" | "invalid" | "conflict" | "closed" | "incomplete"> {
  constructor(
    code: MemoError["code"],
    message: string,
    readonly details: {
      /** Field → message, for forms. */
      fields?: Record<string, string>;
      /** For a conflict: the revision that was saved since the writer opened the section (`by` an id, `byName` its label). */
      latest?: { revision: number; by: string | null; byName: string | null; at: Date; text: string };
      /** For `incomplete`: the required sections not written. */
      missing?: string[];
    } = {},
  ) {
    super(code, message);
  }
}

/** A section as people see it: the template's title and prompt with the stored state. */
export interface SectionView {
  key: string;
  title: string;
  prompt: string;
  required: boolean;
  maxLength: number;
  ownerId: string | null;
  state: SectionState;
  revision: number;
  text: string;
  updatedBy: string | null;
  updatedAt: Date;
}

/** A memo with its sections (in template order) and approvals. */
export interface MemoView {
  id: number;
  templateId: string;
  templateTitle: string;
  title: string;
  createdBy: string;
  channel: string | null;
  trackingTs: string | null;
  dueAt: Date | null;
  state: MemoState;
  version: number;
  lockedAt: Date | null;
  assembledAt: Date | null;
  /** The day the memo is written as of (its date and its facts' window); null: the day it is rendered. */
  asOf: IsoDate | null;
  /** The Slack canvas it was published to, if any. */
  canvasId: string | null;
  sections: SectionView[];
  approvals: Array<{ approver: string; approvedAt: Date | null; memoVersion: number | null }>;
}

const withAll = { sections: true, approvals: { orderBy: { id: "asc" as const } } } satisfies Prisma.MemoInclude;
type MemoRow = Prisma.MemoGetPayload<{ include: typeof withAll }>;

/** "template_id" -> "templateId"; a `*_at` column's JSON text -> Date (the columns' Prisma names and types). */
function fromJsonRow<T>(json: Record<string, unknown>): T {
  const row: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(json)) {
    const field = column.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    row[field] = column.endsWith("_at") && typeof value === "string" ? new Date(value) : value;
  }
  return row as T;
}

/**
 * A memo with its sections and approvals in one statement: Prisma's `include` reads them in three, and a section's
 * submission waits for this read before its write (on the embedded database every statement queues behind the others).
 */
async function readMemoRow(prisma: PrismaClient, id: number): Promise<MemoRow | null> {
  const rows = await prisma.$queryRaw<Array<{ memo: Record<string, unknown>; sections: Array<Record<string, unknown>>; approvals: Array<Record<string, unknown>> }>>`
    SELECT row_to_json(m) AS memo,
           COALESCE((SELECT json_agg(s) FROM memo_section s WHERE s.memo_id = m.id), '[]') AS sections,
           COALESCE((SELECT json_agg(a ORDER BY a.id) FROM memo_approval a WHERE a.memo_id = m.id), '[]') AS approvals
      FROM memo m
     WHERE m.id = ${id}`;
  const row = rows[0];
  if (!row) return null;
  return {
    ...fromJsonRow<Omit<MemoRow, "sections" | "approvals">>(row.memo),
    sections: row.sections.map((s) => fromJsonRow<MemoRow["sections"][number]>(s)),
    approvals: row.approvals.map((a) => fromJsonRow<MemoRow["approvals"][number]>(a)),
  };
}

function template(deps: Pick<MemoDeps, "templates">, id: string): MemoTemplate {
  try {
    return deps.templates.get(id);
  } catch (error) {
    if (error instanceof TemplateError) {
      throw new MemoError(error.code === "template_not_found" ? "not_found" : "invalid", error.code === "template_not_found" ? `There is no template "${id}".` : `The template "${id}" is broken: ${error.problems.map((p) => p.message).join("; ")}`);
    }
    throw error;
  }
}

function view(row: MemoRow, tpl: MemoTemplate): MemoView {
  const byKey = new Map(row.sections.map((s) => [s.key, s]));
  return {
    id: row.id,
    templateId: row.templateId,
    templateTitle: tpl.title,
    title: row.title,
    createdBy: row.createdBy,
    channel: row.channel,
    trackingTs: row.trackingTs,
    dueAt: row.dueAt,
    state: row.state as MemoState,
    version: row.version,
    lockedAt: row.lockedAt,
    assembledAt: row.assembledAt,
    asOf: row.asOf,
    canvasId: row.canvasId,
    sections: tpl.sections.map((t) => {
      const s = byKey.get(t.key);
      return {
        key: t.key,
        title: t.title,
        prompt: t.prompt,
        required: t.required,
        maxLength: t.maxLength,
        ownerId: s?.ownerId ?? null,
        state: (s?.state ?? "waiting") as SectionState,
        revision: s?.revision ?? 0,
        text: s?.text ?? "",
        updatedBy: s?.updatedBy ?? null,
        updatedAt: s?.updatedAt ?? row.createdAt,
      };
    }),
    approvals: row.approvals.map((a) => ({ approver: a.approver, approvedAt: a.approvedAt, memoVersion: a.memoVersion })),
  };
}

/** One memo, or MemoError not_found. */
export async function getMemo(deps: Pick<MemoDeps, "prisma" | "templates">, id: number): Promise<MemoView> {
  const row = await readMemoRow(deps.prisma, id);
  if (!row) throw new MemoError("not_found", `There is no memo #${id}.`);
  return view(row, template(deps, row.templateId));
}

/** Memos, newest first; by default those still open. */
export async function listMemos(deps: Pick<MemoDeps, "prisma" | "templates">, options: { states?: MemoState[]; limit?: number } = {}): Promise<MemoView[]> {
  const rows = await deps.prisma.memo.findMany({
    where: { state: { in: options.states ?? ["open"] } },
    include: withAll,
    orderBy: { id: "desc" },
    take: options.limit ?? 50,
  });
  return rows.map((row) => view(row, template(deps, row.templateId)));
}

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

function isAdmin(deps: MemoDeps, user: string) {
  return deps.admins.includes(user);
}

async function load(deps: MemoDeps, memoId: number): Promise<{ row: MemoRow; memo: MemoView }> {
  const row = await readMemoRow(deps.prisma, memoId);
  if (!row) throw new MemoError("not_found", `There is no memo #${memoId}.`);
  return { row, memo: view(row, template(deps, row.templateId)) };
}

function section(memo: MemoView, key: string): SectionView {
  const s = memo.sections.find((x) => x.key === key);
  if (!s) throw new MemoError("not_found", `Memo #${memo.id} has no section "${key}". Its sections: ${memo.sections.map((x) => x.key).join(", ")}.`);
  return s;
}

function open(memo: MemoView) {
  if (memo.state === "cancelled") throw new MemoError("closed", `Memo #${memo.id} was cancelled.`);
}

/** The section's owner, the memo's creator, or an admin: who may write, finalize or reassign a section. */
export function maySection(deps: Pick<MemoDeps, "admins">, memo: MemoView, s: SectionView, user: string): boolean {
  return s.ownerId === user || memo.createdBy === user || deps.admins.includes(user);
}

/** The memo's creator or an admin: who may ask for sign-off, cancel, or assemble with required sections missing. */
export function mayManage(deps: Pick<MemoDeps, "admins">, memo: Pick<MemoView, "createdBy">, user: string): boolean {
  return memo.createdBy === user || deps.admins.includes(user);
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
export async function writeSection(
  deps: MemoDeps,
  memoId: number,
  key: string,
  input: { text: string; baseRevision: number },
  user: string,
): Promise<SectionSaved> {
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
  const rows = await deps.prisma.$queryRaw<
    Array<{ id: number; revision: number; text: string; state: string; updated_by: string | null; updated_at: Date; version: number; unlocked: boolean }>
  >`
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

/**
 * A memo's as-of day, checked: a real YYYY-MM-DD not after today in the team's time zone (a memo cannot know the
 * future). MemoError("invalid") with the field `asOf` otherwise.
 */
export function checkAsOf(value: string, deps: Pick<MemoDeps, "clock" | "timeZone">): IsoDate {
  const day = value.trim();
  if (!isIsoDate(day)) throw new MemoError("invalid", `"${day}" is not a date: write it as YYYY-MM-DD, like 2017-07-20.`, { fields: { asOf: "A date, YYYY-MM-DD." } });
  const today = dateInZone(deps.clock.now(), deps.timeZone);
  if (day > today) throw new MemoError("invalid", `${day} is after today (${today}): a memo can only be written as of today or an earlier day.`, { fields: { asOf: `Today (${today}) or earlier.` } });
  return day;
}

/** One kept assembly of a memo. */
export interface MemoAssemblyView {
  number: number;
  asOf: IsoDate;
  markdown: string;
  assembledBy: string;
  at: Date;
}

/**
 * Assembles the memo into Markdown from its template, sections and the facts known on its as-of day (`asOf`, else the
 * memo's own, else today), marks it assembled and keeps the assembly (numbered 1, 2...) for `diff`. Missing required
 * sections refuse with MemoError("incomplete") unless `force`, which only the memo's creator or an admin may use.
 */
export async function assemble(
  deps: MemoDeps,
  memoId: number,
  user: string,
  options: { force?: boolean; asOf?: IsoDate } = {},
): Promise<{ memo: MemoView; assembled: AssembledMemo & { date: IsoDate }; assembly: { number: number; previous: number | null } }> {
  const { memo } = await load(deps, memoId);
  open(memo);
  if (memo.createdBy !== user && !isAdmin(deps, user) && !memo.sections.some((s) => s.ownerId === user)) {
    throw new MemoError("forbidden", `Only the memo's creator, a section owner or an admin can assemble memo #${memoId}.`);
  }
  const asOf = options.asOf ? checkAsOf(options.asOf, deps) : undefined;
  const assembled = await render(deps, memo, asOf ? { asOf } : {});
  if (assembled.missingRequired.length > 0) {
    const titles = assembled.missingRequired.map((k) => memo.sections.find((s) => s.key === k)?.title ?? k);
    if (!options.force) throw new MemoError("incomplete", `Required sections not written yet: ${titles.join(", ")}.`, { missing: assembled.missingRequired });
    if (!mayManage(deps, memo, user)) {
      throw new MemoError("forbidden", `Only the memo's creator or an admin can assemble memo #${memoId} with required sections missing (${titles.join(", ")}).`);
    }
  }
  const number = await deps.prisma.$transaction(async (tx) => {
    // Serializes two assemblies of one memo: the row lock is held until the assembly row is in.
    await tx.$executeRaw`SELECT 1 FROM "memo" WHERE "id" = ${memoId} FOR UPDATE`;
    const last = await tx.memoAssembly.findFirst({ where: { memoId }, orderBy: { number: "desc" }, select: { number: true } });
    const next = (last?.number ?? 0) + 1;
    await tx.memoAssembly.create({ data: { memoId, number: next, asOf: assembled.date, markdown: assembled.markdown, assembledBy: user } });
    await tx.memo.update({
      where: { id: memoId },
      data: { state: "assembled", assembledAt: deps.clock.now(), assembledMarkdown: assembled.markdown, ...(asOf ? { asOf } : {}) },
    });
    return next;
  });
  return { memo: await getMemo(deps, memoId), assembled, assembly: { number, previous: number > 1 ? number - 1 : null } };
}

/** Every kept assembly of a memo, oldest first (MemoError not_found for a memo that is not there). */
export async function listAssemblies(deps: Pick<MemoDeps, "prisma" | "templates">, memoId: number): Promise<MemoAssemblyView[]> {
  await getMemo(deps, memoId);
  const rows = await deps.prisma.memoAssembly.findMany({ where: { memoId }, orderBy: { number: "asc" } });
  return rows.map((r) => ({ number: r.number, asOf: r.asOf, markdown: r.markdown, assembledBy: r.assembledBy, at: r.createdAt }));
}

/** The memo's latest assembly (what the thread shows), or MemoError not_found when it was never assembled. */
export async function latestAssembly(deps: Pick<MemoDeps, "prisma" | "templates">, memoId: number): Promise<{ memo: MemoView; assembly: MemoAssemblyView }> {
  const memo = await getMemo(deps, memoId);
  const row = await deps.prisma.memoAssembly.findFirst({ where: { memoId }, orderBy: { number: "desc" } });
  if (!row) throw new MemoError("not_found", `Memo #${memoId} has not been assembled yet: assemble it first.`);
  return { memo, assembly: { number: row.number, asOf: row.asOf, markdown: row.markdown, assembledBy: row.assembledBy, at: row.createdAt } };
}

/** The memo rendered now, without changing it (export, preview), as of `asOf`, else the memo's day, else today. */
export async function render(deps: MemoDeps, memo: MemoView, options: { asOf?: IsoDate } = {}): Promise<AssembledMemo & { date: IsoDate }> {
  const date: IsoDate = options.asOf ? checkAsOf(options.asOf, deps) : (memo.asOf ?? dateInZone(deps.clock.now(), deps.timeZone));
  // The authors: its creator, then whoever wrote a revision of a section, in the order they first did.
  const writers = await deps.prisma.memoRevision.findMany({
    where: { section: { memoId: memo.id } },
    select: { author: true },
    distinct: ["author"],
    orderBy: { id: "asc" },
  });
  const authorIds = distinctIds([memo.createdBy, ...writers.map((w) => w.author), ...memo.sections.map((s) => s.updatedBy)]);
  // Names, never member ids: a document keeps what it says, so it waits a moment for names not known yet.
  const names = await directory(deps).names(authorIds, { waitMs: NAME_WAIT_MS });
  const sections: Record<string, SectionInput> = {};
  for (const s of memo.sections) sections[s.key] = { text: s.text, state: s.state, ...(s.updatedBy ? { author: names.label(s.updatedBy) } : {}) };
  const assembled = assembleMemo({
    template: template(deps, memo.templateId),
    title: memo.title,
    date,
    authors: [...new Set(names.labels(authorIds))],
    ...(deps.banner ? { banner: deps.banner } : {}),
    sections,
    // The facts as they stood on the memo's date (src/facts/as-of.ts): known by then, as they read then; the bot's
    // cache keeps them indexed per store version and day.
    facts: deps.asOfCache ? await deps.asOfCache.index(date) : await factsAsOf(deps.prisma, date, { timeZone: deps.timeZone, now: deps.clock.now() }),
    deadLinks: await loadDeadLinks(deps.prisma),
  });
  return { ...assembled, date };
}

/** Records the canvas a memo was published to. */
export async function setCanvas(prisma: PrismaClient, memoId: number, canvasId: string | null): Promise<void> {
  await prisma.memo.update({ where: { id: memoId }, data: { canvasId } });
}

/** Every saved text of a section, oldest first, with who wrote it (`author` an id, `authorName` its label). */
export async function sectionHistory(deps: Pick<MemoDeps, "prisma" | "templates" | "people">, memoId: number, key: string) {
  const memo = await getMemo(deps, memoId);
  const s = section(memo, key);
  const row = await deps.prisma.memoSection.findUniqueOrThrow({ where: { memoId_key: { memoId, key } }, include: { revisions: { orderBy: { revision: "asc" } } } });
  const names = await directory(deps).names(row.revisions.map((r) => r.author));
  return {
    memo,
    section: s,
    revisions: row.revisions.map((r) => ({ revision: r.revision, author: r.author, authorName: names.label(r.author), at: r.createdAt, text: r.text })),
  };
}

/** Sections waiting for `user` (not final) in open memos, soonest due first: the Home tab's list. */
export async function sectionsFor(deps: Pick<MemoDeps, "prisma" | "templates">, user: string): Promise<Array<{ memo: MemoView; section: SectionView }>> {
  const rows = await deps.prisma.memoSection.findMany({
    where: { ownerId: user, state: { not: "final" }, memo: { state: "open" } },
    select: { memoId: true, key: true },
    take: 50,
  });
  // One read for all their memos, not one per section.
  const memoRows = await deps.prisma.memo.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.memoId))] } }, include: withAll });
  const memos = new Map<number, MemoView>();
  for (const row of memoRows) memos.set(row.id, view(row, template(deps, row.templateId)));
  const out: Array<{ memo: MemoView; section: SectionView }> = [];
  for (const r of rows) {
    const memo = memos.get(r.memoId);
    if (memo) out.push({ memo, section: section(memo, r.key) });
  }
  return out.sort((a, b) => (a.memo.dueAt?.getTime() ?? Infinity) - (b.memo.dueAt?.getTime() ?? Infinity));
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
