/**
 * Closing a deadline: the checks a closing fact passes against the store (it must name a deadline's event key; an
 * effective date can be extended or withdrawn, not met or missed), for imports, the forms and the CLI alike.
 */
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { fromDbDate, type IsoDate } from "./dates.js";
import type { FactLine, LineError } from "./jsonl.js";

type Db = PrismaClient | Prisma.TransactionClient;

/** What a closing check needs of a line (or of a fact being added or edited). */
export interface ClosingLine {
  kind: string;
  topic: string;
  event?: string | null | undefined;
  due_kind?: string | undefined;
  closes?: string | undefined;
  outcome?: string | undefined;
}

/** The deadlines of a topic by event key: whether one is an obligation (else all are effective dates). */
interface KeyedDeadlines {
  count: number;
  obligation: boolean;
}

/**
 * Why each closing line cannot be stored, keyed by its index in `lines`: a `closes` that names no deadline of the
 * line's topic (in the store, or among `lines`), or a met/missed outcome of an effective date. `exceptId`: a stored fact
 * being edited (its own stored row is left out: the line replaces it).
 */
export async function closingProblems(db: Db, lines: readonly ClosingLine[], exceptId?: number): Promise<Map<number, { field: string; message: string }>> {
  const problems = new Map<number, { field: string; message: string }>();
  const closing = lines.map((l, i) => ({ l, i })).filter(({ l }) => l.closes !== undefined && l.outcome !== undefined);
  if (closing.length === 0) return problems;
  const keys = [...new Set(closing.map(({ l }) => `${l.topic}|${l.closes}`))];
  const deadlines = new Map<string, KeyedDeadlines>();
  const add = (key: string, dueKind: string | undefined | null) => {
    const d = deadlines.get(key) ?? { count: 0, obligation: false };
    d.count++;
    if ((dueKind ?? "obligation") === "obligation") d.obligation = true;
    deadlines.set(key, d);
  };
  for (const l of lines) if (l.kind === "deadline" && l.event) add(`${l.topic}|${l.event}`, l.due_kind);
  const rows = await db.fact.findMany({
    where: {
      kind: "deadline",
      retractedAt: null,
      event: { in: [...new Set(closing.map(({ l }) => l.closes!))] },
      topic: { in: [...new Set(closing.map(({ l }) => l.topic))] },
      ...(exceptId !== undefined ? { id: { not: exceptId } } : {}),
    },
    select: { topic: true, event: true, dueKind: true },
  });
  for (const r of rows) if (keys.includes(`${r.topic}|${r.event}`)) add(`${r.topic}|${r.event}`, r.dueKind);
  for (const { l, i } of closing) {
    const found = deadlines.get(`${l.topic}|${l.closes}`);
    if (!found) {
      problems.set(i, {
        field: "closes",
        message: `no deadline of topic ${l.topic} has the event key "${l.closes}" (in the store${lines.length > 1 ? " or the file" : ""}); give the deadline that event key first`,
      });
    } else if (!found.obligation && (l.outcome === "met" || l.outcome === "missed")) {
      problems.set(i, {
        field: "outcome",
        message: `"${l.closes}" is an effective date (it happens by itself): it can be extended or withdrawn, not ${l.outcome}`,
      });
    }
  }
  return problems;
}

/** The closing problems of an import's lines, as line errors. */
export async function closingLineErrors(db: Db, lines: ReadonlyArray<FactLine & { line?: number }>): Promise<LineError[]> {
  const problems = await closingProblems(db, lines);
  return [...problems].map(([i, p]) => ({ line: lines[i]!.line ?? i + 1, ...p }));
}

/**
 * Why an edit of a deadline would leave the facts that close it behind (its event key, topic or kind changed with no
 * other deadline keeping the key), or give an effective date a met or missed outcome; null when it would not.
 */
export async function orphanedClosers(
  db: Db,
  before: { id: number; kind: string; event: string | null; topic: string },
  after: { kind: string; event?: string | null | undefined; topic: string; dueKind?: string | null | undefined },
): Promise<{ field: string; message: string } | null> {
  if (before.kind !== "deadline" || before.event === null) return null;
  const closers = await db.fact.findMany({
    where: { closes: before.event, topic: before.topic, retractedAt: null, outcome: { not: null } },
    select: { id: true, outcome: true },
    orderBy: { id: "asc" },
  });
  if (closers.length === 0) return null;
  const names = closers.map((c) => `#${c.id} (${c.outcome})`).join(", ");
  const keeps = after.kind === "deadline" && after.event === before.event && after.topic === before.topic;
  if (!keeps) {
    const others = await db.fact.count({ where: { kind: "deadline", event: before.event, topic: before.topic, retractedAt: null, id: { not: before.id } } });
    if (others === 0) {
      const field = after.kind !== "deadline" ? "kind" : after.topic !== before.topic ? "topic" : "event";
      return { field, message: `fact ${names} closes this deadline by its event key "${before.event}"; change or retract ${closers.length === 1 ? "that fact" : "those facts"} first` };
    }
  }
  if (keeps && after.dueKind === "effective" && closers.some((c) => c.outcome === "met" || c.outcome === "missed")) {
    return { field: "due_kind", message: `fact ${names} records this deadline as met or missed; an effective date can only be extended or withdrawn` };
  }
  return null;
}

/**
 * The day each deadline counts as closed from (the earliest day a live fact closing its event key became known), for
 * those that have one: a deadline closed by a day gets no alert that day (src/alerts/). One query.
 */
export async function closedFrom(db: Db, deadlines: ReadonlyArray<{ id: number; event: string | null; topic: string }>): Promise<Map<number, { from: IsoDate; outcome: string }>> {
  const out = new Map<number, { from: IsoDate; outcome: string }>();
  const events = [...new Set(deadlines.map((d) => d.event).filter((e): e is string => e !== null))];
  if (events.length === 0) return out;
  const closers = await db.fact.findMany({
    where: { closes: { in: events }, outcome: { not: null }, retractedAt: null },
    select: { id: true, closes: true, outcome: true, topic: true, visibleFrom: true },
    orderBy: [{ visibleFrom: "asc" }, { id: "asc" }],
  });
  for (const d of deadlines) {
    const first = closers.find((c) => c.closes === d.event && c.topic === d.topic && c.id !== d.id);
    if (first) out.set(d.id, { from: fromDbDate(first.visibleFrom), outcome: first.outcome! });
  }
  return out;
}
