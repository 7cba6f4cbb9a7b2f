/**
 * Feeds, candidates and archived pages from the terminal: `korus feeds add|list|remove|poll`, `korus candidates
 * list|show|accept|dismiss`, `korus sources list|show|check|archive`. The same domain calls a Slack adapter makes.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import type { FetchSettings } from "../config.js";
import { FACT_KINDS } from "../facts/model.js";
import { CANDIDATE_STATES } from "../feeds/feeds.js";
import {
  archiveOutcomeLine,
  candidateDraftMarkdown,
  candidatesMarkdown,
  feedAddedMarkdown,
  feedsMarkdown,
  linkCheckLine,
  pollOutcomeLine,
  sourcePagesMarkdown,
  sourcePageText,
} from "../feeds/markdown.js";
import { describeBytes } from "../net/safe-fetch.js";
import { count, counted } from "../render/count.js";
import { escapeMarkdown } from "../render/escape.js";
import { parseTopic, TopicError } from "../topics/slug.js";
import type { CommandDeps } from "./command-deps.js";
import { CliFailure, cliUser } from "./facts.js";
import { printMarkdown } from "./screen.js";

/** What the feed commands need from src/cli/korus.ts. */
export interface FeedCommandDeps extends Pick<CommandDeps, "withServices" | "isoDate" | "clock" | "timeZone" | "chat"> {
  fetching: FetchSettings;
}

function idArgument(what: string, list: string) {
  return (value: string): number => {
    const n = value.replace(/^#/, "");
    if (!/^\d{1,9}$/.test(n)) throw new InvalidArgumentError(`must be a ${what} number (${list} shows them).`);
    return Number(n);
  };
}

function topicOption(value: string): string {
  try {
    return parseTopic(value);
  } catch (error) {
    if (error instanceof TopicError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

/** Every answer of these commands is Markdown. */
const out = (text: string) => printMarkdown(text);
const progress = (line: string) => process.stderr.write(`${line}\n`);

/** Registers `korus feeds ...`, `korus candidates ...` and `korus sources ...`. */
export function registerFeedCommands(program: Command, deps: FeedCommandDeps): void {
  const feeds = program.command("feeds").description("watched feeds (RSS, Atom, JSON Feed, the Federal Register search): add, list, remove, poll");
  feeds
    .command("add")
    .description("watch a feed for a topic; it is fetched once to check it (kind found from the answer)")
    .argument("<url>", "the feed's http(s) address, e.g. a Federal Register search: https://www.federalregister.gov/api/v1/documents.json?conditions[term]=korea")
    .addOption(new Option("--topic <topic>", "the topic its candidates belong to").default("korus").argParser(topicOption))
    .option("--keywords <words>", 'comma-separated: only items whose title or summary has one become candidates (e.g. "Korea,KORUS"); none: every item')
    .option("--channel <id...>", "Slack channel id(s) that review its candidates (C0123ABCD)")
    .option("--actor <actor>", "whose acts its items report (US, Korea, both or a name); the Federal Register defaults to US")
    .option("--no-check", "store it without fetching it first")
    .action(async (url: string, options: { topic: string; keywords?: string; channel?: string[]; actor?: string; check: boolean }) => {
      const result = await deps.withServices(async (services) => {
        if (options.check) progress(`korus: checking ${url} …`);
        return services.feeds.add(
          {
            url,
            topic: options.topic,
            ...(options.keywords !== undefined ? { keywords: options.keywords } : {}),
            // A channel pasted from Slack (`<#C0123ABCD|trade>`) is its id; anything else is the service's to refuse.
            ...(options.channel ? { channels: options.channel.map((c) => deps.chat.channel(c) ?? c) } : {}),
            ...(options.actor !== undefined ? { actor: options.actor } : {}),
            check: options.check,
          },
          cliUser(),
        );
      });
      out(feedAddedMarkdown(result.feed, result.check));
    });
  feeds
    .command("list")
    .description("the feeds with their last and next poll, last error and candidate counts")
    .addOption(new Option("--topic <topic>", "one topic's feeds").argParser(topicOption))
    .option("--removed", "include removed feeds")
    .action(async (options: { topic?: string; removed?: boolean }) => {
      const text = await deps.withServices(async ({ feeds }) => feedsMarkdown(await feeds.list(options), deps.timeZone, await feeds.pendingCounts()));
      out(text);
    });
  feeds
    .command("remove")
    .description("stop watching a feed (its pending candidates are dismissed; saved facts stay)")
    .argument("<id>", "the feed's number", idArgument("feed", "korus feeds list"))
    .action(async (id: number) => {
      const { feed, dismissed } = await deps.withServices((services) => services.feeds.remove(id, cliUser()));
      out(`Removed feed #${feed.id} (${escapeMarkdown(feed.url)}); ${dismissed} pending candidate${dismissed === 1 ? "" : "s"} dismissed.\n`);
    });
  feeds
    .command("poll")
    .description("poll feeds now (all, or the ids given), one request per host at a time, and print what each found")
    .argument("[ids...]", "feed numbers (default: every feed)")
    .action(async (ids: string[]) => {
      const wanted = ids.length > 0 ? ids.map(idArgument("feed", "korus feeds list")) : undefined;
      const outcomes = await deps.withServices(async ({ feeds }) => {
        const feedCount = await feeds.count(wanted);
        if (feedCount === 0) return null;
        progress(`korus: polling ${counted(feedCount, "feed")} (requests to one host at least ${deps.fetching.hostIntervalMs / 1000} s apart) …`);
        return feeds.poll({ ...(wanted ? { ids: wanted } : {}), onOutcome: (o) => out(`${pollOutcomeLine(o, deps.timeZone)}\n`) });
      });
      if (outcomes === null) {
        out(wanted ? "No such feed (korus feeds list shows them).\n" : 'No feeds yet. Add one: `korus feeds add URL --topic korus --keywords "Korea,KORUS"`.\n');
        return;
      }
      const added = outcomes.reduce((n, o) => n + (o.added ?? 0), 0);
      const failed = outcomes.filter((o) => o.result === "failed").length;
      out(`Done: ${counted(added, "new candidate")}${added > 0 ? " (korus candidates list)" : ""}${failed > 0 ? `; ${counted(failed, "feed")} failed (korus feeds list shows the errors)` : ""}.\n`);
      if (failed > 0 && failed === outcomes.length) process.exitCode = 1;
    });

  const candidates = program.command("candidates").description("feed items waiting for review: list, show, accept, dismiss");
  candidates
    .command("list")
    .description("candidates waiting (or in another state), newest first, each with what it duplicates")
    .addOption(new Option("--state <state>", "which candidates").choices([...CANDIDATE_STATES, "all"]).default("pending"))
    .addOption(new Option("--topic <topic>", "one topic's candidates").argParser(topicOption))
    .option("--feed <id>", "one feed's candidates", idArgument("feed", "korus feeds list"))
    .option("--limit <n>", "how many to show (default 20, at most 200)", idArgument("count", "a number"))
    .action(async (options: { state: (typeof CANDIDATE_STATES)[number] | "all"; topic?: string; feed?: number; limit?: number }) => {
      const { candidates: list, total } = await deps.withServices((services) =>
        services.candidates.list({
          state: options.state,
          ...(options.topic ? { topic: options.topic } : {}),
          ...(options.feed ? { feedId: options.feed } : {}),
          ...(options.limit ? { limit: options.limit } : {}),
        }),
      );
      out(candidatesMarkdown(list, total, options.state));
    });
  candidates
    .command("show")
    .description("one candidate and the fact it would become")
    .argument("<id>", "the candidate's number", idArgument("candidate", "korus candidates list"))
    .action(async (id: number) => {
      const text = await deps.withServices(async ({ candidates }) => candidateDraftMarkdown(await candidates.get(id), await candidates.draft(id)));
      out(text);
    });
  candidates
    .command("accept")
    .description("save a candidate as a fact (title, date, source with its title, URL and date; known = published)")
    .argument("<id>", "the candidate's number", idArgument("candidate", "korus candidates list"))
    .addOption(new Option("--kind <kind>", "the fact's kind").choices([...FACT_KINDS]))
    .option("--actor <actor>", "whose act it is (US, Korea, both or a name), when the feed names none or another")
    .option("--date <date>", "the day it happened, when the item gives none or another (YYYY-MM-DD)", deps.isoDate)
    .option("--title <title>", "a shorter or clearer title (at most 150 characters)")
    .option("--anyway", "save it even if it looks like a stored fact")
    .action(async (id: number, options: { kind?: string; actor?: string; date?: string; title?: string; anyway?: boolean }) => {
      const { fact } = await deps.withServices((services) =>
        services.candidates.accept(
          id,
          cliUser(),
          {
            ...(options.kind ? { kind: options.kind } : {}),
            ...(options.actor ? { actor: options.actor } : {}),
            ...(options.date ? { date: options.date } : {}),
            ...(options.title ? { title: options.title } : {}),
          },
          { allowDuplicate: options.anyway === true },
        ),
      );
      const source = fact.sources[0];
      out(
        `Saved candidate #${id} as fact #${fact.id}: ${fact.date}, ${fact.kind}, “${escapeMarkdown(fact.title)}” (${escapeMarkdown(fact.actor)}; source: ${escapeMarkdown(source?.title ?? source?.url ?? "")}${source?.date ? `, ${source.date}` : ""}; known from ${fact.visibleFrom}).\n`,
      );
    });
  candidates
    .command("dismiss")
    .description("dismiss a candidate (with --not-relevant: not relevant to its topic, counted per feed)")
    .argument("<id>", "the candidate's number", idArgument("candidate", "korus candidates list"))
    .option("--not-relevant", "the feed's keywords caught it, but it is not about the topic")
    .action(async (id: number, options: { notRelevant?: boolean }) => {
      const c = await deps.withServices((services) => services.candidates.dismiss(id, cliUser(), options.notRelevant ? "irrelevant" : "dismissed"));
      out(`${options.notRelevant ? "Marked not relevant to" : "Dismissed from"} \`${c.topic}\`: candidate #${c.id} “${escapeMarkdown(c.title)}”.\n`);
    });

  const sources = program.command("sources").description("the pages facts cite, archived as readable text: list, show, check, archive");
  sources
    .command("list")
    .description("the cited pages with their archive state and dead links")
    .option("--dead", "only dead links")
    .action(async (options: { dead?: boolean }) => {
      const { pages, total, counts } = await deps.withServices((services) => services.sources.list(options));
      out(sourcePagesMarkdown(pages, total, counts, deps.timeZone));
    });
  sources
    .command("show")
    .description("a cited page's archived copy: fetch time, hash, and its readable text")
    .argument("<id-or-url>", "the page's number (korus sources list) or the URL a fact cites")
    .action(async (key: string) => {
      const id = /^#?\d{1,9}$/.test(key) ? Number(key.replace(/^#/, "")) : key.trim();
      const page = await deps.withServices((services) => services.sources.get(id));
      if (!page) throw new CliFailure(`No cited page ${typeof id === "number" ? `#${id}` : id.slice(0, 200)} (korus sources list shows them).`, 1);
      out(sourcePageText(page, deps.timeZone));
    });
  sources
    .command("check")
    .description("ask every cited page (or those given) whether it is still there; 404, 410 and a host that no longer resolves are dead links")
    .argument("[ids...]", "page numbers (default: all)")
    .action(async (ids: string[]) => {
      const wanted = ids.length > 0 ? ids.map(idArgument("page", "korus sources list")) : undefined;
      const checks = await deps.withServices(async ({ sources }) => {
        const pageCount = await sources.count(wanted);
        progress(`korus: checking ${counted(pageCount, "cited page")} (requests to one host at least ${deps.fetching.hostIntervalMs / 1000} s apart) …`);
        return sources.check({ ...(wanted ? { ids: wanted } : {}), onCheck: (c) => out(`${linkCheckLine(c, deps.timeZone)}\n`) });
      });
      const dead = checks.filter((c) => c.result === "dead");
      out(
        `Done: ${count(checks.length)} checked, ${count(dead.length)} dead (${count(dead.filter((c) => c.archived).length)} with an archived copy), ${count(checks.filter((c) => c.result === "unknown").length)} could not tell.\n`,
      );
    });
  sources
    .command("archive")
    .description("fetch the queued cited pages now (all that are due, or the ids given) and keep their readable text (the bot does this in the background)")
    .argument("[ids...]", "page numbers (korus sources list)")
    .option("--limit <n>", "at most this many pages (default 50)", idArgument("count", "a number"))
    .action(async (ids: string[], options: { limit?: number }) => {
      const wanted = ids.length > 0 ? ids.map(idArgument("page", "korus sources list")) : undefined;
      const outcomes = await deps.withServices(async ({ sources }) => {
        const queued = await sources.countQueued(wanted);
        progress(`korus: ${queued} page${queued === 1 ? "" : "s"} queued${wanted ? " of those asked for" : ""}; archiving up to ${Math.min(queued, options.limit ?? 50)} …`);
        return sources.archive(deps.clock.now(), { limit: options.limit ?? 50, wait: true, ...(wanted ? { ids: wanted } : {}), onOutcome: (o) => out(`${archiveOutcomeLine(o)}\n`) });
      });
      out(
        `Done: ${count(outcomes.filter((o) => o.result === "archived").length)} archived, ${count(outcomes.filter((o) => o.result === "retry").length)} to retry, ${count(outcomes.filter((o) => o.result === "failed" || o.result === "unreadable").length)} without text (limit per page ${describeBytes(5 * 1024 * 1024)}).\n`,
      );
    });
}
