/**
 * "Mark met by…": closing a deadline from Slack's fact menu, the console and `korus facts close`. Closing is data: a
 * fact that names the deadline's event key (`closes`) and the outcome. It is either a fact already stored (the first
 * special session closes the deadline to hold it) or a new one recorded here; an extended deadline's closing fact is
 * the new deadline. A deadline without an event key gets one first. All in one transaction, audited like any edit.
 */
import { fromDbDate, type IsoDate, toDbDate } from "./dates.js";
import { FACT_LIMITS, type FactLine } from "./jsonl.js";
import { dueKindOf, outcomeLabel, outcomeOf } from "./outcomes.js";
import { type Fact, type Outcome, OUTCOMES } from "./model.js";
import { addLine, changeFactIn, clockOf, type DuplicateCheck, FactError, type FactsDeps, rulesOf, validateFactInput } from "./service.js";
import { toFact } from "./rows.js";

/** How a deadline is closed. */
export interface CloseInput {
  outcome: Outcome;
  /** A stored fact that closes it (for `extended`: a deadline, the new one). */
  byFactId?: number;
  /**
   * Or a new fact, dated this day (met, missed, withdrawn: the day it happened; extended: the day the extension was
   * agreed, the new deadline's `known`).
   */
  on?: IsoDate;
  /** For `extended` with `on`: the new due date. */
  newDue?: IsoDate;
  /** The new fact's title (default: from the deadline's), summary, sources (at least one) and `known` (default: `on`). */
  title?: string;
  summary?: string;
  sources?: unknown[];
  known?: IsoDate;
  /** Why, kept in the history of the facts changed. */
  reason?: string;
  check?: DuplicateCheck;
}

/** What closing did. */
export interface CloseResult {
  deadline: Fact;
  /** The closing fact, as stored now. */
  closer: Fact;
  /** True when the closing fact was recorded by this close (else a stored fact was marked). */
  created: boolean;
  /** The event key the deadline was given, when it had none. */
  keyGiven: string | null;
  /** "met 2017-08-22, 11 days late". */
  label: string;
  /** Other live facts that close the same deadline (the one known last decides on each day). */
  others: Array<{ id: number; outcome: string; known: IsoDate }>;
}

/** Why the inputs cannot close anything, before the store is read: FactError("invalid") on the field at fault. */
function checkInput(input: CloseInput): void {
  if (!(OUTCOMES as readonly string[]).includes(input.outcome)) {
    throw new FactError("invalid", `The outcome must be one of ${OUTCOMES.join(", ")}.`, { outcome: `must be one of ${OUTCOMES.join(", ")}` });
  }
  if ((input.byFactId === undefined) === (input.on === undefined)) {
    throw new FactError("invalid", "Say which fact closes the deadline: a stored fact (by), or a day for a new one (on), not both.", {
      by: "give a fact that closes the deadline, or the day it happened (on)",
    });
  }
  if (input.outcome === "extended" && input.on !== undefined && input.newDue === undefined) {
    throw new FactError("invalid", "An extended deadline needs its new due date.", { to: "the new due date, YYYY-MM-DD" });
  }
  if (input.outcome !== "extended" && input.newDue !== undefined) {
    throw new FactError("invalid", "Only an extended deadline has a new due date.", { to: "only for the outcome extended" });
  }
}

/** A readable event key for a deadline that has none: its title's words and its due date. */
export function deadlineKey(fact: Pick<Fact, "title" | "date">): string {
  const words = fact.title
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60)
    .replace(/-+$/, "");
  return `${words || "deadline"}-${fact.date}`.slice(0, FACT_LIMITS.event);
}

function titleFor(deadline: Fact, input: CloseInput): string {
  const words: Record<Outcome, string> = { met: "Met", missed: "Missed", extended: "Extended", withdrawn: "Withdrawn" };
  const base = input.outcome === "extended" ? `${deadline.title} (extended to ${input.newDue})` : `${words[input.outcome]}: ${deadline.title}`;
  return base.length <= FACT_LIMITS.title ? base : `${base.slice(0, FACT_LIMITS.title - 1)}…`;
}

/**
 * Closes the deadline `deadlineId` with `input.outcome`, by a stored fact or a new one, in one transaction. Changing
 * a stored fact (the closing fact; the deadline, to give it an event key) needs its author or an admin, as any edit.
 * @throws FactError: not_found, retracted, forbidden, or invalid with the field at fault (outcome, by, on, to, title,
 * sources...).
 */
export async function closeDeadline(deps: FactsDeps, deadlineId: number, input: CloseInput, user: string): Promise<CloseResult> {
  checkInput(input);
  const { today } = rulesOf(deps);
  return deps.prisma.$transaction(async (tx) => {
    const row = await tx.fact.findUnique({ where: { id: deadlineId } });
    if (!row) throw new FactError("not_found", `There is no fact #${deadlineId}.`);
    let deadline = toFact(row);
    if (deadline.kind !== "deadline") throw new FactError("invalid", `Fact #${deadlineId} is ${deadline.kind === "event" ? "an" : "a"} ${deadline.kind}, not a deadline.`, { id: "is not a deadline" });
    if (deadline.retracted) throw new FactError("retracted", `Fact #${deadlineId} was retracted; it can no longer be closed.`);
    if (dueKindOf(deadline) === "effective" && (input.outcome === "met" || input.outcome === "missed")) {
      throw new FactError("invalid", `Fact #${deadlineId} is an effective date (it happens by itself): it can be extended or withdrawn, not ${input.outcome}.`, {
        outcome: "an effective date can be extended or withdrawn only",
      });
    }
    let by: Fact | undefined;
    if (input.byFactId !== undefined) {
      const byRow = await tx.fact.findUnique({ where: { id: input.byFactId } });
      if (!byRow) throw new FactError("not_found", `There is no fact #${input.byFactId}.`, { by: `there is no fact #${input.byFactId}` });
      by = toFact(byRow);
      if (by.id === deadline.id) throw new FactError("invalid", "A deadline cannot close itself.", { by: "is the deadline itself" });
      if (by.retracted) throw new FactError("retracted", `Fact #${by.id} was retracted.`, { by: "was retracted" });
      if (by.topic !== deadline.topic) throw new FactError("invalid", `Fact #${by.id} is of topic ${by.topic}, the deadline of ${deadline.topic}.`, { by: "is of another topic" });
      if (input.outcome === "extended" && by.kind !== "deadline") {
        throw new FactError("invalid", `An extended deadline is closed by the new deadline; fact #${by.id} is ${by.kind === "event" ? "an" : "a"} ${by.kind}.`, { by: "must be the new deadline" });
      }
      if (input.outcome !== "extended" && by.date < deadline.visibleFrom) {
        throw new FactError("invalid", `Fact #${by.id} is dated ${by.date}, before the deadline was set (${deadline.visibleFrom}): it cannot have met, missed or withdrawn it.`, {
          by: `is dated ${by.date}, before the deadline was set (${deadline.visibleFrom})`,
        });
      }
      if (by.closes && by.closes.event !== deadline.event) {
        throw new FactError("invalid", `Fact #${by.id} already closes another deadline (${by.closes.event}, ${by.closes.outcome}).`, { by: "already closes another deadline" });
      }
    }
    // The deadline's event key: what the closing fact names.
    let keyGiven: string | null = null;
    if (deadline.event === null) {
      let key = deadlineKey(deadline);
      if ((await tx.fact.count({ where: { event: key, id: { not: deadline.id } } })) > 0) key = `${key}-${deadline.id}`.slice(0, FACT_LIMITS.event);
      const keyed = await changeFactIn(tx, deps, deadline.id, (line) => ({ ...line, event: key }), user, {
        reason: input.reason ?? `event key for closing it (${input.outcome})`,
      });
      deadline = keyed.fact;
      keyGiven = key;
    }
    const key = deadline.event!;
    let closer: Fact;
    if (by) {
      closer = (
        await changeFactIn(tx, deps, by.id, (line) => ({ ...line, closes: key, outcome: input.outcome }), user, {
          ...(input.reason !== undefined ? { reason: input.reason } : {}),
          ...(input.check ? { check: input.check } : {}),
        })
      ).fact;
    } else {
      const on = input.on!;
      if (on < deadline.visibleFrom) {
        throw new FactError("invalid", `${on} is before the deadline was set (${deadline.visibleFrom}).`, { on: `is before the deadline was set (${deadline.visibleFrom})` });
      }
      const raw: Record<string, unknown> = {
        kind: input.outcome === "extended" ? "deadline" : "event",
        date: input.outcome === "extended" ? input.newDue : on,
        known: input.known ?? (on <= today ? on : today),
        title: input.title?.trim() || titleFor(deadline, input),
        ...(input.summary ? { summary: input.summary } : {}),
        actor: deadline.actor,
        sources: input.sources ?? [],
        topic: deadline.topic,
        closes: key,
        outcome: input.outcome,
        ...(input.outcome === "extended" && dueKindOf(deadline) === "effective" ? { due_kind: "effective" } : {}),
      };
      if ((input.sources ?? []).length === 0) throw new FactError("invalid", "Name the source that says so.", { sources: "name at least one source: a title, a URL, or both" });
      const line: FactLine = validateFactInput(raw, { today });
      closer = await addLine(tx, line, user, input.check ?? {}, clockOf(deps).now());
    }
    const outcome = outcomeOf(deadline, new Map([[key, [closer]]]));
    const others = await tx.fact.findMany({
      where: { closes: key, topic: deadline.topic, outcome: { not: null }, retractedAt: null, id: { notIn: [closer.id, deadline.id] } },
      select: { id: true, outcome: true, visibleFrom: true },
      orderBy: { id: "asc" },
    });
    return {
      deadline,
      closer,
      created: by === undefined,
      keyGiven,
      label: outcome ? outcomeLabel(outcome) : input.outcome,
      others: others.map((o) => ({ id: o.id, outcome: o.outcome!, known: fromDbDate(o.visibleFrom) })),
    };
  });
}

/**
 * The stored facts that could close `deadline` (the close form's list): live events and deadlines of its topic dated
 * from the day it became known, oldest first, at most `limit`.
 */
export async function closingCandidates(prisma: FactsDeps["prisma"], deadline: Fact, limit = 100): Promise<Array<Pick<Fact, "id" | "date" | "title" | "kind">>> {
  const rows = await prisma.fact.findMany({
    where: { topic: deadline.topic, retractedAt: null, kind: { in: ["event", "deadline"] }, id: { not: deadline.id }, date: { gte: toDbDate(deadline.visibleFrom) } },
    orderBy: [{ date: "asc" }, { id: "asc" }],
    take: limit,
    select: { id: true, date: true, title: true, kind: true },
  });
  return rows.map((r) => ({ id: r.id, date: fromDbDate(r.date), title: r.title, kind: r.kind as Fact["kind"] }));
}
