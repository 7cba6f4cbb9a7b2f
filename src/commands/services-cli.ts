/**
 * The services the terminal is handed: the `korus` command's groups and the local console (src/cli/) call these, never
 * the database. Built once over an open database in a composition root (src/cli/korus.ts for the `korus` command,
 * src/main.ts for the console). Each domain module is loaded on the first call that needs it, as the `korus` command
 * loads only the group asked for: building the object costs nothing.
 */
import type { Clock } from "../clock.js";
import type { FetchSettings } from "../config.js";
import type { DeliveryScheduler } from "../delivery/scheduler.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { TemplateStore } from "../memos/templates/store.js";
import type { StatusCache } from "../status/cache.js";
import type { StatusReport } from "../status/status.js";
import type { IsoDate } from "../facts/dates.js";
import { dateInZone } from "../time-zone.js";
import type { CommandServices } from "./services.js";

/** What the terminal's services are built from. */
export interface TerminalServiceDeps {
  /** The open database (only its client is used). */
  db: { readonly prisma: PrismaClient };
  clock: Clock;
  timeZone: string;
  /** The templates, or how to load them on first use (a `korus` command that needs none does not load them). */
  templates: TemplateStore | (() => Promise<TemplateStore>);
  /** Who acts: the terminal's user (`cli:<account>`), an admin of what it records (it has the database itself). */
  user: string;
  /** The fetch settings; without them, feeds are neither added with a check nor polled, and pages not archived. */
  fetching?: FetchSettings;
  /** Who may decide any candidate (KORUS_ADMINS). */
  reviewers?: readonly string[];
  /** The handling line heading every assembled memo (KORUS_MEMO_BANNER). */
  banner?: string;
  /** Names this process in claims (feeds polled, pages archived). */
  instanceId: string;
  /** The scheduler of `korus scheduler run-once`, on the same database, at `clock`. */
  scheduler?: (clock: Clock) => Promise<DeliveryScheduler>;
}

/** `fn` of a module loaded on first call, with its first argument (the deps) given. */
function late<D, A extends unknown[], R>(load: () => Promise<(deps: D, ...args: A) => R>, deps: () => D | Promise<D>): (...args: A) => Promise<Awaited<R>> {
  const call = async (...args: A) => (await load())(await deps(), ...args);
  return call as (...args: A) => Promise<Awaited<R>>;
}

/** What `createTerminalServices` returns: every call the terminal makes, grouped as the domain is. */
export type TerminalServices = ReturnType<typeof createTerminalServices>;

/** Builds the terminal's services once; the `korus` groups and the console are handed the result. */
export function createTerminalServices(deps: TerminalServiceDeps) {
  const { db, clock, timeZone, user } = deps;
  const prisma = () => db.prisma;
  const today = () => dateInZone(clock.now(), timeZone);
  let store: Promise<TemplateStore> | undefined;
  const templates = (): Promise<TemplateStore> => (store ??= Promise.resolve(typeof deps.templates === "function" ? deps.templates() : deps.templates));
  const admins = [user];
  const factDeps = () => ({ prisma: db.prisma, admins, today });
  const memoDeps = async () => ({ prisma: db.prisma, clock, timeZone, admins, templates: await templates(), ...(deps.banner ? { banner: deps.banner } : {}) });
  // Schedules and alerts turned on from the terminal are its user's; only what they own is theirs to change there.
  const scheduleDeps = async () => ({ prisma: db.prisma, clock, timeZone, admins: [] as string[], templates: await templates() });
  const plain = () => ({ prisma: db.prisma, clock, timeZone });
  const fetchingDeps = async () => {
    const [{ feedDepsFrom, FeedError }] = await Promise.all([import("../feeds/deps.js")]);
    if (!deps.fetching) throw new FeedError("invalid", "this console was started without the fetch settings; use `npx korus feeds …` in a terminal");
    return feedDepsFrom({ timeZone, fetching: deps.fetching }, db.prisma, clock, deps.instanceId);
  };
  let commands: Promise<CommandServices> | undefined;

  return {
    user,
    clock,
    timeZone,
    fetching: deps.fetching,
    /** The services the registry's commands answer from (src/commands/services.ts), on the same database. */
    commands: (): Promise<CommandServices> =>
      (commands ??= Promise.all([import("./services.js"), templates()]).then(([{ createCommandServices }, store]) =>
        createCommandServices({ prisma: db.prisma, clock, timeZone, templates: store, admins, ...(deps.banner ? { banner: deps.banner } : {}) }),
      )),
    templates,
    status: late(async () => (await import("../status/service.js")).getStatus, plain),
    /** The terminal user's name, kept so that whatever the command records shows it. */
    rememberUser: late(async () => (await import("../people/store.js")).recordLocalPerson, prisma),
    facts: {
      import: late(async () => (await import("../facts/import.js")).importFactLines, prisma),
      exportJsonl: late(async () => (await import("../facts/export.js")).exportFactsJsonl, prisma),
      exportMarkdown: late(async () => (await import("../facts/export.js")).exportFactsMarkdown, prisma),
      search: late(async () => (await import("../facts/search.js")).searchFacts, prisma),
      get: late(async () => (await import("../facts/search.js")).getFact, prisma),
      history: late(async () => (await import("../facts/audit.js")).factHistory, prisma),
      add: late(async () => (await import("../facts/service.js")).addFact, factDeps),
      change: late(async () => (await import("../facts/service.js")).changeFact, factDeps),
      retract: late(async () => (await import("../facts/service.js")).retractFact, factDeps),
      close: late(async () => (await import("../facts/close.js")).closeDeadline, factDeps),
    },
    memos: {
      create: late(async () => (await import("../memos/service.js")).createMemo, memoDeps),
      write: late(async () => (await import("../memos/service.js")).writeSection, memoDeps),
      markFinal: late(async () => (await import("../memos/service.js")).markFinal, memoDeps),
      get: late(async () => (await import("../memos/read.js")).getMemo, memoDeps),
      list: late(async () => (await import("../memos/read.js")).listMemos, memoDeps),
      names: late(async () => (await import("../memos/read.js")).memoNames, memoDeps),
      sectionHistory: late(async () => (await import("../memos/read.js")).sectionHistory, memoDeps),
      assemble: late(async () => (await import("../memos/assemblies.js")).assemble, memoDeps),
      render: late(async () => (await import("../memos/assemblies.js")).render, memoDeps),
      diff: late(async () => (await import("../memos/diff.js")).diffAssemblies, memoDeps),
      /** A memo's as-of day, checked (a day after today is refused). */
      checkAsOf: async (value: string): Promise<IsoDate> => (await import("../memos/assemblies.js")).checkAsOf(value, { clock, timeZone }),
      /** The figure series a memo's charts draw, as its day knew them. */
      series: late(async () => (await import("../figures/memo-chart.js")).memoSeries, prisma),
      docxCharts: late(async () => (await import("../figures/memo-chart.js")).docxCharts, prisma),
    },
    figures: {
      answer: late(async () => (await import("../figures/service.js")).figuresAnswer, prisma),
      chart: late(async () => (await import("../figures/service.js")).makeChart, prisma),
    },
    ask: late(async () => (await import("../ask/answer.js")).askQuestion, plain),
    briefs: {
      preview: late(
        async () => (await import("../briefs/brief.js")).previewBrief,
        async () => ({ ...plain(), templates: await templates() }),
      ),
      createSchedule: late(async () => (await import("../briefs/schedules.js")).createSchedule, scheduleDeps),
      listSchedules: late(async () => (await import("../briefs/schedules.js")).listSchedules, scheduleDeps),
      pauseSchedule: late(async () => (await import("../briefs/schedules.js")).pauseSchedule, scheduleDeps),
      resumeSchedule: late(async () => (await import("../briefs/schedules.js")).resumeSchedule, scheduleDeps),
      deleteSchedule: late(async () => (await import("../briefs/schedules.js")).deleteSchedule, scheduleDeps),
      /** The scheduler for `korus scheduler run-once` at `clock`; undefined where none was given (the console). */
      scheduler: (at: Clock) => deps.scheduler?.(at),
    },
    alerts: {
      on: late(
        async () => (await import("../alerts/subscriptions.js")).alertsOn,
        () => ({ ...plain(), admins: [] }),
      ),
      // The terminal is the operator's: it may turn off anyone's alerts.
      off: late(
        async () => (await import("../alerts/subscriptions.js")).alertsOff,
        () => ({ ...plain(), admins }),
      ),
      list: late(async () => (await import("../alerts/subscriptions.js")).listAlerts, plain),
    },
    topics: {
      /** The topics with their fact counts and next deadline, as of today. */
      list: async () => (await import("../topics/service.js")).listTopics(db.prisma, today()),
      timeline: late(async () => (await import("../topics/service.js")).timeline, prisma),
      set: late(async () => (await import("../topics/settings.js")).setTopic, prisma),
    },
    calendar: {
      deadlines: late(async () => (await import("../calendar/ics.js")).deadlinesCalendar, plain),
      rotate: late(async () => (await import("../calendar/feed.js")).rotateCalendar, prisma),
    },
    feeds: {
      add: late(async () => (await import("../feeds/feeds.js")).addFeed, fetchingDeps),
      list: late(async () => (await import("../feeds/feeds.js")).listFeeds, plain),
      remove: late(async () => (await import("../feeds/feeds.js")).removeFeed, plain),
      poll: late(async () => (await import("../feeds/poll.js")).pollFeeds, fetchingDeps),
      /** How many feeds a poll would ask (the ids given, else every feed watched). */
      count: (ids?: number[]) => db.prisma.feed.count({ where: { removedAt: null, ...(ids ? { id: { in: ids } } : {}) } }),
      pendingCounts: late(async () => (await import("../feeds/candidates.js")).pendingCounts, plain),
    },
    candidates: {
      list: late(async () => (await import("../feeds/candidates.js")).listCandidates, plain),
      get: late(async () => (await import("../feeds/candidates.js")).getCandidate, plain),
      draft: late(async () => (await import("../feeds/candidates.js")).candidateDraft, plain),
      accept: late(
        async () => (await import("../feeds/candidates.js")).acceptCandidate,
        () => ({ ...plain(), admins: deps.reviewers ?? [] }),
      ),
      dismiss: late(async () => (await import("../feeds/candidates.js")).dismissCandidate, plain),
    },
    sources: {
      list: late(async () => (await import("../sources/archive.js")).listSourcePages, plain),
      get: late(async () => (await import("../sources/archive.js")).getSourcePage, plain),
      check: late(async () => (await import("../sources/check.js")).checkSources, fetchingDeps),
      archive: late(async () => (await import("../sources/archive.js")).drainArchiveQueue, fetchingDeps),
      /** How many cited pages there are (of the ids given), and how many of them are queued for archiving. */
      count: (ids?: number[]) => db.prisma.sourcePage.count({ where: ids ? { id: { in: ids } } : {} }),
      countQueued: (ids?: number[]) => db.prisma.sourcePage.count({ where: { state: "queued", ...(ids ? { id: { in: ids } } : {}) } }),
    },
  };
}

/**
 * The status as the bot that owns the data folder answers it to a `korus status` beside it (src/cli/answers-server.ts):
 * from the bot's status cache, on its database.
 */
export function statusService(deps: { db: { readonly prisma: PrismaClient }; clock: Clock; timeZone: string; cache: StatusCache }): (asOf?: IsoDate, topic?: string) => Promise<StatusReport> {
  return async (asOf, topic) => (await import("../status/service.js")).getStatus({ prisma: deps.db.prisma, clock: deps.clock, timeZone: deps.timeZone, cache: deps.cache }, asOf, topic);
}
