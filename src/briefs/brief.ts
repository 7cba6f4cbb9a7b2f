/**
 * The weekly brief: what changed in the fact store in a window (from the audit trail), the deadlines of the next two
 * weeks and the overdue ones, the memos in progress, and a one-line headline, rendered from a brief template through
 * the memo assembler.
 */
import type { Clock } from "../clock.js";
import { KorusError } from "../errors.js";
import { addDays, daysBetween, describeDaysLeft, type IsoDate } from "../facts/dates.js";
import { deadlineStateLabel, outcomeLabel } from "../facts/outcomes.js";
import type { Fact } from "../facts/model.js";
import { OVERDUE_WINDOW_DAYS } from "../facts/fact-index.js";
import { factsBecomingKnown } from "../facts/status-queries.js";
import { toFact } from "../facts/rows.js";
import { factAsOf, readVersions, statusFactsAsOf } from "../facts/as-of.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { FactsAsOfCache } from "../facts/as-of-cache.js";
import { assembleMemo } from "../memos/assemble.js";
import type { TemplateStore } from "../memos/templates/store.js";
import { type MemoTemplate, TemplateError } from "../memos/templates/template.js";
import { peopleOf } from "../people/store.js";
import { type BriefChange, type BriefMemo, briefVariables } from "./brief-context.js";
import { dayLabel } from "../facts/labels.js";
import { buildStatus, MAX_DEVELOPMENTS, type StatusReport } from "../status/status.js";
import { dateInZone, zonedInstant } from "../time-zone.js";
import { agreementOf, assertTopicKnown } from "../topics/settings.js";
import { DEFAULT_BRIEF_TEMPLATE } from "./schedule-spec.js";
import { counted } from "../render/count.js";

/** The brief lists deadlines due within this many days of its date (and the overdue ones). */
export const BRIEF_DEADLINE_DAYS = 14;
/** A preview, and a schedule's first brief, list the changes of this many days. */
export const PREVIEW_WINDOW_DAYS = 7;
/** At most this many changes are listed; the headline says how many there were. */
export const MAX_BRIEF_CHANGES = 60;
/** Facts of each list (deadlines, developments, positions) a brief reads: more than any brief template shows. */
export const BRIEF_FACTS_PER_LIST = 20;

/** What building a brief needs. */
export interface BriefDeps {
  prisma: PrismaClient;
  clock: Clock;
  /** The team's time zone (KORUS_TZ): days left are counted from the brief's date there. */
  timeZone: string;
  /** The templates, loaded and checked at start. */
  templates: TemplateStore;
  /** The facts as known on a day, per store version (the bot's): briefs and previews of one day read them once. */
  asOfCache?: FactsAsOfCache;
}

/** Why a brief cannot be built (a missing or broken template, a template that is not a brief). */
export class BriefError extends KorusError<"template_not_found" | "template_invalid" | "not_a_brief"> {}

/** A built brief. */
export interface Brief {
  title: string;
  /** The brief's date: days left are counted from it, and facts not yet known then are left out. */
  asOf: IsoDate;
  headline: string;
  markdown: string;
  /** The window of fact changes it reports. */
  since: Date;
  until: Date;
  changeCount: number;
  memoCount: number;
}

/** A brief template from the store. @throws BriefError when it is missing, broken or a memo template. */
export function briefTemplate(templates: TemplateStore, id: string): MemoTemplate {
  let template: MemoTemplate;
  try {
    template = templates.get(id);
  } catch (error) {
    if (error instanceof TemplateError) {
      throw new BriefError(
        error.code === "template_not_found" ? "template_not_found" : "template_invalid",
        error.code === "template_not_found" ? `There is no template "${id}".` : `The template "${id}" is broken: ${error.problems.map((p) => p.message).join("; ")}`,
      );
    }
    throw error;
  }
  if (template.kind !== "brief") throw new BriefError("not_a_brief", `"${id}" is a memo template, not a brief template (kind: brief), such as ${DEFAULT_BRIEF_TEMPLATE}.`);
  return template;
}

/** Lets timers and I/O run: the embedded database holds the event loop for as long as a query runs. */
function yieldToLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The changes a brief lists (at most {@link MAX_BRIEF_CHANGES}) and how many there were in all. */
export interface BriefChanges {
  changes: BriefChange[];
  total: number;
}

/**
 * The fact changes after `since` up to `until`, one per fact (retracted over new over edited; a retraction only when
 * the fact is still retracted): how many facts changed, and the `take` changed last, listed new, then edited, then
 * retracted, newest first. Counted in SQL, and only the latest audit rows are read (the (at, id) index, newest first),
 * so a window of 100,000 changes reads `take` facts, not 100,000.
 */
export async function factChanges(prisma: PrismaClient, since: Date, until: Date, topic = "korus", take = MAX_BRIEF_CHANGES): Promise<BriefChanges> {
  // fact_audit carries its fact's topic (kept so by triggers): no join to fact.
  const [counted] = await prisma.$queryRaw<Array<{ total: bigint }>>`
    SELECT count(DISTINCT fact_id) AS total
      FROM fact_audit
     WHERE topic = ${topic} AND at > ${since} AND at <= ${until} AND action IN ('create', 'import', 'seed', 'edit', 'recompute', 'retract')`;
  const total = Number(counted?.total ?? 0);
  if (total === 0) return { changes: [], total: 0 };
  await yieldToLoop();
  // The facts changed last: newest audit rows first, in pages, until `take` distinct facts are found.
  const ids: number[] = [];
  const seen = new Set<number>();
  let before: { at: Date; id: number } | null = null;
  while (ids.length < take) {
    const page: Array<{ id: number; fact_id: number; at: Date }> = before
      ? await prisma.$queryRaw`
          SELECT id, fact_id, at FROM fact_audit
           WHERE topic = ${topic} AND at > ${since} AND (at, id) < (${before.at}, ${before.id}) AND action IN ('create', 'import', 'seed', 'edit', 'recompute', 'retract')
           ORDER BY at DESC, id DESC LIMIT ${take * 10}`
      : await prisma.$queryRaw`
          SELECT id, fact_id, at FROM fact_audit
           WHERE topic = ${topic} AND at > ${since} AND at <= ${until} AND action IN ('create', 'import', 'seed', 'edit', 'recompute', 'retract')
           ORDER BY at DESC, id DESC LIMIT ${take * 10}`;
    for (const row of page) {
      if (seen.has(row.fact_id)) continue;
      seen.add(row.fact_id);
      ids.push(row.fact_id);
    }
    if (page.length < take * 10) break;
    before = { at: page[page.length - 1]!.at, id: page[page.length - 1]!.id };
  }
  const ranks = await prisma.$queryRaw<Array<{ fact_id: number; rank: number }>>`
    SELECT fact_id, max(CASE action WHEN 'retract' THEN 3 WHEN 'edit' THEN 1 WHEN 'recompute' THEN 1 ELSE 2 END)::int AS rank
      FROM fact_audit
     WHERE fact_id = ANY(${ids}::int[]) AND at > ${since} AND at <= ${until}
       AND action IN ('create', 'import', 'seed', 'edit', 'recompute', 'retract')
     GROUP BY fact_id`;
  const rankOf = new Map(ranks.map((r) => [r.fact_id, r.rank]));
  const change = { 1: "edited", 2: "new", 3: "retracted" } as const;
  const order = { new: 0, edited: 1, retracted: 2 } as const;
  const rows = await prisma.fact.findMany({ where: { id: { in: ids }, topic } });
  const changes = rows
    .map((row) => ({ change: change[(rankOf.get(row.id) ?? 2) as 1 | 2 | 3], fact: toFact(row) }))
    .filter((c) => c.change !== "retracted" || c.fact.retracted)
    .sort((a, b) => order[a.change] - order[b.change] || (a.fact.date < b.fact.date ? 1 : a.fact.date > b.fact.date ? -1 : b.fact.id - a.fact.id))
    .slice(0, take);
  return { changes, total };
}

/**
 * For a brief of a past day: the facts that became known (see `knownFrom`) in the `days` days up to `asOf`, newest
 * first, by the facts' own dates rather than the day they were imported.
 */
export async function factsLearned(prisma: PrismaClient, asOf: IsoDate, days: number, topic = "korus", take = MAX_BRIEF_CHANGES): Promise<BriefChanges> {
  const { facts, total } = await factsBecomingKnown(prisma, addDays(asOf, -days), asOf, take, topic);
  return { changes: facts.map((fact) => ({ change: "new" as const, fact })), total };
}

/**
 * Memos still open (created by `until`), soonest due first, with their sections' progress and, by name, the owners of
 * the sections not final yet.
 */
export async function memosInProgress(prisma: PrismaClient, until: Date, timeZone: string): Promise<BriefMemo[]> {
  const rows = await prisma.memo.findMany({
    where: { state: "open", createdAt: { lte: until } },
    select: { title: true, dueAt: true, sections: { select: { state: true, ownerId: true }, orderBy: { id: "asc" } } },
    orderBy: [{ dueAt: { sort: "asc", nulls: "last" } }, { id: "asc" }],
    take: 20,
  });
  const names = await peopleOf(prisma).names(rows.flatMap((memo) => memo.sections.map((s) => s.ownerId)));
  return rows.map((memo) => {
    const count = (state: string) => memo.sections.filter((s) => s.state === state).length;
    const parts = [`${count("final")} of ${memo.sections.length} sections final`];
    if (count("drafted") > 0) parts.push(`${count("drafted")} drafted`);
    if (count("waiting") > 0) parts.push(`${count("waiting")} not started`);
    const waitingOn = [...new Set(memo.sections.filter((s) => s.state !== "final" && s.ownerId).map((s) => names.label(s.ownerId!)))];
    const on = waitingOn.length > 0 ? `; waiting on ${waitingOn.join(", ")}` : "";
    return { title: memo.title, state: `collecting sections (${parts.join(", ")}${on})`, due: memo.dueAt ? dateInZone(memo.dueAt, timeZone) : null };
  });
}

/**
 * What briefs are built from, each read once: many briefs due at one instant (one tick) share the template, the
 * facts, the status and the memos, and briefs with the same window share the changes.
 */
export class BriefSources {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: BriefDeps) {}

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let value = this.memo.get(key) as Promise<T> | undefined;
    if (!value) {
      value = load();
      // A failure is not remembered: the next brief tries again.
      value.catch(() => this.memo.delete(key));
      this.memo.set(key, value);
    }
    return value;
  }

  template(id: string): MemoTemplate {
    return briefTemplate(this.deps.templates, id);
  }
  /** The facts a brief can show on `asOf` (its deadlines, overdue ones, positions, developments), not the whole store. */
  facts(asOf: IsoDate, topic = "korus"): Promise<{ facts: Fact[]; olderOverdueCount: number }> {
    const read = () =>
      statusFactsAsOf(this.deps.prisma, asOf, {
        timeZone: this.deps.timeZone,
        now: this.deps.clock.now(),
        overdueWindowDays: OVERDUE_WINDOW_DAYS,
        take: MAX_DEVELOPMENTS * 10,
        upcoming: BRIEF_FACTS_PER_LIST,
        countAll: false,
        topic,
      });
    const cache = this.deps.asOfCache;
    return this.once(`facts|${asOf}|${topic}`, () => (cache ? cache.remember(`brief-facts|${asOf}|${topic}`, read) : read()));
  }
  /** The status the headline names (phase, next and overdue deadlines), built from the same facts as the brief. */
  status(asOf: IsoDate, topic = "korus"): Promise<StatusReport> {
    return this.once(`status|${asOf}|${topic}`, async () => {
      const [read, agreement] = await Promise.all([this.facts(asOf, topic), agreementOf(this.deps.prisma, topic, asOf)]);
      await assertTopicKnown(this.deps.prisma, topic, read.facts.length);
      return buildStatus(read.facts, asOf, dateInZone(this.deps.clock.now(), this.deps.timeZone), read.facts.length, agreement, read.olderOverdueCount);
    });
  }
  changes(since: Date, until: Date, topic = "korus"): Promise<BriefChanges> {
    return this.once(`changes|${since.getTime()}|${until.getTime()}|${topic}`, () => factChanges(this.deps.prisma, since, until, topic));
  }
  /** The facts that became known in the `days` days up to `asOf`, as they read that day (src/facts/as-of.ts). */
  learned(asOf: IsoDate, days: number, topic = "korus"): Promise<BriefChanges> {
    return this.once(`learned|${asOf}|${days}|${topic}`, async () => {
      const learned = await factsLearned(this.deps.prisma, asOf, days, topic);
      const ids = learned.changes.map((c) => c.fact.id);
      const versions = await readVersions(this.deps.prisma, asOf, { ids }, { timeZone: this.deps.timeZone, now: this.deps.clock.now() });
      return { ...learned, changes: learned.changes.map((c) => ({ ...c, fact: factAsOf(c.fact, asOf, versions.get(c.fact.id)) })) };
    });
  }
  memos(until: Date): Promise<BriefMemo[]> {
    return this.once(`memos|${until.getTime()}`, () => memosInProgress(this.deps.prisma, until, this.deps.timeZone));
  }
}

/**
 * Builds the brief for `asOf` with the changes after `since` up to `until`.
 * @throws BriefError for a template that is missing, broken or not a brief.
 */
export async function buildBrief(
  deps: BriefDeps,
  input: { asOf: IsoDate; since: Date; until: Date; templateId?: string; firstBrief?: boolean; learnedDays?: number; topic?: string },
  sources: BriefSources = new BriefSources(deps),
): Promise<Brief> {
  const template = sources.template(input.templateId ?? DEFAULT_BRIEF_TEMPLATE);
  const topic = input.topic ?? "korus";
  // One read after another, yielding between them: the embedded database runs in this process and holds the event
  // loop while it works, so a /korus status arriving meanwhile is answered between the reads, not after all of them.
  const read = await sources.facts(input.asOf, topic);
  await yieldToLoop();
  const changed = input.learnedDays !== undefined ? await sources.learned(input.asOf, input.learnedDays, topic) : await sources.changes(input.since, input.until, topic);
  await yieldToLoop();
  const memos = await sources.memos(input.until);
  const status = await sources.status(input.asOf, topic);
  const { changes, total } = changed;
  const changedIds = new Set(changes.map((c) => c.fact.id));
  // The template lists the upcoming deadlines; the brief keeps it to the next two weeks (a changed deadline stays),
  // and always the next one, which the headline names: headline and list agree.
  const horizon = addDays(input.asOf, BRIEF_DEADLINE_DAYS);
  const nextId = status.nextDeadline?.fact.id;
  const inWindow = (f: Fact) => f.kind !== "deadline" || f.date <= horizon || changedIds.has(f.id) || f.id === nextId;
  const facts = new Map(read.facts.map((f) => [f.id, f]));
  for (const c of changes) if (!c.fact.retracted && c.fact.visibleFrom <= input.asOf) facts.set(c.fact.id, c.fact);
  const window =
    input.learnedDays !== undefined
      ? `in the ${input.learnedDays} days to ${input.asOf} (facts that became known then)`
      : input.firstBrief
        ? `in the last ${PREVIEW_WINDOW_DAYS} days`
        : "since the last brief";
  const headline = briefHeadline(status, total, changes.length, memos.length, window);
  const assembled = assembleMemo({
    template,
    title: template.title,
    date: input.asOf,
    authors: [],
    sections: {},
    facts: [...facts.values()].filter(inWindow),
    olderOverdueCount: read.olderOverdueCount,
    variables: briefVariables({ headline, changes, memos, changesWindow: window }),
  });
  return {
    title: topic === "korus" ? template.title : `${template.title} (${topic})`,
    asOf: input.asOf,
    headline,
    markdown: assembled.markdown,
    since: input.since,
    until: input.until,
    changeCount: total,
    memoCount: memos.length,
  };
}

/** One line: the phase, the overdue and next deadlines, how much changed, the memos in progress. */
function briefHeadline(status: StatusReport, changeCount: number, listed: number, memoCount: number, window: string): string {
  const parts: string[] = [];
  if (status.phase) parts.push(`Phase: ${status.phase.fact.title} (${status.phase.fact.date})`);
  // What was met, missed, extended or withdrawn in the week to the brief's date (the outcome's fact known then).
  const closed = status.outcomes.find((d) => d.state.outcome && daysBetween(d.state.outcome.by.visibleFrom, status.asOf) < PREVIEW_WINDOW_DAYS);
  if (closed?.state.outcome) parts.push(`Closed this week: ${closed.fact.title}, ${outcomeLabel(closed.state.outcome)}`);
  const overdue = status.overdue[0];
  if (overdue) parts.push(`Overdue: ${overdue.fact.title}, ${describeDaysLeft(overdue.daysLeft)}`);
  else if (status.olderOverdue) parts.push(`Overdue: ${counted(status.olderOverdue.count, "deadline")} for more than ${OVERDUE_WINDOW_DAYS} days`);
  const next = status.nextDeadline;
  parts.push(next ? `Next deadline: ${next.fact.title}, ${dayLabel(next.fact.date)}, ${deadlineStateLabel(next.state)}` : "No upcoming deadline on record");
  parts.push(`${counted(changeCount, "fact change")} ${window}${listed < changeCount ? ` (the first ${listed} listed)` : ""}`);
  parts.push(`${counted(memoCount, "memo")} in progress`);
  return parts.join(" · ");
}

/**
 * The brief as it would be posted now, or as it stood at the end of `asOf` (team time zone), deadlines counted from
 * that day. Today's lists the changes to the store in the last seven days; a past day's the facts that became known in
 * the seven days up to it (the audit trail of imported history says only when it was imported).
 */
export async function previewBrief(deps: BriefDeps, options: { asOf?: IsoDate; templateId?: string; topic?: string } = {}): Promise<Brief> {
  const now = deps.clock.now();
  const asOf = options.asOf ?? dateInZone(now, deps.timeZone);
  const endOfDay = zonedInstant(addDays(asOf, 1), "00:00", deps.timeZone);
  const until = endOfDay.getTime() < now.getTime() ? new Date(endOfDay.getTime() - 1) : now;
  const since = new Date(until.getTime() - PREVIEW_WINDOW_DAYS * 86_400_000);
  const past = asOf < dateInZone(now, deps.timeZone);
  return buildBrief(deps, {
    asOf,
    since,
    until,
    firstBrief: true,
    ...(past ? { learnedDays: PREVIEW_WINDOW_DAYS } : {}),
    ...(options.templateId ? { templateId: options.templateId } : {}),
    ...(options.topic ? { topic: options.topic } : {}),
  });
}
