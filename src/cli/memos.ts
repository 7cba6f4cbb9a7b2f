import { readFile } from "node:fs/promises";
import { type Command, InvalidArgumentError, Option } from "commander";
import { memoListMarkdown, memoMarkdown, sectionHistoryMarkdown } from "../memos/markdown.js";
import { memoDiffMarkdown } from "../memos/diff.js";
import { checkTemplates, formatTemplateProblems } from "../memos/templates-check.js";
import { markdownToHtml } from "../render/html.js";
import { zonedInstant } from "../time-zone.js";
import type { TemplateStore } from "../memos/templates/store.js";
import { openTemplateStore } from "../template-store.js";
import { CliFailure, cliUser, readStdin } from "./facts.js";
import { checkOutputFile, writeOutputFile } from "./output-file.js";
import type { CommandDeps } from "./command-deps.js";
import { escapeMarkdown } from "../render/escape.js";
import { printMarkdown } from "./screen.js";
import { counted } from "../render/count.js";

/** `--as-of`: a YYYY-MM-DD day (the memo service checks it is not after today). */
function asOfDay(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) throw new InvalidArgumentError("must be a date YYYY-MM-DD, like 2017-07-20.");
  return value.trim();
}

function assemblyNumber(value: string): number {
  if (!/^\d{1,6}$/.test(value)) throw new InvalidArgumentError("must be an assembly number, like 2 (korus memo diff ID lists them when wrong).");
  return Number(value);
}

/** A file name for a memo: memo-3-special-session-prep.docx */
export function memoFileName(id: number, title: string, extension: string): string {
  const slug =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-|-$/g, "")
      .slice(0, 60) || "memo";
  return `memo-${id}-${slug}.${extension}`;
}

function memoId(value: string): number {
  const n = value.replace(/^#/, "");
  if (!/^\d{1,9}$/.test(n)) throw new InvalidArgumentError("must be a memo number, like 3.");
  return Number(n);
}

/** Registers `korus memo ...` and `korus templates check`. */
export function registerMemoCommands(
  program: Command,
  deps: Pick<CommandDeps, "withServices" | "clock" | "timeZone"> & {
    banner?: string;
    /** The templates, loaded and checked by the first command that needs them. */
    templates: () => Promise<TemplateStore>;
  },
): void {
  const line = (text: string) => (text.endsWith("\n") ? text : `${text}\n`);
  /** A plain line (a file's name, a count). */
  const out = (text: string) => process.stdout.write(line(text));
  /** Markdown: read as text at a terminal (src/cli/screen.ts). */
  const md = (text: string) => printMarkdown(line(text));

  const memo = program.command("memo").description("briefing memos: new, write, assemble, export, diff, history, list, show");

  memo
    .command("new")
    .description("create a memo from a template (owners are assigned in Slack, or left open)")
    .requiredOption("--template <id>", "template id, e.g. special-session-prep (see korus templates check)")
    .requiredOption("--title <title>", "the memo's title")
    .option("--due <date>", "due date YYYY-MM-DD (17:00 in KORUS_TZ unless --due-time)")
    .option("--due-time <HH:MM>", "due time in KORUS_TZ", "17:00")
    .option("--owner <key=user>", "a section owner, e.g. purpose=U012ABC (repeatable)", (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option("--as-of <date>", "write the memo as of this day YYYY-MM-DD: its date and the facts it shows (default: the day it is assembled)", asOfDay)
    .action(async (o: { template: string; title: string; due?: string; dueTime: string; owner: string[]; asOf?: string }) => {
      if (o.due && !/^\d{4}-\d{2}-\d{2}$/.test(o.due)) throw new CliFailure("--due must be a date YYYY-MM-DD", 2);
      if (!/^\d{2}:\d{2}$/.test(o.dueTime)) throw new CliFailure("--due-time must be HH:MM", 2);
      const owners: Record<string, string> = {};
      for (const pair of o.owner) {
        const [key, user] = pair.split("=");
        if (!key || !user) throw new CliFailure(`--owner ${pair}: write it as section=user`, 2);
        owners[key] = user;
      }
      const created = await deps.withServices((services) =>
        services.memos.create({ templateId: o.template, title: o.title, dueAt: o.due ? zonedInstant(o.due, o.dueTime, deps.timeZone) : null, owners, asOf: o.asOf ?? null }, cliUser()),
      );
      md(
        `Created memo #${created.id}: ${escapeMarkdown(created.title)} (${escapeMarkdown(created.templateTitle)})${created.asOf ? ` as of ${created.asOf}` : ""}; sections: ${created.sections.map((s) => s.key).join(", ")}.`,
      );
    });

  memo
    .command("write")
    .description("save a section's text from a file (a new revision)")
    .argument("<id>", "memo number", memoId)
    .argument("<section>", "section key, e.g. purpose")
    .requiredOption("--file <path>", "Markdown file with the section's text; - reads standard input")
    .option("--base-revision <n>", "fail if someone saved since this revision (default: the revision there now, read before writing)", (v) => Number(v))
    .option("--final", "also mark the section final")
    .action(async (id: number, key: string, o: { file: string; baseRevision?: number; final?: boolean }) => {
      let text: string;
      try {
        text = o.file === "-" ? await readStdin() : await readFile(o.file, "utf8");
      } catch (error) {
        throw new CliFailure(`cannot read ${o.file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      }
      const saved = await deps.withServices(async ({ memos }) => {
        // The service needs the revision the text starts from; without --base-revision the terminal user chose to
        // write over the revision there now, which is read here so the write still refuses a save that lands between.
        const baseRevision = o.baseRevision ?? (await memos.get(id)).sections.find((s) => s.key === key)?.revision ?? 0;
        const result = await memos.write(id, key, { text, baseRevision }, cliUser());
        if (o.final) await memos.markFinal(id, key, cliUser());
        return result;
      });
      out(
        `Saved ${saved.section.title} of memo #${id}: revision ${saved.section.revision}, ${counted(saved.section.text.length, "character")}.${saved.unlocked ? " The memo was approved: approvals are reset." : ""}`,
      );
    });

  memo
    .command("assemble")
    .description("assemble the memo into Markdown (marks it assembled) and print it")
    .argument("<id>", "memo number", memoId)
    .option("--force", "assemble even with required sections missing")
    .option("--as-of <date>", "assemble as of this day YYYY-MM-DD (kept for later assemblies; default: the memo's day, else today)", asOfDay)
    .option("-o, --output <file>", "write the Markdown to this file")
    .option("--overwrite", "replace the --output file if it exists (a symbolic link is replaced, never followed)")
    .action(async (id: number, o: { force?: boolean; output?: string; asOf?: string; overwrite?: boolean }) => {
      // Checked before assembling: an assembly is recorded, so a file that cannot be written must not cost one.
      if (o.output) await checkOutputFile(o.output, { force: o.overwrite, forceFlag: "--overwrite" });
      const { assembled, assembly } = await deps.withServices((services) => services.memos.assemble(id, cliUser(), { force: o.force, ...(o.asOf ? { asOf: o.asOf } : {}) }));
      const changes = assembly.previous ? ` Changes since assembly ${assembly.previous}: korus memo diff ${id}.` : "";
      if (o.output) {
        await writeOutputFile(o.output, assembled.markdown, { force: o.overwrite, forceFlag: "--overwrite" });
        out(`Wrote memo #${id} to ${o.output} (assembly ${assembly.number}, as of ${assembled.date}, ${counted(assembled.markdown.length, "character")}).${changes}`);
      } else {
        md(assembled.markdown);
      }
      if (assembled.missingRequired.length > 0) process.stderr.write(`korus: assembled without ${assembled.missingRequired.join(", ")}\n`);
      if (!o.output) process.stderr.write(`korus: memo #${id} assembly ${assembly.number}, as of ${assembled.date}.${changes}\n`);
    });

  memo
    .command("export")
    .description("render the memo as it stands, as Markdown, sanitized HTML or a Word document (changes nothing)")
    .argument("<id>", "memo number", memoId)
    .addOption(new Option("--format <format>", "md, html or docx").choices(["md", "html", "docx"]).default("md"))
    .option("--as-of <date>", "render as of this day YYYY-MM-DD (default: the memo's day, else today)", asOfDay)
    .option("-o, --output <file>", "write to this file (docx: default memo-ID-title.docx in this folder)")
    .option("--out <file>", "the same as --output")
    .option("--force", "replace the file if it exists (a symbolic link is replaced, never followed)")
    .action(async (id: number, o: { format: "md" | "html" | "docx"; output?: string; out?: string; asOf?: string; force?: boolean }) => {
      const named = o.output ?? o.out;
      if (named && named !== "-") await checkOutputFile(named, { force: o.force });
      const { markdown, title, date, series, charts } = await deps.withServices(async ({ memos }) => {
        const m = await memos.get(id);
        if (o.asOf) await memos.checkAsOf(o.asOf);
        const rendered = await memos.render(m, o.asOf ? { asOf: o.asOf } : {});
        // Charts ({{chart "key"}}) are drawn in HTML (SVG) and Word (PNG): read the series when the memo names one.
        // As the memo's day knew them, like the rest of the memo.
        const asOfDay = { asOf: rendered.date, timeZone: deps.timeZone };
        const series = o.format === "html" && rendered.markdown.includes("Chart: **") ? await memos.series(asOfDay) : [];
        const charts = o.format === "docx" ? await memos.docxCharts(rendered.markdown, asOfDay) : undefined;
        return { markdown: rendered.markdown, title: m.title, date: rendered.date, series, charts };
      });
      const file = named === "-" ? undefined : named;
      if (o.format === "docx") {
        const { markdownToDocx } = await import("../memos/docx.js");
        const bytes = await markdownToDocx(markdown, { title, ...(deps.banner ? { banner: deps.banner } : {}), creator: "korus-bot", ...(charts ? { charts } : {}) });
        const target = named ?? memoFileName(id, title, "docx");
        if (target === "-") {
          process.stdout.write(bytes);
          return;
        }
        await writeOutputFile(target, bytes, { force: o.force });
        out(`Wrote memo #${id} as of ${date} as Word to ${target} (${counted(bytes.length, "byte")}).`);
        return;
      }
      const text = o.format === "html" ? await (await import("../figures/memo-chart.js")).inlineCharts(markdownToHtml(markdown, { title }), series) : markdown;
      if (file) {
        await writeOutputFile(file, text, { force: o.force });
        out(`Wrote memo #${id} as of ${date} as ${o.format} to ${file}.`);
      } else if (o.format === "md") {
        md(text);
      } else {
        out(text);
      }
    });

  memo
    .command("diff")
    .description("what changed between two assemblies of a memo (default: the last two)")
    .argument("<id>", "memo number", memoId)
    .argument("[from]", "the older assembly's number (default: the one before [to])", assemblyNumber)
    .argument("[to]", "the newer assembly's number (default: the latest)", assemblyNumber)
    .action(async (id: number, from: number | undefined, to: number | undefined) => {
      const diff = await deps.withServices((services) => services.memos.diff(id, from, to));
      md(memoDiffMarkdown(diff));
    });

  memo
    .command("history")
    .description("every revision of a section: who wrote what when")
    .argument("<id>", "memo number", memoId)
    .argument("<section>", "section key")
    .option("--full", "print each revision's text")
    .action(async (id: number, key: string, o: { full?: boolean }) => {
      const { section, revisions } = await deps.withServices((services) => services.memos.sectionHistory(id, key));
      md(sectionHistoryMarkdown(id, section, revisions, { full: o.full === true }));
    });

  memo
    .command("list")
    .description("memos in progress (and assembled ones with --all)")
    .option("--all", "include assembled and cancelled memos")
    .action(async (o: { all?: boolean }) => {
      const memos = await deps.withServices((services) => services.memos.list({ states: o.all ? ["open", "assembled", "cancelled"] : ["open", "assembled"] }));
      md(memoListMarkdown(memos, deps.timeZone));
    });

  memo
    .command("show")
    .description("one memo's sections, owners and sign-off")
    .argument("<id>", "memo number", memoId)
    .action(async (id: number) => {
      const [memo, names] = await deps.withServices(async ({ memos }) => {
        const shown = await memos.get(id);
        return [shown, await memos.names(shown)] as const;
      });
      md(memoMarkdown(memo, deps.timeZone, names));
    });

  program
    .command("templates")
    .description("memo and brief templates")
    .command("check")
    .description("load every template as the bot does and report problems with file and line")
    .option("--dir <dir>", "check another folder of templates")
    .action(async (o: { dir?: string }) => {
      const result = await checkTemplates(o.dir ? await openTemplateStore(o.dir) : await deps.templates());
      out(formatTemplateProblems(result));
      if (result.errors.length > 0) process.exitCode = 1;
    });
}
