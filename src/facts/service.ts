/**
 * The fact service's writes: adding, editing and retracting a fact, with its checks (rules of the day, likely
 * duplicates, closing deadlines), relative deadlines recomputed, and an audit row for every change.
 */
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { type Clock, systemClock } from "../clock.js";
import { addDays, fromDbDate, type IsoDate, toDbDate, utcDay } from "./dates.js";
import { changedFields } from "./edit.js";
import { checkFactLine, type FactLine, type FactRulesContext } from "./jsonl.js";
import { factToLineObject } from "./export.js";
import type { Fact } from "./model.js";
import { type FactData, factRowDiffers, lineToData, toFact } from "./rows.js";
import { likelyDuplicates } from "./duplicates.js";
import { snapshot } from "./audit.js";
import { KorusError } from "../errors.js";
import { closingProblems, orphanedClosers } from "./closing.js";
import { guardText, TextRefused } from "../text-guard.js";
import { peopleOf } from "../people/store.js";

type Tx = Prisma.TransactionClient;

/** What the fact service needs: the database and who may change any fact. */
export interface FactsDeps {
  prisma: PrismaClient;
  /** Slack user ids allowed to edit or retract any fact (KORUS_ADMINS). */
  admins: readonly string[];
  /** Today in the team's time zone: a fact's `known` may not be after it. Default: the clock's day in UTC. */
  today?: () => IsoDate;
  /** The time of changes (a retraction, the day an added fact is stored). Default: the system clock. */
  clock?: Clock;
}

/** The clock of `deps`. */
export function clockOf(deps: Pick<FactsDeps, "clock">): Clock {
  return deps.clock ?? systemClock;
}

/** The day-dependent rules' context of `deps`: its today, else the clock's day in UTC. */
export function rulesOf(deps: Pick<FactsDeps, "today" | "clock">): FactRulesContext {
  return { today: deps.today?.() ?? utcDay(clockOf(deps).now()) };
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
export function validateFactInput(raw: unknown, context: FactRulesContext = rulesOf({})): FactLine {
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
    [
      {
        key: 0,
        date: fromDbDate(data.date as Date),
        title: data.title,
        kind: data.kind,
        topic: data.topic ?? "korus",
        event: data.event ?? null,
        ...(exceptId !== undefined ? { exclude: exceptId } : {}),
      },
    ],
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

async function resolveData(tx: Tx, line: FactLine, exceptId?: number, stored?: { createdAt: Date; afterFactId: number | null }, now: Date = systemClock.now()): Promise<FactData> {
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
  const data = lineToData(line, date!, afterFactId, { base, stored: utcDay(stored ? stored.createdAt : now) });
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
  return deps.prisma.$transaction((tx) => addLine(tx, line, user, check, clockOf(deps).now()));
}

/** Adds a validated line inside a transaction (see {@link addFact}); `now` gives the day it is stored. */
export async function addLine(tx: Tx, line: FactLine, user: string, check: DuplicateCheck = {}, now: Date = systemClock.now()): Promise<Fact> {
  const data = await resolveData(tx, line, undefined, undefined, now);
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
export async function changeFact(deps: FactsDeps, id: number, edit: FactEdit, user: string, options: { reason?: string; check?: DuplicateCheck } = {}): Promise<EditResult> {
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
export async function editFact(deps: FactsDeps, id: number, raw: unknown, user: string, reason?: string, check: DuplicateCheck = {}): Promise<EditResult> {
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
    const after = await tx.fact.update({ where: { id }, data: { retractedAt: clockOf(deps).now(), retractedBy: user, retractReason: why } });
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
