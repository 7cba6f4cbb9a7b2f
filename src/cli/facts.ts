import { readFile } from "node:fs/promises";
import { userInfo } from "node:os";
import { type Command, InvalidArgumentError, Option } from "commander";
import { FACT_LIMITS } from "../facts/jsonl.js";
import { parseFactLines } from "../facts/jsonl-read.js";
import { DUE_KINDS, FACT_KINDS, MILESTONES, type Outcome, OUTCOMES } from "../facts/model.js";
import type { CloseResult } from "../facts/close.js";
import { FactQueryError, parseFactQuery } from "../facts/query.js";
import { DUPLICATE_CHECK_MAX, duplicateTarget, FactImportError, type ImportProgress } from "../facts/import.js";
import { historyToMarkdown, searchResultToMarkdown } from "../facts/markdown.js";
import { CliFailure } from "./failure.js";
import type { CommandDeps } from "./command-deps.js";
import { checkOutputFile, writeOutputFile } from "./output-file.js";
import { printMarkdown } from "./screen.js";
import { count, counted } from "../render/count.js";

/** Who the audit trail names for changes made from this terminal. */
export function cliUser(): string {
  return `cli:${userInfo().username}`;
}

export { CliFailure } from "./failure.js";

function intOption(name: string) {
  return (value: string) => {
    if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be a whole number.`);
    return Number(value);
  };
}

function numberOption(name: string) {
  return (value: string) => {
    const n = Number(value.trim());
    if (value.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number, like 27.7 (no unit or commas: put the unit in --unit).`);
    return n;
  };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

/** Progress lines of a long import come no closer together than this (the last of each phase always comes). */
const PROGRESS_EVERY_MS = 2000;

/**
 * The progress lines of a long import, on standard error: "file: 4,000 of 10,000 lines staged (3.1 s)", then checked,
 * then "applying" and the lines written; at most one per PROGRESS_EVERY_MS within a phase.
 */
function importProgressLine(file: string, started: number): (progress: ImportProgress) => void {
  let last = 0;
  return (progress) => {
    const now = Date.now();
    const seconds = `${((now - started) / 1000).toFixed(1)} s`;
    if (progress.phase === "applying") {
      log(`${file}: applying ${count(progress.added)} new and ${count(progress.updated)} changed facts in one transaction (${seconds})...`);
      return;
    }
    if (progress.done < progress.total && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    const what = { staged: "lines staged", checked: "new facts checked for likely duplicates", applied: "lines written (committed together at the end)" }[progress.phase];
    log(`${file}: ${count(progress.done)} of ${count(progress.total)} ${what} (${seconds})`);
  };
}

/** All of standard input as bytes, for `-` as a file name. */
export async function readStdinBytes(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** All of standard input, for `-` as a file name. */
export async function readStdin(): Promise<string> {
  return (await readStdinBytes()).toString("utf8");
}

/** Registers `korus facts ...`: import, export, search, add, history, retract. */
export function registerFactCommands(program: Command, deps: Pick<CommandDeps, "withServices" | "isoDate"> & { today: () => string }): void {
  const facts = program.command("facts").description("the fact store: import, export, search, add, history, retract");

  facts
    .command("import")
    .description("import facts from a JSON Lines file (all or nothing; the same file twice adds nothing)")
    .argument("<file>", "a .jsonl file, one fact per line (format in the README); - reads standard input")
    .option("--dry-run", "check the file and report what would change, without writing")
    .option("--strict", "refuse the file when a line looks like a stored fact or an earlier line (a likely duplicate)")
    .action(async (file: string, options: { dryRun?: boolean; strict?: boolean }) => {
      const started = Date.now();
      let bytes: Uint8Array;
      try {
        // Bytes, not text: a line that is not valid UTF-8 is refused with its number instead of imported as U+FFFD.
        bytes = file === "-" ? await readStdinBytes() : await readFile(file);
      } catch (error) {
        throw new CliFailure(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const { facts: lines, errors, warnings } = parseFactLines(bytes, { today: deps.today() });
      if (errors.length > 0) throw importFailure(file, errors);
      for (const w of warnings) log(`${file}: warning: ${w.message}`);
      log(`${file}: ${counted(lines.length, "fact")} read; storing${options.dryRun ? " (dry run)" : ""}...`);
      const result = await deps.withServices(async (services) => {
        try {
          return await services.facts.import(lines, {
            actor: cliUser(),
            dryRun: options.dryRun,
            strict: options.strict,
            onProgress: importProgressLine(file, started),
          });
        } catch (error) {
          if (error instanceof FactImportError) throw importFailure(file, error.errors);
          throw error;
        }
      });
      for (const d of result.duplicates) {
        log(`${file}:${d.line}: warning: likely duplicate: “${d.title}” (${d.date}) looks like ${duplicateTarget(d)}`);
      }
      if (result.duplicates.length > 0) {
        log(
          `${file}: ${counted(result.duplicates.length, "likely duplicate")} ${options.dryRun ? "would be" : result.duplicates.length === 1 ? "was" : "were"} imported. ` +
            "If two lines report one event from different sources, give them the same `event` key; if one is a copy, retract it " +
            "(korus facts retract ID --reason ...); --strict refuses such files.",
        );
      }
      if (result.duplicateCheckSkipped) log(`${file}: the check for likely duplicates was skipped: it runs on imports of up to ${count(DUPLICATE_CHECK_MAX)} new facts.`);
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stdout.write(
        options.dryRun
          ? `Dry run of ${file}, nothing written: would add ${count(result.added)}, update ${count(result.updated)}, leave ${count(result.unchanged)} unchanged (${seconds} s).\n`
          : `Imported ${file}: ${count(result.added)} added, ${count(result.updated)} updated, ${count(result.unchanged)} unchanged (${seconds} s).\n`,
      );
    });

  facts
    .command("export")
    .description("write every fact as JSON Lines (re-importable) or Markdown")
    .addOption(new Option("--format <format>", "jsonl or md").choices(["jsonl", "md"]).default("jsonl"))
    .option("--include-retracted", "include retracted facts, with their reason")
    .option("-o, --output <file>", "write to this file instead of standard output")
    .option("--force", "replace the --output file if it exists (a symbolic link is replaced, never followed)")
    .action(async (options: { format: "jsonl" | "md"; includeRetracted?: boolean; output?: string; force?: boolean }) => {
      if (options.output) await checkOutputFile(options.output, { force: options.force });
      const text = await deps.withServices((services) =>
        options.format === "jsonl" ? services.facts.exportJsonl({ includeRetracted: options.includeRetracted }) : services.facts.exportMarkdown({ includeRetracted: options.includeRetracted }),
      );
      if (options.output) {
        await writeOutputFile(options.output, text, { force: options.force });
        log(`wrote ${counted(text === "" ? 0 : text.trimEnd().split("\n").length, "line")} to ${options.output}`);
      } else if (options.format === "md") {
        printMarkdown(text);
      } else {
        process.stdout.write(text);
      }
    });

  facts
    .command("search")
    .description("search facts: words and filters, e.g. korus facts search special session kind:deadline since:2017-07-01 actor:korea")
    .argument("[query...]", 'words ("quoted phrases", -excluded) and filters kind: since: until: actor:')
    .option("--limit <n>", "how many results", intOption("--limit"), 10)
    .option("--offset <n>", "skip this many results", intOption("--offset"), 0)
    .action(async (words: string[], options: { limit: number; offset: number }) => {
      let query: ReturnType<typeof parseFactQuery>;
      try {
        query = parseFactQuery(words.join(" "));
      } catch (error) {
        if (error instanceof FactQueryError) throw new CliFailure(error.message, 2);
        throw error;
      }
      const result = await deps.withServices((services) => services.facts.search(query, options));
      printMarkdown(searchResultToMarkdown(query, result));
    });

  facts
    .command("add")
    .description("add one fact")
    .addOption(new Option("--kind <kind>", "what it is").choices([...FACT_KINDS]).makeOptionMandatory())
    .requiredOption("--date <date>", "the day it happened (for a deadline: the day it was set)", deps.isoDate)
    .requiredOption("--title <title>", "one line, at most 150 characters")
    .option("--summary <markdown>", "details, in Markdown", "")
    .requiredOption("--actor <actor>", "US, Korea, both, or a named person or body")
    .option("--source-title <title>", "where it comes from")
    .option("--source-url <url>", "link to the source (http or https)")
    .option("--source <source...>", 'more sources, each "title", "https://url" or "title https://url" (up to three in all)')
    .option("--disputed <reading...>", 'another reading and its source: "June 1, 2018 | Global Trade Alert https://..." (repeatable)')
    .option("--event <key>", "a key shared by facts that report the same event from different sources")
    .option("--known <date>", "the day the team could know it (default: today; a deadline: --date)", deps.isoDate)
    .option("--anyway", "save even when it looks like a fact already stored")
    .option("--due <date>", "for a deadline: the day it falls due", deps.isoDate)
    .option("--after-days <n>", "for a deadline: due N days after --after-fact", intOption("--after-days"))
    .option("--after-fact <id>", "for a deadline: the fact id it counts from", intOption("--after-fact"))
    .option("--value <number>", "for a figure: the number, like 27.7 (needs --unit)", numberOption("--value"))
    .option("--unit <unit>", 'for a figure: the unit of --value, like "USD billion", "%" or "metric tons"')
    .option("--period <period>", 'for a figure: the period it covers: "2016", "2018-Q1", "2018-03" or "2018-01/2018-10" (part year)')
    .option("--series <key>", "for a figure: the series it belongs to, like us-goods-deficit-korea (needs --value and --period)")
    .addOption(new Option("--due-kind <kind>", "for a deadline: obligation (someone must act; the default) or effective (a date that happens by itself, never overdue)").choices([...DUE_KINDS]))
    .addOption(new Option("--milestone <milestone>", "for an event: where the agreement stands from its date (the status's agreement line)").choices([...MILESTONES]))
    .action(async (o: Record<string, string | number | boolean | string[] | undefined>) => {
      const fact = await deps.withServices(async (services) => {
        const sources: unknown[] = [];
        if (o.sourceTitle || o.sourceUrl) sources.push({ ...(o.sourceTitle ? { title: o.sourceTitle } : {}), ...(o.sourceUrl ? { url: o.sourceUrl } : {}) });
        sources.push(...((o.source as string[] | undefined) ?? []));
        if (sources.length === 0) throw new CliFailure('name a source: --source-title TITLE and/or --source-url URL, or --source "title https://url"', 2);
        if (sources.length > FACT_LIMITS.formSources) throw new CliFailure(`at most ${FACT_LIMITS.formSources} sources; a file import (sources: [...]) takes more`, 2);
        const raw: Record<string, unknown> = {
          kind: o.kind,
          title: o.title,
          summary: o.summary,
          actor: o.actor,
          sources,
        };
        for (const key of ["value", "unit", "period", "series", "milestone"] as const) if (o[key] !== undefined) raw[key] = o[key];
        if (o.dueKind !== undefined) raw.due_kind = o.dueKind;
        if (o.event) raw.event = o.event;
        if (o.disputed) {
          raw.disputed = (o.disputed as string[]).map((text) => {
            const [says, source] = text.split("|").map((part) => part.trim());
            if (!says || !source) throw new CliFailure(`--disputed "${text}": write it as "what it says | its source"`, 2);
            return { says, source };
          });
        }
        if (o.kind === "deadline") {
          raw.known = o.date;
          if (o.afterDays !== undefined || o.afterFact !== undefined) {
            if (o.afterDays === undefined || o.afterFact === undefined) throw new CliFailure("give both --after-days and --after-fact", 2);
            const from = await services.facts.get(Number(o.afterFact));
            if (!from) throw new CliFailure(`--after-fact: there is no fact #${o.afterFact}`, 2);
            raw.after = { days: o.afterDays, from: { date: from.date, title: from.title } };
          } else if (o.due) {
            raw.date = o.due;
          } else {
            throw new CliFailure("a deadline needs --due DATE, or --after-days N --after-fact ID", 2);
          }
        } else {
          raw.date = o.date;
          // History without hindsight: what is entered today was known today, unless --known says since when.
          raw.known = o.known ?? deps.today();
        }
        return services.facts.add(raw, cliUser(), { allowDuplicate: o.anyway === true });
      });
      process.stdout.write(`Added fact #${fact.id}: ${fact.date} ${fact.title}\n`);
    });

  // "" for an optional field removes it (--known "", --event "").
  // Commander turns a parser's null into "" (commander/lib/command.js, handleOptionValue), so removal is a marker.
  const REMOVE = Symbol("remove");
  const clearable = (parse: (v: string) => unknown) => (value: string) => (value === "" ? REMOVE : parse(value));
  facts
    .command("edit")
    .description("change the fields given; every other field stays as stored (sources, other readings, event, known...)")
    .argument("<id>", "fact id", intOption("id"))
    .addOption(new Option("--kind <kind>", "what it is").choices([...FACT_KINDS]))
    .option("--date <date>", "the day it happens; for a deadline the day it falls due", deps.isoDate)
    .option("--known <date>", 'the day the team could know it ("" removes it)', clearable(deps.isoDate))
    .option("--title <title>", "one line, at most 150 characters")
    .option("--summary <markdown>", "details, in Markdown")
    .option("--actor <actor>", "US, Korea, both, or a named person or body")
    .option("--source <source...>", 'replaces every source: each "title", "https://url" or "title https://url"')
    .option("--event <key>", 'the key shared by facts reporting one event ("" removes it)', clearable(String))
    .addOption(new Option("--confidence <level>", "confirmed or inferred").choices(["confirmed", "inferred"]))
    .option("--value <number>", 'for a figure: the number ("" removes it)', clearable(numberOption("--value")))
    .option("--unit <unit>", 'for a figure: the unit ("" removes it)', clearable(String))
    .option("--period <period>", 'for a figure: the period ("" removes it)', clearable(String))
    .option("--series <key>", 'for a figure: the series ("" removes it)', clearable(String))
    .addOption(new Option("--due-kind <kind>", "for a deadline: obligation or effective").choices([...DUE_KINDS]))
    .option("--milestone <milestone>", `for an event: ${MILESTONES.join(", ")} ("" removes it)`, clearable(String))
    .option("--closes <key>", 'the event key of the deadline this fact closes, with --outcome ("" removes both)', clearable(String))
    .addOption(new Option("--outcome <outcome>", "how it closes that deadline (korus facts close does both in one step)").choices([...OUTCOMES]))
    .option("--reason <text>", "why the change (kept in the history)")
    .option("--anyway", "save even when the new date or title looks like a fact already stored")
    .action(async (id: number, o: Record<string, unknown>) => {
      const keys = ["kind", "date", "known", "title", "summary", "actor", "event", "confidence", "value", "unit", "period", "series", "milestone", "closes", "outcome"] as const;
      const patch = new Map<string, unknown>(keys.filter((k) => o[k] !== undefined).map((k) => [k, o[k] === REMOVE ? null : o[k]]));
      if (o.dueKind !== undefined) patch.set("due_kind", o.dueKind);
      // Removing what a fact closes removes its outcome too.
      if (o.closes === REMOVE && o.outcome === undefined) patch.set("outcome", null);
      if (o.source) patch.set("sources", o.source);
      if (patch.size === 0) throw new CliFailure('say what to change, e.g. --title "..." (korus facts edit --help lists the fields); nothing was changed', 2);
      const result = await deps.withServices((services) =>
        services.facts.change(
          id,
          (stored) => {
            const line: Record<string, unknown> = { ...stored };
            if (patch.has("sources")) delete line.source;
            for (const [key, value] of patch) {
              if (value === null) delete line[key];
              else line[key] = value;
            }
            return line;
          },
          cliUser(),
          { ...(typeof o.reason === "string" ? { reason: o.reason } : {}), check: { allowDuplicate: o.anyway === true } },
        ),
      );
      if (result.changed.length === 0) {
        process.stdout.write(`Nothing changed in fact #${id}: it already says that. Nothing was saved.\n`);
        return;
      }
      const moved = result.moved.length > 0 ? `; deadlines that count from it moved: ${result.moved.map((m) => `#${m.id} to ${m.date}`).join(", ")}` : "";
      process.stdout.write(`Edited fact #${id}: ${result.fact.date} ${result.fact.title} (changed: ${result.changed.join(", ")})${moved}\n`);
    });

  facts
    .command("close")
    .description("record a deadline's outcome: met, missed, extended or withdrawn, by a stored fact (--by) or a new one (--on)")
    .argument("<id>", "the deadline's fact id", intOption("id"))
    .addOption(new Option("--outcome <outcome>", "how it closed").choices([...OUTCOMES]).makeOptionMandatory())
    .option("--by <fact>", "the stored fact that closes it (the event that met it; for extended, the new deadline)", intOption("--by"))
    .option("--on <date>", "or record a new fact of this day: the day it was met, missed or withdrawn, or the extension agreed", deps.isoDate)
    .option("--to <date>", "with --outcome extended --on: the new due date", deps.isoDate)
    .option("--title <title>", 'the new fact\'s title (default: "Met: <deadline>", "<deadline> (extended to DATE)"...)')
    .option("--summary <markdown>", "the new fact's details, in Markdown")
    .option("--source <source...>", 'with --on: its sources, each "title", "https://url" or "title https://url"')
    .option("--known <date>", "with --on: the day the team could know it (default: --on, or today if that is later)", deps.isoDate)
    .option("--reason <text>", "why (kept in the history)")
    .option("--anyway", "save the new fact even when it looks like one already stored")
    .action(
      async (id: number, o: { outcome: Outcome; by?: number; on?: string; to?: string; title?: string; summary?: string; source?: string[]; known?: string; reason?: string; anyway?: boolean }) => {
        if (o.by !== undefined && (o.on !== undefined || o.source || o.title || o.known || o.to)) {
          throw new CliFailure("--by names a stored fact: give --on, --to, --title, --source or --known only for a new one", 2);
        }
        const result = await deps.withServices((services) =>
          services.facts.close(
            id,
            {
              outcome: o.outcome,
              ...(o.by !== undefined ? { byFactId: o.by } : {}),
              ...(o.on !== undefined ? { on: o.on } : {}),
              ...(o.to !== undefined ? { newDue: o.to } : {}),
              ...(o.title !== undefined ? { title: o.title } : {}),
              ...(o.summary !== undefined ? { summary: o.summary } : {}),
              ...(o.source ? { sources: o.source } : {}),
              ...(o.known !== undefined ? { known: o.known } : {}),
              ...(o.reason !== undefined ? { reason: o.reason } : {}),
              check: { allowDuplicate: o.anyway === true },
            },
            cliUser(),
          ),
        );
        process.stdout.write(`${closedText(result)}\n`);
      },
    );

  facts
    .command("history")
    .description("every change to a fact: who, when, what, why")
    .argument("<id>", "fact id", intOption("id"))
    .action(async (id: number) => {
      const { fact, entries } = await deps.withServices((services) => services.facts.history(id));
      printMarkdown(historyToMarkdown(fact, entries));
    });

  facts
    .command("retract")
    .description("withdraw a fact: it leaves status, search and briefs, and stays in history")
    .argument("<id>", "fact id", intOption("id"))
    .requiredOption("--reason <text>", "why it is withdrawn")
    .action(async (id: number, options: { reason: string }) => {
      // Whoever runs the CLI has the database itself: an admin (src/commands/services-cli.ts).
      const fact = await deps.withServices((services) => services.facts.retract(id, options.reason, cliUser()));
      process.stdout.write(`Retracted fact #${fact.id}: ${fact.title}\n`);
    });
}

/** "Closed deadline #18 “…” (due 2017-08-11): met 2017-08-22, 11 days late, by fact #31 “…”." */
export function closedText(r: CloseResult): string {
  const by = `${r.created ? "by the new fact" : "by fact"} #${r.closer.id} “${r.closer.title}”`;
  const key = r.keyGiven ? ` The deadline was given the event key ${r.keyGiven}, which the closing fact names.` : "";
  const others =
    r.others.length > 0
      ? ` Also closing it: ${r.others.map((o) => `fact #${o.id} (${o.outcome}, known ${o.known})`).join(", ")}; on each day the one known last counts (korus facts edit ID --closes "" removes one).`
      : "";
  return `Closed deadline #${r.deadline.id} “${r.deadline.title}” (due ${r.deadline.date}): ${r.label}, ${by}.${key}${others}`;
}

function importFailure(file: string, errors: Array<{ line: number; field: string; message: string }>): CliFailure {
  const lines = new Set(errors.map((e) => e.line));
  return new CliFailure(
    `${errors.map((e) => `${file}:${e.line}: ${e.field}: ${e.message}`).join("\n")}\nNothing was imported: ${counted(lines.size, "line")} ${lines.size === 1 ? "has" : "have"} errors.`,
  );
}
