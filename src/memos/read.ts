/**
 * Memos as people see them (MemoView: the template's sections with their stored state), read from the database in one
 * statement each, and who may do what to them. The writes are in service.ts, assembling in assemblies.ts.
 */
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { Clock } from "../clock.js";
import { KorusError } from "../errors.js";
import type { IsoDate } from "../facts/dates.js";
import type { FactsAsOfCache } from "../facts/as-of-cache.js";
import { distinctIds, type PeopleDirectory, type PeopleNames } from "../people/names.js";
import { peopleOf } from "../people/store.js";
import type { TemplateStore } from "./templates/store.js";
import { type MemoTemplate, TemplateError } from "./templates/template.js";

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
export const NAME_WAIT_MS = 2000;

export function directory(deps: Pick<MemoDeps, "prisma" | "people">): PeopleDirectory {
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

export const withAll = { sections: true, approvals: { orderBy: { id: "asc" as const } } } satisfies Prisma.MemoInclude;
export type MemoRow = Prisma.MemoGetPayload<{ include: typeof withAll }>;

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
export async function readMemoRow(prisma: PrismaClient, id: number): Promise<MemoRow | null> {
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

export function template(deps: Pick<MemoDeps, "templates">, id: string): MemoTemplate {
  try {
    return deps.templates.get(id);
  } catch (error) {
    if (error instanceof TemplateError) {
      throw new MemoError(
        error.code === "template_not_found" ? "not_found" : "invalid",
        error.code === "template_not_found" ? `There is no template "${id}".` : `The template "${id}" is broken: ${error.problems.map((p) => p.message).join("; ")}`,
      );
    }
    throw error;
  }
}

export function view(row: MemoRow, tpl: MemoTemplate): MemoView {
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

export function isAdmin(deps: MemoDeps, user: string) {
  return deps.admins.includes(user);
}

export async function load(deps: MemoDeps, memoId: number): Promise<{ row: MemoRow; memo: MemoView }> {
  const row = await readMemoRow(deps.prisma, memoId);
  if (!row) throw new MemoError("not_found", `There is no memo #${memoId}.`);
  return { row, memo: view(row, template(deps, row.templateId)) };
}

export function section(memo: MemoView, key: string): SectionView {
  const s = memo.sections.find((x) => x.key === key);
  if (!s) throw new MemoError("not_found", `Memo #${memo.id} has no section "${key}". Its sections: ${memo.sections.map((x) => x.key).join(", ")}.`);
  return s;
}

export function open(memo: MemoView) {
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
  // The open memos' ids are read once (an InitPlan), not joined: on the embedded database, which runs no autovacuum,
  // the memo tables' statistics stay those of the empty tables the migrations made, and the join Prisma writes for the
  // relation filter was then planned as a loop over every open memo that read the owner's whole index each time (645
  // memos of 8 sections of one owner: 51 ms, 97-137 ms after 3,000-5,160 saves, against 2-8 ms once analyzed). This
  // form is planned from the owner's sections outwards either way (3-15 ms unanalyzed, 3 ms analyzed). Which 50: the
  // first by id, as before.
  const rows = await deps.prisma.$queryRaw<Array<{ memoId: number; key: string }>>`
    SELECT s.memo_id AS "memoId", s.key
      FROM memo_section s
     WHERE s.owner_id = ${user} AND s.state <> 'final' AND s.memo_id = ANY (ARRAY(SELECT id FROM memo WHERE state = 'open'))
     ORDER BY s.id
     LIMIT 50`;
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
