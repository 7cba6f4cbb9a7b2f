/**
 * The local console's answer to Slack's forms: `memo new`, `memo write`, `fact add`, `fact retract`, `schedule new` and
 * `memo export` work there too. In an interactive console each field is asked on its own line (the default in
 * brackets, Enter keeps it, a bad answer is explained and asked again, and a refusal from the service asks the field at
 * fault again); when the console reads a script (stdin not a terminal) the same fields are flags on the command line,
 * as in the `korus` CLI, and a missing or bad one is an error naming the flag.
 */
import { readFile } from "node:fs/promises";
import { consoleUsage, parseCommand } from "../commands/parse.js";
import type { ConsoleFormName } from "../commands/registry.js";
import type { CommandServices } from "../commands/services.js";
import { keptOutsideForm, mergeFormEdit, type FactFormValues } from "../facts/edit.js";
import { FactError } from "../facts/service.js";
import { MemoError } from "../memos/read.js";
import { markdownToHtml } from "../render/html.js";
import { escapeMarkdown } from "../render/escape.js";
import { dateInZone, zonedInstant } from "../time-zone.js";
import { runBriefTextCommand } from "./briefs.js";
import { CliFailure, closedText, cliUser } from "./facts.js";
import { DUE_KINDS, type Outcome, OUTCOMES } from "../facts/model.js";
import { writeOutputFile } from "./output-file.js";
import { memoFileName } from "./memos.js";
import type { TextAnswer, TextCommandDeps } from "./text-commands.js";
import { type Ask, dateCheck, type Field, factFieldAtFault, readFlags, runForm, timeCheck } from "./form-fields.js";
import { counted } from "../render/count.js";

/** For the console's other commands (feeds-text.ts): a line split as the forms split it. */
export { type Ask, splitWords } from "./form-fields.js";

/** What the console's forms need. */
export interface ConsoleFormDeps extends TextCommandDeps {
  /** Asks a question; absent when the console reads a script (then fields come as flags). */
  ask?: Ask;
  /** Prints a line while a form is being filled. */
  say?: (text: string) => void;
  banner?: string;
}

/** What every form starts from: where it prints, today, and where its fields come from. */
function formContext(deps: ConsoleFormDeps) {
  const say = deps.say ?? (() => {});
  const today = dateInZone(deps.clock.now(), deps.timeZone);
  const source = (rest: string[]) => ({ ...(deps.ask ? { ask: deps.ask } : {}), say, words: rest });
  return { say, today, source };
}

/**
 * The console's forms, one per registry command that Slack answers with a form or a button (`memo new`, `memo write ID
 * SECTION`, `memo export ID`, `fact add`, `fact edit ID`, `fact close ID`, `fact retract ID`, `schedule new`): each is
 * given the words after the command, quotes kept together. A mapped type over the registry: a command declared with
 * console flags and no form here does not compile.
 */
/** One form per console-form command of the registry. */
export type ConsoleFormHandlers = { [K in ConsoleFormName]: (words: string[], deps: ConsoleFormDeps & { services: CommandServices }) => Promise<TextAnswer> };

export const CONSOLE_FORMS: ConsoleFormHandlers = {
  "memo-new": async (words, deps) => {
    const { today, source } = formContext(deps);
    const templates = deps.templates.list().filter((t) => t.kind === "memo");
    const positional = words[0] && !words[0].startsWith("--") ? words[0] : undefined;
    const fields: Field[] = [
      {
        name: "template",
        label: `Template (${templates.map((t) => t.id).join(", ")})`,
        default: positional ?? templates[0]?.id,
        check: (v) => (templates.some((t) => t.id === v) ? undefined : `There is no memo template "${v}".`),
      },
      { name: "title", label: "Title", check: (v) => (v.length > 150 ? "At most 150 characters." : undefined) },
      { name: "as-of", label: "Memo date (as of)", default: today, check: dateCheck },
      { name: "due", label: "Due date YYYY-MM-DD", optional: true, check: dateCheck },
      { name: "due-time", label: "Due time HH:MM", default: "17:00", check: timeCheck },
    ];
    return runForm(
      fields,
      source(words.slice(positional ? 1 : 0)),
      async (v, lists) => {
        const owners: Record<string, string> = {};
        for (const pair of lists.get("owner") ?? []) {
          const [key, user] = pair.split("=");
          if (!key || !user) return { field: "owner", message: `"${pair}": write it as section=user.` };
          owners[key] = user;
        }
        try {
          const memo = await deps.services.memos.create(
            {
              templateId: v.template!,
              title: v.title!,
              asOf: v["as-of"] && v["as-of"] !== today ? v["as-of"] : null,
              dueAt: v.due ? zonedInstant(v.due, v["due-time"]!, deps.timeZone) : null,
              owners,
            },
            cliUser(),
          );
          return {
            ok: true,
            output: `Created memo #${memo.id}: ${escapeMarkdown(memo.title)}${memo.asOf ? ` as of ${memo.asOf}` : ""}. Sections: ${memo.sections.map((s) => s.key).join(", ")}.\nWrite one with \`memo write ${memo.id} ${memo.sections[0]?.key ?? "SECTION"}\`.\n`,
          };
        } catch (error) {
          if (!(error instanceof MemoError)) throw error;
          const field = error.details.fields?.asOf ? "as-of" : error.details.fields?.template ? "template" : "title";
          return { field, message: error.message };
        }
      },
      consoleUsage("memo-new"),
    );
  },
  "memo-write": async (words, deps) => {
    const { say } = formContext(deps);
    const id = Number(words[0]?.replace(/^#/, ""));
    const key = words[1];
    const usage = consoleUsage("memo-write");
    if (!Number.isSafeInteger(id) || id <= 0 || !key || key.startsWith("--"))
      return { ok: false, usage: true, output: `\`memo write\` needs a memo number and a section key, like \`memo write 1 purpose\`.\nUsage: ${usage}\n` };
    const { flags, error } = readFlags(words.slice(2), ["text", "file", "final"]);
    if (error) return { ok: false, usage: true, output: `${error}\nUsage: ${usage}\n` };
    let memo: Awaited<ReturnType<typeof deps.services.memos.get>>;
    try {
      memo = await deps.services.memos.get(id);
    } catch (e) {
      if (e instanceof MemoError) return { ok: false, output: `${e.message}\n` };
      throw e;
    }
    const section = memo.sections.find((s) => s.key === key);
    if (!section) return { ok: false, output: `Memo #${id} has no section "${key}". Its sections: ${memo.sections.map((s) => s.key).join(", ")}.\n` };
    let text: string;
    if (flags.has("text")) text = flags.get("text")!.join("\n\n").replace(/\\n/g, "\n");
    else if (flags.has("file")) {
      try {
        text = await readFile(flags.get("file")![0]!, "utf8");
      } catch (e) {
        return { ok: false, output: `--file: cannot read ${flags.get("file")![0]}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}\n` };
      }
    } else if (deps.ask) {
      say(`${section.title}: ${section.prompt}`);
      if (section.text) say(`(revision ${section.revision} now has ${counted(section.text.length, "character")}; what you type replaces it)`);
      say("Type the text in Markdown; a line with only a dot ends it.");
      const lines: string[] = [];
      for (;;) {
        const line = await deps.ask("| ");
        if (line === null) return { ok: false, output: "\nThe input ended; nothing was saved.\n" };
        if (line.trim() === ".") break;
        lines.push(line);
      }
      text = lines.join("\n");
    } else return { ok: false, usage: true, output: `Give the text with --text or --file.\nUsage: ${usage}\n` };
    try {
      const saved = await deps.services.memos.write(id, key, { text, baseRevision: section.revision }, cliUser());
      return { ok: true, output: `Saved ${saved.section.title} of memo #${id}: revision ${saved.section.revision}, ${counted(saved.section.text.length, "character")}.\n` };
    } catch (e) {
      if (e instanceof MemoError) return { ok: false, output: `${e.details.fields?.text ?? e.message}\n` };
      throw e;
    }
  },
  "memo-export": async (words, deps) => {
    const id = Number(words[0]?.replace(/^#/, ""));
    const usage = consoleUsage("memo-export");
    if (!Number.isSafeInteger(id) || id <= 0) return { ok: false, usage: true, output: `\`memo export\` needs a memo number, like \`memo export 1 --format docx\`.\nUsage: ${usage}\n` };
    const { flags, error } = readFlags(
      words.slice(1).map((w) => (w === "--force" ? "--force=yes" : w)),
      ["format", "out", "as-of", "force"],
    );
    const force = flags.has("force");
    if (error) return { ok: false, usage: true, output: `${error}\nUsage: ${usage}\n` };
    const format = flags.get("format")?.at(-1) ?? "md";
    if (!["md", "html", "docx"].includes(format)) return { ok: false, usage: true, output: `--format: "${format}" is not one of md, html, docx.\n` };
    const asOf = flags.get("as-of")?.at(-1);
    try {
      const memo = await deps.services.memos.get(id);
      const rendered = await deps.services.memos.render(memo, asOf ? { asOf } : {});
      const out = flags.get("out")?.at(-1);
      if (format === "docx") {
        const { markdownToDocx } = await import("../memos/docx.js");
        const charts = await deps.services.memos.docxCharts(rendered.markdown, { asOf: rendered.date, timeZone: deps.timeZone });
        const bytes = await markdownToDocx(rendered.markdown, { title: memo.title, ...(deps.banner ? { banner: deps.banner } : {}), creator: "korus-bot", charts });
        const file = out ?? memoFileName(id, memo.title, "docx");
        await writeOutputFile(file, bytes, { force });
        return { ok: true, output: `Wrote memo #${id} as of ${rendered.date} as Word to ${file} (${counted(bytes.length, "byte")}).\n` };
      }
      const text = format === "html" ? markdownToHtml(rendered.markdown, { title: memo.title }) : rendered.markdown;
      if (!out) return { ok: true, output: text };
      await writeOutputFile(out, text, { force });
      return { ok: true, output: `Wrote memo #${id} as of ${rendered.date} as ${format} to ${out}.\n` };
    } catch (e) {
      if (e instanceof MemoError || e instanceof CliFailure) return { ok: false, output: `${e.message}\n` };
      throw e;
    }
  },
  "fact-add": async (words, deps) => {
    const { today, source } = formContext(deps);
    const fields: Field[] = [
      {
        name: "kind",
        label: "Kind (event, deadline, figure, position, quote, note)",
        default: "event",
        check: (v) => (["event", "deadline", "figure", "position", "quote", "note"].includes(v) ? undefined : `"${v}" is not a kind: event, deadline, figure, position, quote or note.`),
      },
      { name: "date", label: "Date YYYY-MM-DD (for a deadline, the day it falls due)", default: today, check: dateCheck },
      { name: "title", label: "Title" },
      { name: "summary", label: "Summary (Markdown, one line)", optional: true },
      { name: "actor", label: "Actor (US, Korea, both, or a name)", default: "both" },
      { name: "source-title", label: "Source title" },
      { name: "source-url", label: "Source URL (http or https)", optional: true },
      {
        name: "due-kind",
        label: "For a deadline: obligation (someone must act) or effective (a date that happens by itself)",
        default: "obligation",
        check: (v) => ((DUE_KINDS as readonly string[]).includes(v) ? undefined : `"${v}" is not obligation or effective.`),
        when: (v) => v.kind === "deadline",
      },
    ];
    return runForm(
      fields,
      source(words.slice(0)),
      async (v) => {
        try {
          const fact = await deps.services.facts.add(
            {
              kind: v.kind,
              date: v.date,
              title: v.title,
              ...(v.summary ? { summary: v.summary } : {}),
              actor: v.actor,
              source: { title: v["source-title"], ...(v["source-url"] ? { url: v["source-url"] } : {}) },
              ...(v.kind === "deadline" || v["due-kind"] !== "obligation" ? { due_kind: v["due-kind"] } : {}),
            },
            cliUser(),
          );
          return { ok: true, output: `Added fact #${fact.id}: ${fact.date} ${fact.title}\n` };
        } catch (error) {
          if (!(error instanceof FactError)) throw error;
          return factFieldAtFault(error, fields);
        }
      },
      consoleUsage("fact-add"),
    );
  },
  "fact-edit": async (words, deps) => {
    const { say, source } = formContext(deps);
    const id = Number(words[0]?.replace(/^#/, ""));
    if (!Number.isSafeInteger(id) || id <= 0) return { ok: false, usage: true, output: "`fact edit` needs a fact number, like `fact edit 12`.\n" };
    const fact = await deps.services.facts.get(id);
    if (!fact) return { ok: false, output: `There is no fact #${id}.\n` };
    const fields: Field[] = [
      ...(fact.after ? [] : [{ name: "date", label: "Date YYYY-MM-DD", default: fact.date, check: dateCheck }]),
      { name: "title", label: "Title", default: fact.title },
      { name: "summary", label: "Summary (Markdown, one line)", default: fact.summary || undefined, optional: true },
      { name: "actor", label: "Actor (US, Korea, both, or a name)", default: fact.actor },
      { name: "source-title", label: "Source title", default: fact.sources[0]?.title ?? undefined, optional: Boolean(fact.sources[0]?.url) },
      { name: "source-url", label: "Source URL (http or https)", default: fact.sources[0]?.url ?? undefined, optional: true },
      { name: "reason", label: "Why the change (kept in the history)", optional: true },
    ];
    // What the form cannot show stays as it is stored; say so before asking (the console asks the first source only).
    const kept = keptOutsideForm(fact, { sources: 1, fields: new Set() });
    if (kept.length > 0 && deps.ask) say(`Fact #${id}: the form asks date, title, summary, actor and the first source; kept as stored: ${kept.join("; ")}.`);
    // The form as it opens: what it shows of the fact. Only fields whose answer differs from it are written back.
    const asForm = (v: Record<string, string | undefined>): FactFormValues => ({
      ...(v.date ? { date: v.date } : {}),
      title: v.title ?? "",
      summary: v.summary ?? "",
      actor: v.actor ?? "",
      sources: [v["source-title"] || v["source-url"] ? { ...(v["source-title"] ? { title: v["source-title"] } : {}), ...(v["source-url"] ? { url: v["source-url"] } : {}) } : null],
    });
    const shown = asForm(Object.fromEntries(fields.map((f) => [f.name, f.default])));
    return runForm(
      fields,
      source(words.slice(1)),
      async (v) => {
        try {
          const { fact: edited, moved, changed } = await deps.services.facts.change(id, (stored) => mergeFormEdit(stored, shown, asForm(v)), cliUser(), { ...(v.reason ? { reason: v.reason } : {}) });
          if (changed.length === 0) return { ok: true, output: `Nothing changed in fact #${edited.id}; nothing was saved.\n` };
          return {
            ok: true,
            output: `Edited fact #${edited.id}: ${edited.date} ${edited.title} (changed: ${changed.join(", ")})${moved.length > 0 ? `; ${counted(moved.length, "deadline")} counting from it moved` : ""}\n`,
          };
        } catch (error) {
          if (!(error instanceof FactError)) throw error;
          if (error.code !== "invalid") return { ok: false, output: `${error.message}\n` };
          return factFieldAtFault(error, fields);
        }
      },
      consoleUsage("fact-edit"),
    );
  },
  "fact-close": async (words, deps) => {
    const { say, source } = formContext(deps);
    const id = Number(words[0]?.replace(/^#/, ""));
    const usage = consoleUsage("fact-close");
    if (!Number.isSafeInteger(id) || id <= 0)
      return { ok: false, usage: true, output: `\`fact close\` needs a deadline's fact number, like \`fact close 14 --outcome met --by 31\`.\nUsage: ${usage}\n` };
    const deadline = await deps.services.facts.get(id);
    if (!deadline) return { ok: false, output: `There is no fact #${id}.\n` };
    if (deadline.kind !== "deadline") return { ok: false, output: `Fact #${id} is not a deadline: only a deadline has an outcome.\n` };
    const idCheck = (v: string) => (/^#?\d{1,9}$/.test(v) ? undefined : `"${v}" is not a fact number, like 31.`);
    const fields: Field[] = [
      {
        name: "outcome",
        label: "Outcome (met, missed, extended, withdrawn)",
        default: "met",
        check: (v) => ((OUTCOMES as readonly string[]).includes(v) ? undefined : `"${v}" is not one of ${OUTCOMES.join(", ")}.`),
      },
      { name: "by", label: "Closed by fact # on record (Enter: record a new fact instead)", optional: true, check: idCheck },
      { name: "on", label: "New fact: the day it happened YYYY-MM-DD", optional: true, check: dateCheck },
      { name: "to", label: "New fact, if extended: the new due date YYYY-MM-DD", optional: true, check: dateCheck },
      { name: "title", label: "New fact: title (Enter: from the deadline's)", optional: true },
      { name: "source-title", label: "New fact: source title", optional: true },
      { name: "source-url", label: "New fact: source URL (http or https)", optional: true },
      { name: "reason", label: "Why (kept in the history)", optional: true },
    ];
    if (deps.ask) say(`Deadline #${id}: ${deadline.title}, due ${deadline.date}. Name the fact on record that closes it, or record a new one (its day and source).`);
    return runForm(
      fields,
      source(words.slice(1)),
      async (v) => {
        const by = v.by ? Number(v.by.replace(/^#/, "")) : undefined;
        const newFact = Boolean(v.on || v.to || v.title || v["source-title"] || v["source-url"]);
        if (by !== undefined && newFact) return { field: "by", message: "Name a fact on record, or give a new one's day and source: not both." };
        const source = v["source-title"] || v["source-url"] ? [{ ...(v["source-title"] ? { title: v["source-title"] } : {}), ...(v["source-url"] ? { url: v["source-url"] } : {}) }] : undefined;
        try {
          const result = await deps.services.facts.close(
            id,
            {
              outcome: v.outcome as Outcome,
              ...(by !== undefined ? { byFactId: by } : {}),
              ...(v.on ? { on: v.on } : {}),
              ...(v.to ? { newDue: v.to } : {}),
              ...(v.title ? { title: v.title } : {}),
              ...(source ? { sources: source } : {}),
              ...(v.reason ? { reason: v.reason } : {}),
            },
            cliUser(),
          );
          return { ok: true, output: `${closedText(result)}\n` };
        } catch (error) {
          if (!(error instanceof FactError)) throw error;
          if (error.code !== "invalid") return { ok: false, output: `${error.message}\n` };
          const [key, message] = Object.entries(error.fields)[0] ?? ["by", error.message];
          const field = key.startsWith("source") ? "source-title" : key === "date" ? (v.outcome === "extended" ? "to" : "on") : key === "known" ? "on" : key;
          return { field: fields.some((f) => f.name === field) ? field : "by", message: `${key}: ${message}` };
        }
      },
      usage,
    );
  },
  "fact-retract": async (words, deps) => {
    const { source } = formContext(deps);
    const id = Number(words[0]?.replace(/^#/, ""));
    if (!Number.isSafeInteger(id) || id <= 0) return { ok: false, usage: true, output: "`fact retract` needs a fact number, like `fact retract 12`.\n" };
    return runForm(
      [{ name: "reason", label: "Why retract it" }],
      source(words.slice(1)),
      async (v) => {
        try {
          const fact = await deps.services.facts.retract(id, v.reason!, cliUser());
          return { ok: true, output: `Retracted fact #${fact.id}: ${fact.title}\n` };
        } catch (error) {
          if (error instanceof FactError) return { ok: false, output: `${error.message}\n` };
          throw error;
        }
      },
      consoleUsage("fact-retract"),
    );
  },
  "schedule-new": async (words, deps) => {
    const { source } = formContext(deps);
    const fields: Field[] = [
      { name: "weekday", label: "Weekday", default: "monday" },
      { name: "time", label: "Time HH:MM", default: "09:00", check: timeCheck },
      { name: "time-zone", label: "Time zone (IANA)", default: deps.timeZone },
      { name: "channel", label: "Channel id (like C0123ABCD)" },
      {
        name: "holidays",
        label: "Skip public holidays (none, us, kr, both)",
        default: "none",
        check: (v) => (["none", "us", "kr", "both"].includes(v) ? undefined : `"${v}" is not one of none, us, kr, both.`),
      },
    ];
    return runForm(
      fields,
      source(words.slice(0)),
      async (v) => {
        const line = `schedule weekly ${v.weekday} ${v.time} ${v["time-zone"]} ${v.channel}${v.holidays && v.holidays !== "none" ? ` holidays:${v.holidays}` : ""}`;
        const parsed = parseCommand(line);
        if (parsed.name === "invalid") {
          const lower = parsed.message.toLowerCase();
          const field = lower.includes("weekday") ? "weekday" : lower.includes("time zone") ? "time-zone" : lower.includes("channel") ? "channel" : lower.includes("holiday") ? "holidays" : "time";
          return { field, message: parsed.message };
        }
        if (parsed.name !== "schedule-create") return { field: "weekday", message: "That is not a weekly schedule." };
        return runBriefTextCommand(parsed, deps);
      },
      consoleUsage("schedule-new"),
    );
  },
};
