/**
 * The weekly brief: what changed in the fact store in a window (from the audit trail), the deadlines of the next two
 * weeks and the overdue ones, the memos in progress, and a one-line headline, rendered from a brief template through
 * the memo assembler.
 */
import type { Clock } from "../clock.js";
import { KorusError } from "../errors.js";
import { addDays, describeDaysLeft, type IsoDate } from "../facts/dates.js";
import type { Fact } from "../facts/model.js";
import { toFact, visibleFacts } from "../facts/store.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { assembleMemo } from "../memos/assemble.js";
import type { TemplateStore } from "../memos/templates/store.js";
import { type MemoTemplate, TemplateError } from "../memos/templates/template.js";
import { type BriefChange, type BriefMemo, briefVariables } from "./brief-context.js";
import { dayLabel } from "../facts/labels.js";
import { getStatus } from "../status/service.js";
import { dateInZone, zonedInstant } from "../time-zone.js";
import { DEFAULT_BRIEF_TEMPLATE } from "./schedule-spec.js";

/** The brief lists deadlines due within this many days of its date (and the overdue ones). */
export const BRIEF_DEADLINE_DAYS = 14;
/** A preview, and a schedule's first brief, list the changes of this many days. */
export const PREVIEW_WINDOW_DAYS = 7;
/** At most this many changes are listed; the headline says how many there were. */
export const MAX_BRIEF_CHANGES = 60;

/** Audit actions, in the brief's words. */
const CHANGE_OF_ACTION: Record<string, BriefChange["change"]> = {
  create: "new",
  import: "new",
  seed: "new",
  edit: "edited",
  recompute: "edited",
  retract: "retracted",
};

/** What building a brief needs. */
export interface BriefDeps {
  prisma: PrismaClient;
  clock: Clock;
  /** The team's time zone (KORUS_TZ): days left are counted from the brief's date there. */
  timeZone: string;
  /** The templates, loaded and checked at start. */
  templates: TemplateStore;
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

/** The fact changes after `since` up to `until`, one per fact: retracted over new over edited. */
export async function factChanges(prisma: PrismaClient, since: Date, until: Date, topic = "korus"): Promise<BriefChange[]> {
  const audits = await prisma.factAudit.findMany({
    where: { at: { gt: since, lte: until }, fact: { topic } },
    orderBy: [{ at: "asc" }, { id: "asc" }],
    select: { action: true, factId: true },
  });
  const rank = { retracted: 3, new: 2, edited: 1 } as const;
  const byFact = new Map<number, BriefChange["change"]>();
  for (const audit of audits) {
    const change = CHANGE_OF_ACTION[audit.action];
    if (!change) continue;
    const previous = byFact.get(audit.factId);
    if (!previous || rank[change] > rank[previous]) byFact.set(audit.factId, change);
  }
  if (byFact.size === 0) return [];
  const rows = await prisma.fact.findMany({ where: { id: { in: [...byFact.keys()] } } });
  const order = { new: 0, edited: 1, retracted: 2 } as const;
  return rows
    .map((row) => ({ change: byFact.get(row.id)!, fact: toFact(row) }))
    .filter((c) => c.change !== "retracted" || c.fact.retracted)
    .sort((a, b) => order[a.change] - order[b.change] || (a.fact.date < b.fact.date ? 1 : a.fact.date > b.fact.date ? -1 : b.fact.id - a.fact.id));
}

/** Memos still open (created by `until`), soonest due first, with their sections' progress. */
export async function memosInProgress(prisma: PrismaClient, until: Date, timeZone: string): Promise<BriefMemo[]> {
  const rows = await prisma.memo.findMany({
    where: { state: "open", createdAt: { lte: until } },
    select: { title: true, dueAt: true, sections: { select: { state: true } } },
    orderBy: [{ dueAt: { sort: "asc", nulls: "last" } }, { id: "asc" }],
    take: 20,
  });
  return rows.map((memo) => {
    const count = (state: string) => memo.sections.filter((s) => s.state === state).length;
    const parts = [`${count("final")} of ${memo.sections.length} sections final`];
    if (count("drafted") > 0) parts.push(`${count("drafted")} drafted`);
    if (count("waiting") > 0) parts.push(`${count("waiting")} not started`);
    return { title: memo.title, state: `collecting sections (${parts.join(", ")})`, due: memo.dueAt ? dateInZone(memo.dueAt, timeZone) : null };
  });
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
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
  facts(asOf: IsoDate, topic = "korus"): Promise<Fact[]> {
    return this.once(`facts|${asOf}|${topic}`, () => visibleFacts(this.deps.prisma, asOf, topic));
  }
  status(asOf: IsoDate, topic = "korus"): ReturnType<typeof getStatus> {
    return this.once(`status|${asOf}|${topic}`, () => getStatus(this.deps, asOf, topic));
  }
  changes(since: Date, until: Date, topic = "korus"): Promise<BriefChange[]> {
    return this.once(`changes|${since.getTime()}|${until.getTime()}|${topic}`, () => factChanges(this.deps.prisma, since, until, topic));
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
  input: { asOf: IsoDate; since: Date; until: Date; templateId?: string; firstBrief?: boolean; topic?: string },
  sources: BriefSources = new BriefSources(deps),
): Promise<Brief> {
  const template = sources.template(input.templateId ?? DEFAULT_BRIEF_TEMPLATE);
  const topic = input.topic ?? "korus";
  const [facts, allChanges, memos, status] = await Promise.all([
    sources.facts(input.asOf, topic),
    sources.changes(input.since, input.until, topic),
    sources.memos(input.until),
    sources.status(input.asOf, topic),
  ]);
  const changes = allChanges.slice(0, MAX_BRIEF_CHANGES);
  const changed = new Set(changes.map((c) => c.fact.id));
  // The template lists the upcoming deadlines; the brief keeps it to the next two weeks (a changed deadline stays).
  const horizon = addDays(input.asOf, BRIEF_DEADLINE_DAYS);
  const inWindow = (f: Fact) => f.kind !== "deadline" || f.date <= horizon || changed.has(f.id);
  const headline = briefHeadline(status, allChanges.length, changes.length, memos.length, input.firstBrief ?? false);
  const assembled = assembleMemo({
    template,
    title: template.title,
    date: input.asOf,
    authors: [],
    sections: {},
    facts: facts.filter(inWindow),
    variables: briefVariables({ headline, changes, memos }),
  });
  return {
    title: topic === "korus" ? template.title : `${template.title} (${topic})`,
    asOf: input.asOf,
    headline,
    markdown: assembled.markdown,
    since: input.since,
    until: input.until,
    changeCount: allChanges.length,
    memoCount: memos.length,
  };
}

/** One line: the phase, the overdue and next deadlines, how much changed, the memos in progress. */
function briefHeadline(
  status: Awaited<ReturnType<typeof getStatus>>,
  changeCount: number,
  listed: number,
  memoCount: number,
  firstBrief: boolean,
): string {
  const parts: string[] = [];
  if (status.phase) parts.push(`Phase: ${status.phase.fact.title} (${status.phase.fact.date})`);
  const overdue = status.overdue[0];
  if (overdue) parts.push(`Overdue: ${overdue.fact.title}, ${describeDaysLeft(overdue.daysLeft)}`);
  const next = status.nextDeadline;
  parts.push(next ? `Next deadline: ${next.fact.title}, ${dayLabel(next.fact.date)}, ${describeDaysLeft(next.daysLeft)}` : "No upcoming deadline on record");
  const window = firstBrief ? `in the last ${PREVIEW_WINDOW_DAYS} days` : "since the last brief";
  parts.push(`${plural(changeCount, "fact change")} ${window}${listed < changeCount ? ` (the first ${listed} listed)` : ""}`);
  parts.push(`${plural(memoCount, "memo")} in progress`);
  return parts.join(" · ");
}

/**
 * The brief as it would be posted now, or as it stood at the end of `asOf` (team time zone): the changes of the last
 * seven days, deadlines counted from that day.
 */
export async function previewBrief(deps: BriefDeps, options: { asOf?: IsoDate; templateId?: string; topic?: string } = {}): Promise<Brief> {
  const now = deps.clock.now();
  const asOf = options.asOf ?? dateInZone(now, deps.timeZone);
  const endOfDay = zonedInstant(addDays(asOf, 1), "00:00", deps.timeZone);
  const until = endOfDay.getTime() < now.getTime() ? new Date(endOfDay.getTime() - 1) : now;
  const since = new Date(until.getTime() - PREVIEW_WINDOW_DAYS * 86_400_000);
  return buildBrief(deps, { asOf, since, until, firstBrief: true, ...(options.templateId ? { templateId: options.templateId } : {}), ...(options.topic ? { topic: options.topic } : {}) });
}
