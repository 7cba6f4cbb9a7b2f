/** The fact audit trail: the picture of a fact each audit row keeps, and a fact's history read back from them. */
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { changedFields } from "./edit.js";
import type { Fact } from "./model.js";
import { type FactRow, toFact } from "./rows.js";
import type { PeopleDirectory } from "../people/names.js";
import { peopleOf } from "../people/store.js";
import { FactError } from "./service.js";

/** The audit trail's picture of a fact: the domain form, so it reads the same in every database. */
export function snapshot(row: FactRow): Prisma.InputJsonValue {
  return JSON.parse(snapshotJson(row)) as Prisma.InputJsonValue;
}

/** {@link snapshot} as JSON text, for a statement that writes many audit rows (an import): made once, not made and reread. */
export function snapshotJson(row: FactRow): string {
  const { id, retracted, after, ...rest } = toFact(row);
  return JSON.stringify({ id, ...rest, after, retracted });
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
