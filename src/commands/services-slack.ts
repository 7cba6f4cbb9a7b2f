/**
 * The services the Slack adapter is handed, built once in a composition root (src/serve.ts for the bot, the tests'
 * bot) over the database: src/slack holds this object and the stores below, never the Prisma client, and calls the
 * domain's public functions through it (their dependencies given here).
 */
import { bindFirst } from "../bound.js";
import type { Clock } from "../clock.js";
import type { FetchSettings } from "../config.js";
import type { Database } from "../db/client.js";
import { type IdentityStore, identityStoreOf } from "../db/identity-store.js";
import { alertsOff, alertsOn, listAlerts } from "../alerts/subscriptions.js";
import { previewBrief } from "../briefs/brief.js";
import { createSchedule, deleteSchedule, listSchedules, pauseSchedule, resumeSchedule } from "../briefs/schedules.js";
import { type FactsAsOfCache, createBotFactsAsOfCache } from "../facts/as-of-cache.js";
import { outcomesOf } from "../facts/as-of.js";
import { factHistory } from "../facts/audit.js";
import { closeDeadline, closingCandidates } from "../facts/close.js";
import { getFact, recentFacts, sameEventOf, searchFacts } from "../facts/search.js";
import { addFact, changeFact, retractFact } from "../facts/service.js";
import { candidateDraft, dismissCandidate, getCandidate, listCandidates, markCandidateAccepted, pendingCounts } from "../feeds/candidates.js";
import { feedDepsFrom } from "../feeds/deps.js";
import { addFeed, listFeeds, removeFeed } from "../feeds/feeds.js";
import { figuresAnswer, makeChart } from "../figures/service.js";
import type { Logger } from "../logger.js";
import { assemble, latestAssembly } from "../memos/assemblies.js";
import { getMemo, listMemos, mayManage, maySection, memoNames, sectionHistory, sectionsFor } from "../memos/read.js";
import { approveMemo, cancelMemo, claimDueReminders, createMemo, markFinal, reassignSection, requestSignOff, setCanvas, saveSection, setTrackingMessage, writeSection } from "../memos/service.js";
import type { TemplateStore } from "../memos/templates/store.js";
import { type PersonStore, PersonTable, personStoreOf } from "../people/store.js";
import { StatusCache } from "../status/cache.js";
import { getStatus } from "../status/service.js";
import type { StatusReport } from "../status/status.js";
import type { IsoDate } from "../facts/dates.js";
import { listTopics, timeline } from "../topics/service.js";
import { dateInZone } from "../time-zone.js";
import { type CommandServices, createCommandServices } from "./services.js";

/** What the Slack services are built from: the database and the bot's settings. */
export interface SlackServiceDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  timeZone: string;
  admins: readonly string[];
  templates: TemplateStore;
  /** The handling line heading every assembled memo (KORUS_MEMO_BANNER). */
  memoBanner?: string;
  /** The facts as known on a day, shared with the scheduler (made here when not given). */
  asOfCache?: FactsAsOfCache;
  /** The status reports, shared with the answers socket (made here when not given). */
  statusCache?: StatusCache;
  /** The web-fetching settings (`/korus feeds add` fetches the feed once); absent: feeds are added from the terminal. */
  fetching?: FetchSettings;
}

/** Builds the Slack services once; see the module's comment. */
export function createSlackServices(deps: SlackServiceDeps) {
  const { db, clock, timeZone, admins, templates, fetching } = deps;
  const prisma = db.prisma;
  const today = () => dateInZone(clock.now(), timeZone);
  // One read of the fact store's version serves both caches; invalidating the status cache invalidates it. While a
  // `korus` command holds the embedded database, the version read before the hold stands (no query waits for it).
  const asOfCache = deps.asOfCache ?? createBotFactsAsOfCache(db, { timeZone, clock });
  const statusCache = deps.statusCache ?? new StatusCache(asOfCache.version);
  // A `korus` command beside this bot writes through it: look at the store again as soon as it has.
  db.onExternalWork?.(() => statusCache.refresh());
  const personStore = personStoreOf(prisma);
  // People's names from the table; the Slack adapter gives it the lookup behind it (src/slack/people.ts).
  const people = new PersonTable(prisma, { now: () => clock.now() });
  const memoDeps = { prisma, clock, timeZone, admins, templates, people, asOfCache, ...(deps.memoBanner ? { banner: deps.memoBanner } : {}) };
  const factDeps = { prisma, admins, today };
  const plain = { prisma, clock, timeZone };
  const decider = { ...plain, people };
  const schedules = { prisma, clock, admins, templates };
  const commands: CommandServices = createCommandServices({ prisma, clock, timeZone, templates, statusCache, admins, ...(deps.memoBanner ? { banner: deps.memoBanner } : {}) });
  return {
    /** The reads and writes `/korus` commands answer with (src/commands/services.ts). */
    commands,
    /** People's names, read from the table (the Slack adapter looks up those it does not know). */
    people,
    /** Where the Slack adapter keeps the names it looks up. */
    personStore,
    /** Where the bot's identity (the last auth.test) is kept per token. */
    identityStore: identityStoreOf(db),
    status: {
      /** The status of a topic as of a day (default today, korus), from the cache. */
      get: (asOf?: IsoDate, topic?: string): Promise<StatusReport> => getStatus({ ...plain, cache: statusCache }, asOf, topic),
      /** The fact store changed here: the next status is built afresh. */
      invalidate: () => statusCache.invalidate(),
    },
    facts: {
      ...bindFirst(prisma, { getFact, recentFacts, sameEventOf, searchFacts, closingCandidates, outcomesOf, factHistory }),
      ...bindFirst(factDeps, { addFact, changeFact, retractFact, closeDeadline }),
    },
    memos: {
      ...bindFirst(memoDeps, {
        getMemo,
        listMemos,
        sectionsFor,
        sectionHistory,
        memoNames,
        maySection,
        mayManage,
        createMemo,
        writeSection,
        saveSection,
        markFinal,
        reassignSection,
        cancelMemo,
        requestSignOff,
        approveMemo,
        claimDueReminders,
        assemble,
        latestAssembly,
      }),
      ...bindFirst(prisma, { setTrackingMessage, setCanvas }),
      /** Two assemblies of a memo compared, with the comparison in Markdown (loaded on first use). */
      diffAssemblies: async (memoId: number, from?: number, to?: number) => {
        const { diffAssemblies, memoDiffMarkdown } = await import("../memos/diff.js");
        const diff = await diffAssemblies(memoDeps, memoId, from, to);
        return { ...diff, markdown: memoDiffMarkdown(diff) };
      },
      /** The charts a memo's Markdown names, drawn for a Word file (loaded on first use). */
      docxCharts: async (markdown: string, options: { asOf?: IsoDate | null; timeZone?: string } = {}) => (await import("../figures/memo-chart.js")).docxCharts(prisma, markdown, options),
    },
    briefs: {
      previewBrief: (options: Parameters<typeof previewBrief>[1]) => previewBrief({ ...plain, templates, asOfCache }, options),
      ...bindFirst(schedules, { createSchedule, deleteSchedule, listSchedules, pauseSchedule, resumeSchedule }),
    },
    alerts: bindFirst({ ...plain, admins }, { alertsOn, alertsOff, listAlerts }),
    topics: {
      listTopics: () => listTopics(prisma, today()),
      ...bindFirst(prisma, { timeline }),
    },
    feeds: {
      ...bindFirst(plain, { listFeeds, pendingCounts, removeFeed, listCandidates, getCandidate, candidateDraft }),
      ...bindFirst(decider, { dismissCandidate, markCandidateAccepted }),
      /** Adds a feed after fetching it once; absent when the bot was started without its fetch settings. */
      addFeed: fetching ? (input: Parameters<typeof addFeed>[1], user: string) => addFeed(feedDepsFrom({ timeZone, fetching }, prisma, clock, "slack", deps.logger), input, user) : undefined,
    },
    figures: bindFirst(prisma, { figuresAnswer, makeChart }),
    ask: {
      /** The answer to a question in plain words (the answerer is loaded on first use). */
      askQuestion: async (question: string) => (await import("../ask/answer.js")).askQuestion(plain, question),
    },
    /** The database answers (the health checks ask). */
    ping: () => db.ping(),
  };
}

/** What the Slack adapter is handed: every service, built once by {@link createSlackServices}. */
export type SlackServices = ReturnType<typeof createSlackServices>;

/** The stores only the Slack adapter writes, as src/slack/people.ts and identity.ts take them. */
export type { IdentityStore, PersonStore };
