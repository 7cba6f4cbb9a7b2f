import { Prisma, type PrismaClient } from "../generated/prisma/client.js";
import { addDays, fromDbDate, type IsoDate, toDbDate, utcToday } from "./dates.js";
import { changedFields } from "./edit.js";
import { checkFactLine, type FactLine, type FactRulesContext, factToLine, factToLineObject } from "./jsonl.js";
import type { Fact } from "./model.js";
import type { FactQuery } from "./query.js";
import { type FactData, factRowDiffers, likelyDuplicates, lineToData, snapshot, toFact, todayUtc } from "./import.js";
import { KorusError } from "../errors.js";
import { closingProblems, orphanedClosers } from "./closing.js";
import { outcomesOf } from "./as-of.js";
import type { DeadlineOutcome } from "./outcomes.js";
import { guardText, TextRefused } from "../text-guard.js";
import type { PeopleDirectory } from "../people/names.js";
import { peopleOf } from "../people/store.js";

type Tx = Prisma.TransactionClient;

/** What the fact service needs: the database and who may change any fact. */
export interface FactsDeps {
  prisma: PrismaClient;
  /** Slack user ids allowed to edit or retract any fact (KORUS_ADMINS). */
  admins: readonly string[];
  /** Today in the team's time zone: a fact's `known` may not be after it. Default: today in UTC. */
  today?: () => IsoDate;
}

/** The day-dependent rules' context of `deps`. */
function rulesOf(deps: Pick<FactsDeps, "today">): FactRulesContext {
  return { today: deps.today?.() ?? utcToday() };
}

/** Why a fact operation was refused. `fields` maps a fact JSON Lines path ("title", "source.url", "after.from") to a message. */
export class FactError extends KorusError<"invalid" | "not_found" | "forbidden" | "retracted" | "duplicate"> {
  constructor(
    code: "invalid" | "not_found" | "forbidden" | "retracted" | "duplicate",
    message: string,
    readonly fields: Record<string, string> = {},
  ) {
    super(code, message);
  }
}

/** True when `user` wrote the fact or is an admin. */
export function canChange(fact: { createdBy: string }, user: string, admins: readonly string[]): boolean {
  return fact.createdBy === user || admins.includes(user);
}

/**
 * Validates raw input by the one validation import uses too (checkFactLine: the schema, then `known` not after
 * today); every problem is keyed by its field path.
 */
export function validateFactInput(raw: unknown, context: FactRulesContext = { today: utcToday() }): FactLine {
  const checked = checkFactLine(raw, context);
  if ("line" in checked) return checked.line;
  const fields: Record<string, string> = {};
  for (const { field, message } of checked.issues) fields[field === "(line)" ? "(fact)" : field] ??= message;
  throw new FactError("invalid", "The fact is not valid:", fields);
}

/** Whether adding or editing a fact may go ahead when it looks like one already stored. */
export interface DuplicateCheck {
  /** The person saw the likely duplicates and saves anyway. */
  allowDuplicate?: boolean;
}

/** Refuses (FactError "duplicate", on the title) a fact that looks like a stored one, unless the person said go ahead. */
async function checkDuplicates(tx: Tx, data: FactData, check: DuplicateCheck, exceptId?: number): Promise<void> {
  if (check.allowDuplicate) return;
  const found = await likelyDuplicates(
    tx,
    [{ key: 0, date: fromDbDate(data.date as Date), title: data.title, kind: data.kind, topic: data.topic ?? "korus", event: data.event ?? null, ...(exceptId !== undefined ? { exclude: exceptId } : {}) }],
    3,
  );
  if (found.length === 0) return;
  const like = found.map((d) => `#${d.other.id} (${d.other.date}, “${d.other.title}”)`).join(", ");
  throw new FactError("duplicate", `This looks like fact ${like}.`, {
    title: `looks like fact ${like}. If it is another report of the same event, give both the same event key; to save it anyway, confirm`,
  });
}

/** Refuses (FactError "invalid", on `closes` or `outcome`) a fact that closes no deadline, or closes one it cannot. */
async function checkClosing(tx: Tx, line: FactLine, exceptId?: number): Promise<void> {
  const [problem] = (await closingProblems(tx, [line], exceptId)).values();
  if (problem) throw new FactError("invalid", `The fact cannot close that deadline: ${problem.message}.`, { [problem.field]: problem.message });
}

async function resolveData(tx: Tx, line: FactLine, exceptId?: number, stored?: { createdAt: Date; afterFactId: number | null }): Promise<FactData> {
  let date = line.date;
  let afterFactId: number | null = null;
  let base: IsoDate | null = null;
  if (line.after) {
    // An edit that keeps the fact it counts from keeps that very fact (another may share its date and title, and it
    // may have been retracted since), not the first live one that matches.
    const kept = stored?.afterFactId != null ? await tx.fact.findUnique({ where: { id: stored.afterFactId } }) : null;
    const from =
      kept && fromDbDate(kept.date) === line.after.from.date && kept.title === line.after.from.title
        ? kept
        : await tx.fact.findFirst({
            where: { date: toDbDate(line.after.from.date), title: line.after.from.title, retractedAt: null },
            orderBy: { id: "asc" },
          });
    if (!from) {
      throw new FactError("invalid", "The fact to count from does not exist.", {
        "after.from": `no fact dated ${line.after.from.date} titled "${line.after.from.title}"`,
      });
    }
    if (from.id === exceptId) throw new FactError("invalid", "A deadline cannot count from itself.", { "after.from": "is this fact itself" });
    afterFactId = from.id;
    base = fromDbDate(from.visibleFrom);
    date = addDays(fromDbDate(from.date), line.after.days);
    if (line.known && date < line.known) {
      throw new FactError("invalid", "The computed due date is before the fact's own date.", {
        "after.days": `gives a due date of ${date}, before the fact's own date ${line.known}`,
      });
    }
  }
  const data = lineToData(line, date!, afterFactId, { base, stored: stored ? fromDbDate(stored.createdAt) : todayUtc() });
  const clash = await tx.fact.findUnique({ where: { identity: { date: data.date, title: data.title, sourceKey: data.sourceKey } } });
  if (clash && clash.id !== exceptId) {
    throw new FactError("invalid", `Fact #${clash.id} already has this date, title and source.`, {
      title: `fact #${clash.id} already has this date, title and source`,
    });
  }
  return data;
}

/**
 * Adds a fact (anyone may).
 * @throws FactError("invalid") with the fields at fault; FactError("duplicate") when it looks like a stored fact and
 * `check.allowDuplicate` is not set.
 */
export async function addFact(deps: FactsDeps, raw: unknown, user: string, check: DuplicateCheck = {}): Promise<Fact> {
  const line = validateFactInput(raw, rulesOf(deps));
  return deps.prisma.$transaction((tx) => addLine(tx, line, user, check));
}

/** Adds a validated line inside a transaction (see {@link addFact}). */
export async function addLine(tx: Tx, line: FactLine, user: string, check: DuplicateCheck = {}): Promise<Fact> {
  const data = await resolveData(tx, line);
  await checkClosing(tx, line);
  await checkDuplicates(tx, data, check);
  const row = await tx.fact.create({ data: { ...data, createdBy: user } });
  await tx.factAudit.create({ data: { factId: row.id, action: "create", actor: user, after: snapshot(row) } });
  return toFact(row);
}

async function loadForChange(tx: Tx, id: number, user: string, admins: readonly string[], verb: string) {
  const row = await tx.fact.findUnique({ where: { id } });
  if (!row) throw new FactError("not_found", `There is no fact #${id}.`);
  if (!canChange(row, user, admins)) {
    const author = (await peopleOf(tx).names([row.createdBy])).label(row.createdBy);
    throw new FactError("forbidden", `Only the author of fact #${id} (${author}) or an admin can ${verb} it.`);
  }
  if (row.retractedAt) throw new FactError("retracted", `Fact #${id} was retracted; it can no longer be changed.`);
  return row;
}

/** How an edit changes a fact: from the stored fact's JSON Lines object (every field) to the object to store. */
export type FactEdit = (stored: Record<string, unknown>) => Record<string, unknown>;

/** What an edit did: the fact as stored now, the deadlines that moved with it, and the fields that changed. */
export interface EditResult {
  fact: Fact;
  moved: Fact[];
  /** The fields of the audit snapshot that changed; empty when the edit changed nothing (and nothing was written). */
  changed: string[];
}

/**
 * Edits a fact (its author or an admin) by `edit`, which gets the stored fact as its JSON Lines object inside the
 * transaction (so a field it leaves alone keeps whatever is stored, even a change made since a form opened), and
 * returns the object to store; it is validated like an import line. An edit that changes nothing writes nothing: no
 * update, no audit row. Deadlines counting from the fact move with it, each with its own audit row.
 */
export async function changeFact(
  deps: FactsDeps,
  id: number,
  edit: FactEdit,
  user: string,
  options: { reason?: string; check?: DuplicateCheck } = {},
): Promise<EditResult> {
  return deps.prisma.$transaction((tx) => changeFactIn(tx, deps, id, edit, user, options));
}

/** Edits a fact inside a transaction (see {@link changeFact}). */
export async function changeFactIn(
  tx: Tx,
  deps: Pick<FactsDeps, "admins" | "today">,
  id: number,
  edit: FactEdit,
  user: string,
  options: { reason?: string; check?: DuplicateCheck } = {},
): Promise<EditResult> {
  const rules = rulesOf(deps);
  const reason = options.reason !== undefined ? guardedReason(options.reason) || null : null;
  const before = await loadForChange(tx, id, user, deps.admins, "edit");
  const from = before.afterFactId !== null ? await tx.fact.findUnique({ where: { id: before.afterFactId } }) : null;
  const stored = factToLineObject(toFact(before), from ? { date: fromDbDate(from.date), title: from.title } : undefined);
  const line = validateFactInput(edit(stored), rules);
  const data = await resolveData(tx, line, id, before);
  if (!factRowDiffers(before, data)) return { fact: toFact(before), moved: [], changed: [] };
  if (line.closes !== undefined && (line.closes !== before.closes || line.outcome !== before.outcome || line.topic !== before.topic)) await checkClosing(tx, line, id);
  const orphaned = await orphanedClosers(tx, before, { kind: line.kind, event: line.event, topic: line.topic, dueKind: line.due_kind });
  if (orphaned) throw new FactError("invalid", `The edit would break an outcome: ${orphaned.message}.`, { [orphaned.field]: orphaned.message });
  // Only a change of date or title can make a fact look like another one.
  if (fromDbDate(before.date) !== fromDbDate(data.date as Date) || before.title !== data.title) await checkDuplicates(tx, data, options.check ?? {}, id);
  const after = await tx.fact.update({ where: { id }, data });
  const beforeSnapshot = snapshot(before);
  const afterSnapshot = snapshot(after);
  await tx.factAudit.create({
    data: { factId: id, action: "edit", actor: user, before: beforeSnapshot, after: afterSnapshot, reason },
  });
  const moved = await recomputeDependents(tx, after, user);
  return { fact: toFact(after), moved, changed: changedFields(beforeSnapshot as Record<string, unknown>, afterSnapshot as Record<string, unknown>) };
}

/**
 * Edits a fact to `raw`, a whole fact JSON Lines object (see {@link changeFact}; a form should pass only what changed
 * through {@link mergeFormEdit} instead).
 * @returns the edited fact, the deadlines that moved, and the fields that changed.
 */
export async function editFact(
  deps: FactsDeps,
  id: number,
  raw: unknown,
  user: string,
  reason?: string,
  check: DuplicateCheck = {},
): Promise<EditResult> {
  return changeFact(deps, id, () => raw as Record<string, unknown>, user, { ...(reason !== undefined ? { reason } : {}), check });
}

async function recomputeDependents(tx: Tx, base: { id: number; date: Date }, user: string, depth = 0): Promise<Fact[]> {
  if (depth > 20) return []; // a chain this long is a mistake; stop rather than loop
  const dependents = await tx.fact.findMany({ where: { afterFactId: base.id, retractedAt: null } });
  const moved: Fact[] = [];
  for (const dep of dependents) {
    const date = toDbDate(addDays(fromDbDate(base.date), dep.afterDays ?? 0));
    if (date.getTime() === dep.date.getTime()) continue;
    const updated = await tx.fact.update({ where: { id: dep.id }, data: { date } });
    await tx.factAudit.create({
      data: {
        factId: dep.id,
        action: "recompute",
        actor: user,
        before: snapshot(dep),
        after: snapshot(updated),
        reason: `counts ${dep.afterDays} days from fact #${base.id}, which moved`,
      },
    });
    moved.push(toFact(updated), ...(await recomputeDependents(tx, updated, user, depth + 1)));
  }
  return moved;
}

/** Retracts a fact (its author or an admin): it leaves status, search and briefs, but stays in history and export. */
export async function retractFact(deps: FactsDeps, id: number, reason: string, user: string): Promise<Fact> {
  const why = guardedReason(reason);
  if (!why) throw new FactError("invalid", "Say why the fact is retracted.", { reason: "must say why" });
  return deps.prisma.$transaction(async (tx) => {
    const before = await loadForChange(tx, id, user, deps.admins, "retract");
    const after = await tx.fact.update({ where: { id }, data: { retractedAt: new Date(), retractedBy: user, retractReason: why } });
    await tx.factAudit.create({ data: { factId: id, action: "retract", actor: user, before: snapshot(before), after: snapshot(after), reason: why } });
    return toFact(after);
  });
}

/** A reason for a change, through the one text guard (src/text-guard.ts); FactError on the `reason` field if refused. */
export function guardedReason(reason: string): string {
  try {
    return guardText(reason).trim();
  } catch (error) {
    if (error instanceof TextRefused) throw new FactError("invalid", "The reason cannot be stored:", { reason: error.problem });
    throw error;
  }
}

/** A stored fact with who may change it, or undefined. */
export async function getFact(prisma: PrismaClient, id: number): Promise<(Fact & { createdBy: string }) | undefined> {
  const row = await prisma.fact.findUnique({ where: { id } });
  return row ? { ...toFact(row), createdBy: row.createdBy } : undefined;
}

/** One entry of a fact's history: what changed, field by field, and who changed it (`actor` an id, `actorName` its label). */
export interface HistoryEntry {
  at: Date;
  actor: string;
  actorName: string;
  action: string;
  reason: string | null;
  changes: Array<{ field: string; before: unknown; after: unknown }>;
}

/** Every change to a fact, oldest first, with who made it by name. */
export async function factHistory(prisma: PrismaClient, id: number, people: PeopleDirectory = peopleOf(prisma)): Promise<{ fact: Fact; entries: HistoryEntry[] }> {
  const row = await prisma.fact.findUnique({ where: { id }, include: { audits: { orderBy: [{ at: "asc" }, { id: "asc" }] } } });
  if (!row) throw new FactError("not_found", `There is no fact #${id}.`);
  const names = await people.names(row.audits.map((a) => a.actor));
  const entries = row.audits.map((a) => {
    const before = (a.before ?? {}) as Record<string, unknown>;
    const after = (a.after ?? {}) as Record<string, unknown>;
    const changes = (a.before ? changedFields(before, after) : []).map((field) => ({ field, before: before[field], after: after[field] }));
    return { at: a.at, actor: a.actor, actorName: names.label(a.actor), action: a.action, reason: a.reason, changes };
  });
  return { fact: toFact(row), entries };
}

/** A page of search results. */
export interface SearchResult {
  facts: Fact[];
  total: number;
  offset: number;
  /** For each listed fact with an event key, the other live facts reporting that event, oldest first. */
  sameEvent: Record<number, Fact[]>;
  /** The outcome of each listed deadline that a fact known by the search's day closes (met, missed...). */
  outcomes?: Record<number, DeadlineOutcome>;
}

const CANONICAL_ACTORS = new Set(["US", "Korea", "both"]);

/**
 * Searches live (not retracted) facts: full-text over title and summary (ranked, then newest first) with filters.
 */
export async function searchFacts(
  prisma: PrismaClient,
  query: FactQuery,
  page: { limit?: number; offset?: number; asOf?: IsoDate } = {},
): Promise<SearchResult> {
  const limit = Math.min(Math.max(page.limit ?? 10, 1), 100);
  const offset = Math.max(page.offset ?? 0, 0);
  const where: Prisma.Sql[] = [Prisma.sql`f.retracted_at IS NULL`];
  if (query.words) where.push(Prisma.sql`f.search @@ websearch_to_tsquery('english', ${query.words})`);
  if (query.kind) where.push(Prisma.sql`f.kind = ${query.kind}`);
  if (query.topic) where.push(Prisma.sql`f.topic = ${query.topic}`);
  if (query.since) where.push(Prisma.sql`f.date >= ${query.since}::date`);
  if (query.until) where.push(Prisma.sql`f.date <= ${query.until}::date`);
  if (query.actor) {
    where.push(
      CANONICAL_ACTORS.has(query.actor)
        ? Prisma.sql`f.actor = ${query.actor}`
        : Prisma.sql`f.actor ILIKE ${`%${query.actor.replace(/[%_\\]/g, "\\$&")}%`}`,
    );
  }
  // Ranked by relevance when there are words, then newest first.
  const order = query.words
    ? Prisma.sql`ts_rank_cd(f.search, websearch_to_tsquery('english', ${query.words})) DESC, f.date DESC, f.id DESC`
    : Prisma.sql`f.date DESC, f.id DESC`;
  const rows = await prisma.$queryRaw<Array<{ id: number; total: bigint }>>`
    SELECT f.id, count(*) OVER () AS total
      FROM fact f
     WHERE ${Prisma.join(where, " AND ")}
     ORDER BY ${order}
     LIMIT ${limit} OFFSET ${offset}`;
  const total = rows.length > 0 ? Number(rows[0]!.total) : offset > 0 ? (await countFacts(prisma, where)) : 0;
  const byId = new Map((await prisma.fact.findMany({ where: { id: { in: rows.map((r) => r.id) } } })).map((r) => [r.id, toFact(r)]));
  const facts = rows.map((r) => byId.get(r.id)!).filter(Boolean);
  const [sameEvent, outcomes] = await Promise.all([sameEventOf(prisma, facts), outcomesOf(prisma, facts, page.asOf ?? utcToday())]);
  return { facts, total, offset, sameEvent, outcomes };
}

/** For each fact with an event key, the other live facts of that event, oldest first. */
export async function sameEventOf(prisma: PrismaClient, facts: readonly Fact[]): Promise<Record<number, Fact[]>> {
  const events = [...new Set(facts.map((f) => f.event).filter((e): e is string => e !== null))];
  if (events.length === 0) return {};
  const rows = await prisma.fact.findMany({
    where: { event: { in: events }, retractedAt: null },
    orderBy: [{ date: "asc" }, { id: "asc" }],
    take: 200,
  });
  const others = rows.map(toFact);
  return Object.fromEntries(facts.filter((f) => f.event !== null).map((f) => [f.id, others.filter((o) => o.event === f.event && o.id !== f.id)]));
}

async function countFacts(prisma: PrismaClient, where: Prisma.Sql[]): Promise<number> {
  const [row] = await prisma.$queryRaw<Array<{ n: bigint }>>`SELECT count(*) AS n FROM fact f WHERE ${Prisma.join(where, " AND ")}`;
  return Number(row?.n ?? 0);
}

/**
 * Exports facts as JSON Lines (the import format), relative deadlines after the facts they count from. A retraction
 * names who made it by name (`retracted.by`), as every export does, never by member id.
 */
export async function exportFactsJsonl(prisma: PrismaClient, options: { includeRetracted?: boolean; people?: PeopleDirectory } = {}): Promise<string> {
  const rows = await prisma.fact.findMany({
    where: options.includeRetracted ? {} : { retractedAt: null },
    orderBy: [{ date: "asc" }, { id: "asc" }],
  });
  const names = await (options.people ?? peopleOf(prisma)).names(rows.map((r) => r.retractedBy));
  const byId = new Map(rows.map((r) => [r.id, r]));
  const written = new Set<number>();
  const out: string[] = [];
  const write = (row: (typeof rows)[number], stack = new Set<number>()) => {
    if (written.has(row.id) || stack.has(row.id)) return;
    stack.add(row.id);
    const from = row.afterFactId !== null ? byId.get(row.afterFactId) : undefined;
    if (from) write(from, stack);
    written.add(row.id);
    const retraction = row.retractedAt
      ? { at: row.retractedAt.toISOString(), ...(row.retractedBy ? { by: names.label(row.retractedBy) } : {}), reason: row.retractReason ?? "retracted" }
      : undefined;
    const fact = toFact(row);
    out.push(factToLine(from ? fact : { ...fact, after: null }, from ? { date: fromDbDate(from.date), title: from.title } : undefined, retraction));
  };
  for (const row of rows) write(row);
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}

/** The id → (date, title) of the facts deadlines count from, for forms that offer them. */
export async function recentFacts(prisma: PrismaClient, limit = 100): Promise<Array<Pick<Fact, "id" | "date" | "title" | "kind">>> {
  const rows = await prisma.fact.findMany({
    where: { retractedAt: null },
    orderBy: [{ date: "desc" }, { id: "desc" }],
    take: limit,
    select: { id: true, date: true, title: true, kind: true },
  });
  return rows.map((r) => ({ id: r.id, date: fromDbDate(r.date) as IsoDate, title: r.title, kind: r.kind as Fact["kind"] }));
}
