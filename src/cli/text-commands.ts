import type { Clock } from "../clock.js";
import { helpMarkdown, parseCommand } from "../commands/parse.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { TemplateStore } from "../memos/templates/store.js";
import { factsToMarkdown, historyToMarkdown, searchResultToMarkdown } from "../facts/markdown.js";
import { FactQueryError, parseFactQuery } from "../facts/query.js";
import { FactError, factHistory, getFact, searchFacts } from "../facts/service.js";
import { statusToMarkdown } from "../status/markdown.js";
import { memoListMarkdown, memoMarkdown } from "../memos/markdown.js";
import { getMemo, listMemos, MemoError, render, sectionHistory } from "../memos/service.js";
import { getStatus } from "../status/service.js";
import { runBriefTextCommand } from "./briefs.js";
import { runDeadlineTextCommand } from "./deadlines.js";
import { TopicError } from "../topics/slug.js";

/** What the terminal commands need. */
export interface TextCommandDeps {
  prisma: PrismaClient;
  clock: Clock;
  timeZone: string;
  templates: TemplateStore;
}

/** The answer to a command in the terminal: Markdown, and whether the command was understood. */
export interface TextAnswer {
  ok: boolean;
  output: string;
}

/**
 * Runs one `/korus ...` command (the `/korus` is optional) and answers in Markdown: the local console's twin of the
 * Slack command, over the same domain code.
 */
export async function runTextCommand(line: string, deps: TextCommandDeps): Promise<TextAnswer> {
  const text = line.trim().replace(/^\/korus\b/i, "");
  const parsed = parseCommand(text);
  switch (parsed.name) {
    case "help":
      return { ok: true, output: helpMarkdown() };
    case "invalid":
      return {
        ok: false,
        output: `${parsed.message}\n${parsed.usage ? `Usage: ${parsed.usage}\n` : `\n${helpMarkdown()}`}`,
      };
    case "status": {
      let report;
      try {
        report = await getStatus(deps, parsed.asOf, parsed.topic);
      } catch (error) {
        if (error instanceof TopicError) return { ok: false, output: `${error.message}\n` };
        throw error;
      }
      return { ok: true, output: statusToMarkdown(report) };
    }
    case "facts": {
      try {
        const query = parseFactQuery(parsed.query);
        return { ok: true, output: searchResultToMarkdown(query, await searchFacts(deps.prisma, query)) };
      } catch (error) {
        if (error instanceof FactQueryError) return { ok: false, output: `${error.message}\n` };
        throw error;
      }
    }
    case "fact-show": {
      const fact = await getFact(deps.prisma, parsed.id);
      return fact ? { ok: true, output: factsToMarkdown([fact], `Fact #${fact.id}`) } : { ok: false, output: `There is no fact #${parsed.id}.\n` };
    }
    case "fact-history":
      try {
        const { fact, entries } = await factHistory(deps.prisma, parsed.id);
        return { ok: true, output: historyToMarkdown(fact, entries) };
      } catch (error) {
        if (error instanceof FactError) return { ok: false, output: `${error.message}\n` };
        throw error;
      }
    case "memo-list":
      return { ok: true, output: memoListMarkdown(await listMemos(deps, { states: ["open", "assembled"] }), deps.timeZone) };
    case "memo-show":
    case "memo-history":
    case "memo-assemble":
      try {
        if (parsed.name === "memo-show") return { ok: true, output: memoMarkdown(await getMemo(deps, parsed.id), deps.timeZone) };
        if (parsed.name === "memo-history") {
          const { section, revisions } = await sectionHistory(deps, parsed.id, parsed.section);
          const lines = revisions.map((r) => `- revision ${r.revision} · ${r.author} · ${r.at.toISOString()} · ${r.text.length} characters`);
          return { ok: true, output: `# ${section.title}, memo #${parsed.id}\n\n${lines.join("\n") || "No revisions yet."}\n` };
        }
        return { ok: true, output: (await render({ ...deps, admins: [] }, await getMemo(deps, parsed.id))).markdown };
      } catch (error) {
        if (error instanceof MemoError) return { ok: false, output: `${error.message}\n` };
        throw error;
      }
    case "brief":
    case "schedule-create":
    case "schedule-new":
    case "schedule-list":
    case "schedule-pause":
    case "schedule-resume":
    case "schedule-delete":
      return runBriefTextCommand(parsed, deps);
    case "alerts-on":
    case "alerts-off":
    case "alerts-list":
    case "topics":
    case "timeline":
      return runDeadlineTextCommand(parsed, deps);
    case "memo-new":
      return { ok: false, output: "The new-memo form opens in Slack only. In the terminal use `npx korus memo new --template T --title ...`.\n" };
    case "fact-add":
    case "fact-edit":
    case "fact-retract":
      return {
        ok: false,
        output: "Forms open in Slack only. In the terminal use `npx korus facts add --help`, `npx korus facts retract ID --reason ...`, or import a file with `npx korus facts import FILE.jsonl`.\n",
      };
  }
}
