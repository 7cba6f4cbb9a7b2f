/**
 * Assembling a stored memo: rendered from its template, sections and the facts known on its day (assemble.ts builds the
 * Markdown), marked assembled, and each assembly kept, numbered, for `diff` and the thread.
 */
import { type IsoDate, isIsoDate } from "../facts/dates.js";
import { dateInZone } from "../time-zone.js";
import { factsAsOf } from "../facts/as-of.js";
import { loadDeadLinks } from "../sources/dead-links.js";
import { distinctIds } from "../people/names.js";
import { type AssembledMemo, assembleMemo } from "./assemble.js";
import type { SectionInput } from "./templates/template.js";
import { isAdmin, load, mayManage, MemoError, type MemoDeps, type MemoView, open, getMemo, template, directory, NAME_WAIT_MS } from "./read.js";

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
    deadLinks: await loadDeadLinks(deps.prisma, deps.timeZone),
  });
  return { ...assembled, date };
}
