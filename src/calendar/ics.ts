/**
 * Deadlines as an iCalendar document (RFC 5545), built with ical-generator, which escapes every text value by the
 * iCalendar rules (backslash, comma, semicolon, newline) and folds long lines: fact titles and summaries go in as plain
 * text and need nothing more. Each deadline is an all-day event whose UID is the fact's (stable across exports and
 * edits, so calendars update it in place), with its basis and source in the description.
 */
import icalModule, { type ICalEventStatus, type ICalEventTransparency } from "ical-generator";
import type { Clock } from "../clock.js";
import { addDays, fromDbDate, type IsoDate, toDbDate } from "../facts/dates.js";
import { deadlineBasisLabel, sourceName } from "../facts/labels.js";
import { closersByEvent, dueKindOf, outcomeLabel, outcomeOf } from "../facts/outcomes.js";
import { toFact } from "../facts/rows.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { dateInZone } from "../time-zone.js";

/** How far back "recent" deadlines reach in the feed by default. */
export const RECENT_DAYS = 90;

/** The domain a UID is scoped to: UIDs are `korus-fact-<id>@korus-bot`. */
const UID_DOMAIN = "korus-bot";

/** The UID of a fact's event. */
export function eventUid(factId: number): string {
  return `korus-fact-${factId}@${UID_DOMAIN}`;
}

/** ical-generator's default export, under Node's loader and bundlers alike. */
const ical = ((icalModule as unknown as { default?: typeof icalModule }).default ?? icalModule) as typeof icalModule;

/**
 * The calendar of the deadlines due from `since` (default: RECENT_DAYS before today in the team's time zone) on,
 * every topic unless one is named; retracted deadlines are left out.
 */
export async function deadlinesCalendar(deps: { prisma: PrismaClient; clock: Clock; timeZone: string }, options: { topic?: string; since?: IsoDate } = {}): Promise<string> {
  const today = dateInZone(deps.clock.now(), deps.timeZone);
  const since = options.since ?? addDays(today, -RECENT_DAYS);
  const rows = await deps.prisma.fact.findMany({
    where: { kind: "deadline", retractedAt: null, date: { gte: toDbDate(since) }, ...(options.topic ? { topic: options.topic } : {}) },
    orderBy: [{ date: "asc" }, { id: "asc" }],
    include: { afterFact: { select: { date: true, title: true } } },
  });
  // Outcomes as of today: the facts known by today that close these deadlines (the latest known decides).
  const events = [...new Set(rows.map((r) => r.event).filter((e): e is string => e !== null))];
  const closerRows =
    events.length === 0 ? [] : await deps.prisma.fact.findMany({ where: { closes: { in: events }, outcome: { not: null }, retractedAt: null, visibleFrom: { lte: toDbDate(today) } } });
  const closers = closersByEvent(closerRows.map(toFact));
  const changedAt = new Map(closerRows.map((r) => [r.id, r.updatedAt]));
  const calendar = ical({
    name: options.topic ? `Deadlines: ${options.topic}` : "KORUS deadlines",
    prodId: { company: "korus-bot", product: "deadlines", language: "EN" },
    description: "Deadlines from the korus-bot fact store",
  });
  for (const row of rows) {
    const date = fromDbDate(row.date);
    const basis = row.afterFact && row.afterDays !== null ? deadlineBasisLabel({ days: row.afterDays, from: { date: fromDbDate(row.afterFact.date), title: row.afterFact.title } }) : null;
    const source = [row.sourceTitle, row.sourceUrl].filter(Boolean).join(" ");
    const fact = toFact(row);
    const outcome = outcomeOf(fact, closers);
    const effective = dueKindOf(fact) === "effective";
    const description = [
      outcome ? `Outcome: ${outcomeLabel(outcome)}, per “${outcome.by.title}” (fact #${outcome.by.id}${outcome.by.sources[0] ? `, ${sourceName(outcome.by.sources[0])}` : ""})` : "",
      effective ? "An effective date: it happens by itself (it is not owed, and never overdue)." : "",
      row.summary.trim(),
      basis ? `Basis: ${basis}` : "",
      `Source: ${source || "none on record"}`,
      `Topic: ${row.topic} · fact #${row.id}${row.confidence === "inferred" ? " · inferred" : ""}`,
    ]
      .filter(Boolean)
      .join("\n\n");
    calendar.createEvent({
      id: eventUid(row.id),
      start: toDbDate(date),
      // An all-day event ends (exclusively) the next day.
      end: toDbDate(addDays(date, 1)),
      allDay: true,
      // The outcome in the title, where a calendar shows it: "… (met 2017-08-22, 11 days late)".
      summary: outcome ? `${row.title} (${outcomeLabel(outcome)})` : row.title,
      description,
      // An extended or withdrawn deadline no longer falls on this day (the new deadline of an extension has its own event).
      ...(outcome && (outcome.outcome === "extended" || outcome.outcome === "withdrawn") ? { status: "CANCELLED" as ICalEventStatus } : {}),
      ...(effective ? { transparency: "TRANSPARENT" as ICalEventTransparency } : {}),
      ...(row.sourceUrl && /^https?:\/\//i.test(row.sourceUrl) ? { url: row.sourceUrl } : {}),
      // An outcome recorded later changes the event: calendars update it when its modification time moves.
      stamp: latest(row.updatedAt, outcome ? changedAt.get(outcome.by.id) : undefined),
      lastModified: latest(row.updatedAt, outcome ? changedAt.get(outcome.by.id) : undefined),
      created: row.createdAt,
    });
  }
  return calendar.toString();
}

function latest(a: Date, b: Date | undefined): Date {
  return b && b.getTime() > a.getTime() ? b : a;
}
