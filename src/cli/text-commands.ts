import type { Clock } from "../clock.js";
import { helpMarkdown, parseCommand } from "../commands/parse.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import type { TemplateStore } from "../memos/templates/store.js";
import { factsToMarkdown, historyToMarkdown, searchResultToMarkdown } from "../facts/markdown.js";
import { FactQueryError, parseFactQuery } from "../facts/query.js";
import { FactError } from "../facts/service.js";
import { factHistory } from "../facts/audit.js";
import { getFact, searchFacts } from "../facts/search.js";
import { statusToMarkdown } from "../status/markdown.js";
import { outcomesOf } from "../facts/as-of.js";
import { dateInZone } from "../time-zone.js";
import { memoListMarkdown, memoMarkdown, sectionHistoryMarkdown } from "../memos/markdown.js";
import { getMemo, listMemos, MemoError, memoNames, sectionHistory } from "../memos/read.js";
import { render } from "../memos/assemblies.js";
import { getStatus } from "../status/service.js";
import { runBriefTextCommand } from "./briefs.js";
import { askQuestion } from "../ask/answer.js";
import { answerMarkdown } from "../ask/markdown.js";
import { figuresAnswer } from "../figures/service.js";
import { type ConsoleFormDeps, runConsoleForm } from "./console-forms.js";
import { FEED_CONSOLE_HELP, runFeedTextCommand } from "./feeds-text.js";
import type { FetchSettings } from "../config.js";

/** What the console adds to the help: its forms, and the memo commands that do in a terminal what buttons do in Slack. */
export const CONSOLE_HELP = [
  "",
  "**In this console** every command above works. Those that open a form in Slack ask their fields here one by one (the default in brackets, Enter keeps it); in a script, give the fields as flags:",
  "- `memo new [template] --title T [--as-of YYYY-MM-DD] [--due YYYY-MM-DD] [--due-time HH:MM]`",
  "- `memo write ID SECTION [--text \"...\" | --file FILE]`: a section's text (typed: end with a line holding only a dot)",
  "- `memo export ID [--format md|html|docx] [--out FILE [--force]] [--as-of YYYY-MM-DD]`: the memo as a file (the Export .docx button in Slack; an existing FILE is replaced only with --force)",
  "- `fact add --kind K --date D --title T --actor A --source-title T [--source-url URL] [--summary S] [--due-kind obligation|effective]` · `fact edit ID [--title T ...] [--reason R]` · `fact retract ID --reason R`",
  "- `fact close ID --outcome met|missed|extended|withdrawn (--by FACT | --on YYYY-MM-DD --source-title T [--source-url URL] [--title T] [--to YYYY-MM-DD])`: a deadline's outcome, by a fact on record or a new one",
  "- `schedule new --weekday monday --time 09:00 --time-zone Zone --channel C0123ABCD [--holidays none|us|kr|both]`",
  FEED_CONSOLE_HELP,
  "Assembly history: `npx korus memo assemble ID` keeps each version, `npx korus memo diff ID [from] [to]` shows what changed.",
  "",
].join("\n");
import { runDeadlineTextCommand } from "./deadlines.js";
import { TopicError } from "../topics/slug.js";

/** What the terminal commands need. */
export interface TextCommandDeps {
  prisma: PrismaClient;
  clock: Clock;
  timeZone: string;
  templates: TemplateStore;
  /** The fetch settings (feeds add and poll in the console); absent: those two say to use `npx korus`. */
  fetching?: FetchSettings;
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
export async function runTextCommand(line: string, deps: TextCommandDeps & Omit<ConsoleFormDeps, keyof TextCommandDeps>): Promise<TextAnswer> {
  const text = line.trim().replace(/^\/korus\b/i, "");
  const feeds = await runFeedTextCommand(text.trim(), deps);
  if (feeds) return feeds;
  // The forms Slack opens (memo new, fact add, schedule new...) are asked here line by line, or read from flags.
  const form = await runConsoleForm(text.trim(), deps);
  if (form) return form;
  const parsed = parseCommand(text);
  switch (parsed.name) {
    case "help":
      return { ok: true, output: `${helpMarkdown()}${CONSOLE_HELP}` };
    case "invalid":
      return {
        ok: false,
        output: `${parsed.message}\n${parsed.usage ? `Usage: ${parsed.usage}\n` : `\n${helpMarkdown()}`}`,
      };
    case "status": {
      let report: Awaited<ReturnType<typeof getStatus>>;
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
        return { ok: true, output: searchResultToMarkdown(query, await searchFacts(deps.prisma, query, { asOf: dateInZone(deps.clock.now(), deps.timeZone) })) };
      } catch (error) {
        if (error instanceof FactQueryError) return { ok: false, output: `${error.message}\n` };
        throw error;
      }
    }
    case "fact-show": {
      const fact = await getFact(deps.prisma, parsed.id);
      if (!fact) return { ok: false, output: `There is no fact #${parsed.id}.\n` };
      const outcomes = await outcomesOf(deps.prisma, [fact], dateInZone(deps.clock.now(), deps.timeZone));
      return { ok: true, output: factsToMarkdown([fact], `Fact #${fact.id}`, {}, outcomes) };
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
        if (parsed.name === "memo-show") {
          const memo = await getMemo(deps, parsed.id);
          return { ok: true, output: memoMarkdown(memo, deps.timeZone, await memoNames(deps, memo)) };
        }
        if (parsed.name === "memo-history") {
          const { section, revisions } = await sectionHistory(deps, parsed.id, parsed.section);
          return { ok: true, output: sectionHistoryMarkdown(parsed.id, section, revisions) };
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
    case "figures": {
      const answer = await figuresAnswer(deps.prisma, parsed);
      return { ok: answer.ok, output: answer.markdown };
    }
    case "chart":
      return {
        ok: false,
        output: `A chart is a picture: in Slack \`/korus chart ${parsed.series}\` posts it; in the terminal \`npx korus chart ${parsed.series} --out chart.png\` writes it (or .svg). \`/korus figures ${parsed.series}\` lists its periods here.\n`,
      };
    case "ask":
      return { ok: true, output: answerMarkdown(await askQuestion(deps, parsed.question)) };
    case "alerts-on":
    case "alerts-off":
    case "alerts-list":
    case "topics":
    case "timeline":
      return runDeadlineTextCommand(parsed, deps);
    case "memo-new":
    case "fact-add":
    case "fact-edit":
    case "fact-retract":
    case "fact-close":
      // Answered by runConsoleForm above; the parser's shapes are here for completeness.
      return { ok: false, output: "Type it again with its fields, e.g. `memo new --title T`, `fact add --title T ...`, `fact retract ID --reason R`.\n" };
  }
}
