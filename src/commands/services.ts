/**
 * The domain services the command adapters call, built once in a composition root (src/main.ts for the console, the
 * Slack listeners' registration for the bot) over the database: src/slack/listeners/commands.ts and
 * src/cli/text-commands.ts hold this object, not the Prisma client.
 */
import type { Clock } from "../clock.js";
import type { IsoDate } from "../facts/dates.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { TemplateStore } from "../memos/templates/store.js";
import type { StatusCache } from "../status/cache.js";
import type { StatusReport } from "../status/status.js";
import { closeDeadline } from "../facts/close.js";
import { addFact, changeFact, retractFact } from "../facts/service.js";
import { getFact } from "../facts/search.js";
import { docxCharts } from "../figures/memo-chart.js";
import { createMemo, writeSection } from "../memos/service.js";
import { getMemo } from "../memos/read.js";
import { render } from "../memos/assemblies.js";
import { getStatus } from "../status/service.js";
import { dateInZone } from "../time-zone.js";

/** What the commands' services are built from. */
export interface CommandServiceDeps {
  prisma: PrismaClient;
  clock: Clock;
  timeZone: string;
  templates: TemplateStore;
  /** The bot's status cache; without it each status is read afresh. */
  statusCache?: StatusCache;
  /** Who may edit or retract anyone's facts and memos (KORUS_ADMINS; in the console, its user). */
  admins?: readonly string[];
  /** The handling line heading every assembled memo (KORUS_MEMO_BANNER). */
  banner?: string;
}

/** `fn` with its first argument (the deps) given. */
function given<D, A extends unknown[], R>(fn: (deps: D, ...args: A) => R, deps: D): (...args: A) => R {
  return (...args) => fn(deps, ...args);
}

/**
 * The reads the commands answer from. Each but the status (answered within Slack's ack budget, so loaded at start)
 * loads its domain module on first use.
 */
export interface CommandServices {
  /** The status of a topic as of a day (default today, korus); a TopicError for an unknown topic. */
  status(asOf?: IsoDate, topic?: string): Promise<StatusReport>;
  /** A fact search in Markdown; a FactQueryError for a query it cannot read. */
  searchMarkdown(queryText: string): Promise<string>;
  /** One fact in Markdown, or undefined when there is none. */
  factMarkdown(id: number): Promise<string | undefined>;
  /** Every change to a fact in Markdown; a FactError when there is no such fact. */
  factHistoryMarkdown(id: number): Promise<string>;
  /** The memos in progress, one memo, a section's revisions, an assembled memo: Markdown; a MemoError when not found. */
  memoListMarkdown(): Promise<string>;
  memoMarkdown(id: number): Promise<string>;
  sectionHistoryMarkdown(id: number, section: string): Promise<string>;
  assembledMemoMarkdown(id: number): Promise<string>;
  /** The figure series, or one series, as Markdown; `ok` false for an unknown series. */
  figures(options: { series?: string; asOf?: IsoDate }): Promise<{ ok: boolean; markdown: string }>;
  /** The answer to a question in plain words, as Markdown. */
  askMarkdown(question: string): Promise<string>;
  /** The fact store's writes (src/facts/service.ts, close.ts), as a user; refusals are FactErrors. */
  facts: {
    get: (id: number) => ReturnType<typeof getFact>;
    add: OmitFirst<typeof addFact>;
    change: OmitFirst<typeof changeFact>;
    retract: OmitFirst<typeof retractFact>;
    close: OmitFirst<typeof closeDeadline>;
  };
  /** The memos' writes and renderings (src/memos/service.ts); refusals are MemoErrors. */
  memos: {
    create: OmitFirst<typeof createMemo>;
    get: OmitFirst<typeof getMemo>;
    write: OmitFirst<typeof writeSection>;
    render: OmitFirst<typeof render>;
    /** The charts a memo's Markdown names, drawn for a Word file. */
    docxCharts: OmitFirst<typeof docxCharts>;
  };
}

type OmitFirst<F> = F extends (first: never, ...rest: infer A) => infer R ? (...args: A) => R : never;

/** Builds the services once; the adapters are handed the result. */
export function createCommandServices(deps: CommandServiceDeps): CommandServices {
  const { prisma, clock, timeZone, templates } = deps;
  const today = () => dateInZone(clock.now(), timeZone);
  const admins = deps.admins ?? [];
  const memoDeps = { prisma, clock, timeZone, templates, admins, ...(deps.banner ? { banner: deps.banner } : {}) };
  const factDeps = { prisma, admins, today };
  return {
    async status(asOf, topic) {
      return getStatus({ prisma, clock, timeZone, ...(deps.statusCache ? { cache: deps.statusCache } : {}) }, asOf, topic);
    },
    async searchMarkdown(queryText) {
      const [{ parseFactQuery }, { searchFacts }, { searchResultToMarkdown }] = await Promise.all([import("../facts/query.js"), import("../facts/search.js"), import("../facts/markdown.js")]);
      const query = parseFactQuery(queryText);
      return searchResultToMarkdown(query, await searchFacts(prisma, query, { asOf: today() }));
    },
    async factMarkdown(id) {
      const [{ getFact }, { outcomesOf }, { factsToMarkdown }] = await Promise.all([import("../facts/search.js"), import("../facts/as-of.js"), import("../facts/markdown.js")]);
      const fact = await getFact(prisma, id);
      if (!fact) return undefined;
      return factsToMarkdown([fact], `Fact #${fact.id}`, {}, await outcomesOf(prisma, [fact], today()));
    },
    async factHistoryMarkdown(id) {
      const [{ factHistory }, { historyToMarkdown }] = await Promise.all([import("../facts/audit.js"), import("../facts/markdown.js")]);
      const { fact, entries } = await factHistory(prisma, id);
      return historyToMarkdown(fact, entries);
    },
    async memoListMarkdown() {
      const [{ listMemos }, markdown] = await Promise.all([import("../memos/read.js"), import("../memos/markdown.js")]);
      return markdown.memoListMarkdown(await listMemos(memoDeps, { states: ["open", "assembled"] }), timeZone);
    },
    async memoMarkdown(id) {
      const [{ getMemo, memoNames }, markdown] = await Promise.all([import("../memos/read.js"), import("../memos/markdown.js")]);
      const memo = await getMemo(memoDeps, id);
      return markdown.memoMarkdown(memo, timeZone, await memoNames(memoDeps, memo));
    },
    async sectionHistoryMarkdown(id, key) {
      const [{ sectionHistory }, markdown] = await Promise.all([import("../memos/read.js"), import("../memos/markdown.js")]);
      const { section, revisions } = await sectionHistory(memoDeps, id, key);
      return markdown.sectionHistoryMarkdown(id, section, revisions);
    },
    async assembledMemoMarkdown(id) {
      const [{ getMemo }, { render }] = await Promise.all([import("../memos/read.js"), import("../memos/assemblies.js")]);
      return (await render(memoDeps, await getMemo(memoDeps, id))).markdown;
    },
    async figures(options) {
      const { figuresAnswer } = await import("../figures/service.js");
      return figuresAnswer(prisma, options);
    },
    async askMarkdown(question) {
      const [{ askQuestion }, { answerMarkdown }, { SLASH_ASK_COMMANDS }] = await Promise.all([import("../ask/answer.js"), import("../ask/markdown.js"), import("./ask-commands.js")]);
      return answerMarkdown(await askQuestion({ prisma, clock, timeZone }, question), SLASH_ASK_COMMANDS);
    },
    facts: {
      get: (id) => getFact(prisma, id),
      add: given(addFact, factDeps),
      change: given(changeFact, factDeps),
      retract: given(retractFact, factDeps),
      close: given(closeDeadline, factDeps),
    },
    memos: {
      create: given(createMemo, memoDeps),
      get: given(getMemo, memoDeps),
      write: given(writeSection, memoDeps),
      render: given(render, memoDeps),
      docxCharts: given(docxCharts, prisma),
    },
  };
}
