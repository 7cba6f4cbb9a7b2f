/**
 * Feeds, candidates and archived pages in the local console: the review queue without Slack. The same domain calls as
 * `korus feeds|candidates|sources ...` (src/cli/feeds.ts), answered in Markdown.
 */
import { isIsoDate } from "../facts/dates.js";
import { FactError } from "../facts/service.js";
import { FeedError } from "../feeds/deps.js";
import { CANDIDATE_STATES } from "../feeds/feeds.js";
import { candidateDraftMarkdown, candidatesMarkdown, feedAddedMarkdown, feedsMarkdown, pollOutcomeLine, sourcePagesMarkdown, sourcePageText } from "../feeds/markdown.js";
import { escapeMarkdown } from "../render/escape.js";
import type { TerminalServices } from "../commands/services-cli.js";
import { splitWords } from "./console-forms.js";
import { cliUser } from "./facts.js";
import { counted } from "../render/count.js";

/** The console's help for these commands. */
export const FEED_CONSOLE_HELP = [
  '- `feeds` · `feeds add URL [--topic T] [--keywords "Korea,KORUS"] [--channel C…] [--actor A]` · `feeds poll` · `feeds remove ID`: watched feeds',
  "- `candidates [--state pending|accepted|dismissed|irrelevant|all]` · `candidates show ID` · `candidates accept ID [--kind K] [--actor A] [--date D] [--title T] [--anyway]` · `candidates dismiss ID [--not-relevant]`: the review queue",
  "- `sources [--dead]` · `sources show ID`: cited pages and their archived copies (`npx korus sources check` asks each page)",
].join("\n");

/** What the console gives these commands: the terminal's services (without fetch settings, feeds are not fetched). */
export interface FeedTextDeps {
  terminal: TerminalServices;
}

const BOOLEAN_FLAGS = new Set(["anyway", "not-relevant", "dead", "no-check"]);

/** Words and `--flag value` pairs (the boolean flags take no value). */
function parseArgs(words: string[]): { args: string[]; flags: Map<string, string[]>; error?: string } {
  const flags = new Map<string, string[]>();
  const args: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (!w.startsWith("--")) {
      args.push(w);
      continue;
    }
    const [name, inline] = w.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (BOOLEAN_FLAGS.has(name)) {
      flags.set(name, ["true"]);
      continue;
    }
    const value = inline ?? words[++i];
    if (value === undefined) return { args, flags, error: `\`--${name}\` needs a value.` };
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  return { args, flags };
}

/**
 * Answers `feeds …`, `candidates …` or `sources …` typed in the console; undefined for any other command.
 */
export async function runFeedTextCommand(text: string, deps: FeedTextDeps): Promise<{ ok: boolean; output: string } | undefined> {
  // The hints the answers give are `korus …` commands: typed here with or without the word.
  const words = splitWords(text.replace(/^korus\s+/i, ""));
  const group = words[0]?.toLowerCase();
  if (group !== "feeds" && group !== "candidates" && group !== "sources") return undefined;
  const { args, flags, error } = parseArgs(words.slice(1));
  if (error) return { ok: false, output: `${error}\n` };
  const verb = (args[0] ?? "list").toLowerCase();
  const flag = (name: string) => flags.get(name)?.at(-1);
  const id = (word: string | undefined) => (word && /^#?\d{1,9}$/.test(word) ? Number(word.replace(/^#/, "")) : undefined);
  const { feeds, candidates, sources, timeZone } = deps.terminal;
  try {
    if (group === "feeds") {
      if (verb === "list") return { ok: true, output: feedsMarkdown(await feeds.list({ removed: flag("removed") !== undefined }), timeZone, await feeds.pendingCounts()) };
      if (verb === "add") {
        if (!args[1])
          return { ok: false, output: "`feeds add` needs the feed's URL, like `feeds add https://www.federalregister.gov/api/v1/documents.json?conditions[term]=korea --keywords KORUS`.\n" };
        const result = await feeds.add(
          {
            url: args[1],
            ...(flag("topic") ? { topic: flag("topic")! } : {}),
            ...(flag("keywords") !== undefined ? { keywords: flag("keywords")! } : {}),
            channels: flags.get("channel") ?? [],
            ...(flag("actor") ? { actor: flag("actor")! } : {}),
            check: !flags.has("no-check"),
          },
          cliUser(),
        );
        return { ok: true, output: feedAddedMarkdown(result.feed, result.check) };
      }
      if (verb === "poll") {
        const outcomes = await feeds.poll();
        const added = outcomes.reduce((n, o) => n + (o.added ?? 0), 0);
        return {
          ok: true,
          output: `${outcomes.map((o) => pollOutcomeLine(o, timeZone)).join("\n")}${outcomes.length > 0 ? "\n" : "No feeds yet.\n"}Done: ${counted(added, "new candidate")}.\n`,
        };
      }
      if (verb === "remove" && id(args[1])) {
        const { feed, dismissed } = await feeds.remove(id(args[1])!, cliUser());
        return { ok: true, output: `Removed feed #${feed.id}; ${dismissed} pending candidate${dismissed === 1 ? "" : "s"} dismissed.\n` };
      }
      return { ok: false, output: "Usage: `feeds`, `feeds add URL [--topic T] [--keywords …]`, `feeds poll`, `feeds remove ID`.\n" };
    }
    if (group === "candidates") {
      if (verb === "list") {
        const state = flag("state") ?? "pending";
        if (state !== "all" && !(CANDIDATE_STATES as readonly string[]).includes(state)) return { ok: false, output: `--state must be one of ${[...CANDIDATE_STATES, "all"].join(", ")}.\n` };
        const { candidates: list, total } = await candidates.list({ state: state as (typeof CANDIDATE_STATES)[number] | "all" });
        return { ok: true, output: candidatesMarkdown(list, total, state) };
      }
      const n = id(args[1]);
      if (!n) return { ok: false, output: `\`candidates ${verb}\` needs a candidate number (\`candidates\` lists them).\n` };
      if (verb === "show") return { ok: true, output: candidateDraftMarkdown(await candidates.get(n), await candidates.draft(n)) };
      if (verb === "accept") {
        const date = flag("date");
        if (date !== undefined && !isIsoDate(date)) return { ok: false, output: "--date: not a calendar date; write it as YYYY-MM-DD.\n" };
        const { fact } = await candidates.accept(
          n,
          cliUser(),
          { ...(flag("kind") ? { kind: flag("kind")! } : {}), ...(flag("actor") ? { actor: flag("actor")! } : {}), ...(date ? { date } : {}), ...(flag("title") ? { title: flag("title")! } : {}) },
          { allowDuplicate: flags.has("anyway") },
        );
        return { ok: true, output: `Saved candidate #${n} as fact #${fact.id}: ${fact.date}, ${fact.kind}, “${escapeMarkdown(fact.title)}”.\n` };
      }
      if (verb === "dismiss") {
        const c = await candidates.dismiss(n, cliUser(), flags.has("not-relevant") ? "irrelevant" : "dismissed");
        return { ok: true, output: `${c.state === "irrelevant" ? "Marked not relevant to" : "Dismissed from"} \`${c.topic}\`: candidate #${c.id} “${escapeMarkdown(c.title)}”.\n` };
      }
      return { ok: false, output: "Usage: `candidates`, `candidates show ID`, `candidates accept ID [--kind K] …`, `candidates dismiss ID [--not-relevant]`.\n" };
    }
    if (verb === "list") {
      const { pages, total, counts } = await sources.list({ dead: flags.has("dead") });
      return { ok: true, output: sourcePagesMarkdown(pages, total, counts, timeZone) };
    }
    if (verb === "show" && args[1]) {
      const page = await sources.get(id(args[1]) ?? args[1]);
      return page ? { ok: true, output: sourcePageText(page, timeZone) } : { ok: false, output: `No cited page ${args[1]} (\`sources\` lists them).\n` };
    }
    return { ok: false, output: "Usage: `sources [--dead]`, `sources show ID`.\n" };
  } catch (error) {
    if (error instanceof FeedError) return { ok: false, output: `${error.field && error.code === "invalid" ? `${error.field}: ` : ""}${error.message}\n` };
    if (error instanceof FactError) {
      const fields = Object.entries(error.fields).map(([f, m]) => `  ${f}: ${m}`);
      const hint = error.code === "duplicate" ? "\nNothing was saved. Type it again with --anyway to save it all the same." : "";
      return { ok: false, output: `${[error.message, ...fields].join("\n")}${hint}\n` };
    }
    throw error;
  }
}
