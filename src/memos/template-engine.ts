/**
 * Memo and brief templates: loading, validation, compilation, and the helpers a template body uses.
 *
 * A template is a Markdown file under templates/ with YAML front matter (see {@link templateFrontMatterSchema}):
 * `id` (the file name without .md), `title`, `description`, `kind` (memo | brief, default memo) and `sections`
 * (`key`, `title`, `prompt`, `required` default true, `maxLength` default and at most 3000). The body is a Handlebars
 * template compiled on an isolated `Handlebars.create()` instance with `noEscape` (the output is Markdown, not HTML)
 * and `strict` (an unknown variable is an error, not an empty string).
 *
 * Context variables
 *   title, date (the memo date, which is the as-of date; also as `asOf`), authors (list of names).
 *   Briefs (kind: brief) also get headline, changes (list of {change: new|edited|retracted, fact}) and
 *   memos (list of {title, state, due}); see {@link BriefContext}. Missing lists are empty, so
 *   `{{#each changes}}…{{else}}None.{{/each}}` prints "None.".
 *
 * Sections
 *   {{section "purpose"}}           the section's text (Markdown; top-level headings demoted two levels, fences
 *                                   closed, raw HTML blocks shown as code, link definitions escaped: see
 *                                   sectionMarkdown), or `_(missing: Purpose)_` when it is not written.
 *   {{sectionTitle "purpose"}}      the section's title from the front matter.
 *   {{#if (hasSection "purpose")}}  true when the section is written (drafted or final, not blank).
 *   A key that the front matter does not declare is a load-time error.
 *
 * Fact lists: subexpressions for {{#each}}, e.g. `{{#each (deadlines limit=3)}}…{{else}}None.{{/each}}`
 *   (deadlines)      upcoming deadlines (date >= as-of), soonest first.
 *   (overdue)        deadlines that fell due within `within` days (default 30) before the as-of date, latest first.
 *                    Deadline items also have daysLeft (negative when overdue), daysLeftText ("22 days left") and
 *                    basis ("30 days after “…” (2017-07-12)" for a relative deadline, else null).
 *   (developments)   events, notes and figures, newest first; default window: the 90 days up to the as-of date.
 *   (positions)      positions, newest first.         (figures)  figures, newest first.
 *   (quotes)         quotes, newest first.            (facts kind="event")  any kind (or all), newest first;
 *                                                     its deadline items have the deadline fields too.
 *   Hash options: since / until (YYYY-MM-DD, inclusive; not for deadlines), within (days; deadlines and overdue),
 *   actor ("US", "Korea", "both" or a name; "U.S." and "ROK" are normalized), matching (case-insensitive text in the
 *   title or summary), kind (facts only), limit (default 20; 0 means no limit).
 *   Each item is a {@link FactView}: id, kind, date, day ("2017-07-12 (Wed)"), title (one line, escaped: safe to
 *   place anywhere), summary (Markdown as stored, Slack mentions defused: use {{inline summary}} in a list), actor, who ("United States"),
 *   inferred (confidence is "inferred"). Lists are cut from indexes sorted once per memo (see FactIndex).
 *   Note that `{{title}}` inside {{#each}} is the fact's title; the memo's is `{{@root.title}}`.
 *
 * Citing and formatting
 *   {{cite this}}       " [n]": the number of the fact's source in the memo's numbered source list; records the
 *                       fact as used (it then appears in the memo's timeline). Empty for a fact without a source or
 *                       one not visible on the as-of date (e.g. a retracted fact in a brief's changes).
 *   {{dayLabel date}}   "2017-07-12 (Wed)" for any date, e.g. {{dayLabel date}} for the memo date (a fact item
 *                       has it already as {{day}}).
 *   {{actorName actor}} "United States" for "US", "Both sides" for "both".
 *   {{inline text}}     Markdown text (a summary) as one line of inline Markdown that cannot start a heading, list
 *                       or quote; its emphasis and links stay, Slack mentions are defused.
 *   {{eq a b}}          true when a === b, for {{#if (eq change "retracted")}}.
 *   Built-ins: if, unless, each, with, lookup (`log` is removed). Partials and decorators are not supported.
 *   `{{#with (overdue)}}…{{#each this}}…{{/each}}{{/with}}` shows a block only when the list is not empty.
 *
 * Load-time checks (parseTemplate, loadTemplates, `korus templates check`): the front matter against the schema, the
 * id against the file name, Handlebars syntax, then an AST walk (unknown helpers, wrong arity or hash options,
 * undeclared section keys, partials), then one render against a sample context with a fact of every kind (unknown
 * variables inside the lists). Every problem names the file and the line in the file.
 */
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Handlebars from "handlebars";
import { Marked, type Token, type Tokens, type TokensList } from "marked";
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node as YamlNode, parseDocument } from "yaml";
import { z } from "zod";
import { addDays, daysBetween, describeDaysLeft, isIsoDate, type IsoDate } from "../facts/dates.js";
import { FACT_KINDS, type Fact, type FactKind, type FactSource, knownFrom, normalizeActor, sourceKey } from "../facts/model.js";
import { defuseMarkdown, escapeMarkdown } from "../render/escape.js";
import { deadlineBasis, dayLabel } from "../status/markdown.js";
import { actorLabel, OVERDUE_WINDOW_DAYS } from "../status/status.js";
import { packagePath } from "../paths.js";

/** The shipped templates, resolved from this module, never from the working directory. */
export const TEMPLATES_DIR = packagePath("templates/");

/** Longest section text: a Slack plain_text_input accepts at most 3000 characters (its max_length limit). */
export const MAX_SECTION_LENGTH = 3000;
/** How many items a fact list helper returns unless the template passes `limit`. */
export const DEFAULT_LIST_LIMIT = 20;
/** The default window of `(developments)`: this many days up to the as-of date. */
export const DEVELOPMENTS_WINDOW_DAYS = 90;

const kebabCase = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const sectionKeyPattern = /^[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*$/;

const sectionSchema = z.strictObject({
  key: z.string().regex(sectionKeyPattern, "must be snake_case or kebab-case (e.g. us_position)"),
  title: z.string().trim().min(1, "must not be empty").max(150, "must be at most 150 characters"),
  // Shown as the modal input's hint, which Slack caps at 2000 characters.
  prompt: z.string().trim().min(1, "must not be empty").max(2000, "must be at most 2000 characters"),
  required: z.boolean().default(true),
  maxLength: z
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(MAX_SECTION_LENGTH, `must be at most ${MAX_SECTION_LENGTH} (a Slack text input holds no more)`)
    .default(MAX_SECTION_LENGTH),
});

/** The YAML front matter of a template file. */
export const templateFrontMatterSchema = z
  .strictObject({
    id: z.string().regex(kebabCase, "must be kebab-case (e.g. special-session-prep)"),
    // The template picker shows the title as a select option, whose text Slack caps at 75 characters.
    title: z.string().trim().min(1, "must not be empty").max(75, "must be at most 75 characters"),
    description: z.string().trim().min(1, "must not be empty").max(500, "must be at most 500 characters"),
    kind: z.enum(["memo", "brief"], { error: "must be memo or brief" }).default("memo"),
    sections: z.array(sectionSchema).default([]),
  })
  .superRefine((fm, ctx) => {
    const seen = new Set<string>();
    fm.sections.forEach((s, i) => {
      if (seen.has(s.key)) ctx.addIssue({ code: "custom", path: ["sections", i, "key"], message: `duplicates the key "${s.key}"` });
      seen.add(s.key);
    });
    if (fm.kind === "memo" && fm.sections.length === 0) {
      ctx.addIssue({ code: "custom", path: ["sections"], message: "a memo template needs at least one section" });
    }
  });

/** One section a template asks for. */
export type TemplateSection = z.infer<typeof sectionSchema>;

/** A loaded, validated template. */
export interface MemoTemplate {
  id: string;
  title: string;
  description: string;
  kind: "memo" | "brief";
  sections: TemplateSection[];
  /** The Handlebars body (the file after the front matter). */
  body: string;
  /** The file the template came from, for messages. */
  file: string;
  /** Lines before the body (the front matter and its fences): body line n is file line n + bodyLineOffset. */
  bodyLineOffset: number;
}

/** One problem with one template file; `line` is the line in the file when known. */
export interface TemplateProblem {
  file: string;
  line?: number;
  message: string;
}

/** What went wrong with templates: `template_invalid` (at load), `template_not_found`, `template_render_failed`. */
export type TemplateErrorCode = "template_invalid" | "template_not_found" | "template_render_failed";

/** A template that cannot be loaded or rendered; `problems` name the file and line. */
export class TemplateError extends Error {
  constructor(
    readonly code: TemplateErrorCode,
    readonly problems: TemplateProblem[],
  ) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "TemplateError";
  }
}

/** "templates/x.md:12: message". */
export function formatProblem(problem: TemplateProblem): string {
  return `${problem.file}${problem.line !== undefined ? `:${problem.line}` : ""}: ${problem.message}`;
}

/** A section as written by its owner. */
export interface SectionInput {
  text: string;
  author?: string;
  state: "waiting" | "drafted" | "final";
}

/** True when a section has text the memo can show (drafted or final, not blank). */
export function isWritten(section: SectionInput | undefined): section is SectionInput {
  return section !== undefined && section.state !== "waiting" && section.text.trim() !== "";
}

/** One change to the fact store since the last brief. */
export interface BriefChange {
  change: "new" | "edited" | "retracted";
  fact: Fact;
}

/** One memo the brief lists as open. */
export interface BriefMemo {
  title: string;
  /** The memo's state in the team's words, e.g. "collecting sections". */
  state: string;
  due: IsoDate | null;
}

/** The variables a brief template (kind: brief) uses besides the fact helpers; the brief service fills them. */
export type BriefContext = {
  /** One line on top of the brief; empty for none. */
  headline?: string;
  changes?: BriefChange[];
  memos?: BriefMemo[];
}

/** A fact as a template sees it. */
export interface FactView {
  id: number;
  kind: FactKind;
  date: IsoDate;
  /** "2017-07-12 (Wed)". */
  day: string;
  /** The title on one line, escaped (src/render/escape.ts): safe to place anywhere in a line of Markdown. */
  title: string;
  /** Markdown, as stored but with Slack mentions defused: use {{inline summary}} inside a list item. */
  summary: string;
  actor: string;
  /** "United States" for "US". */
  who: string;
  inferred: boolean;
}

/** A deadline as a template sees it. */
export interface DeadlineView extends FactView {
  /** Days from the as-of date to the deadline; negative when overdue. */
  daysLeft: number;
  /** "22 days left", "due today", "overdue by 4 days". */
  daysLeftText: string;
  /** For a relative deadline: "30 days after “…” (2017-07-12)"; else null. */
  basis: string | null;
}

// ---------------------------------------------------------------------------------------------------------------
// Markdown safety

const markdown = new Marked({ gfm: true });

/**
 * Markdown a person wrote (a fact summary) as one line of inline Markdown: whitespace runs (newlines included) become
 * one space, a start that Markdown would read as a block (heading, quote, list item, fence, HTML, link reference
 * definition) is escaped, and Slack mentions are defused ({@link defuseMarkdown}); emphasis and links stay. Plain
 * text (titles, names) goes through {@link escapeMarkdown} instead, which shows every character as typed.
 */
export function inlineMarkdown(text: string): string {
  const line = defuseMarkdown(text.replace(/\s+/g, " ").trim());
  const ordered = /^(\d{1,9})([.)])(\s|$)/.exec(line);
  if (ordered) return `${ordered[1]}\\${line.slice(ordered[1]!.length)}`;
  if (/^(#{1,6}(\s|$)|>|[-+*](\s|$)|[=-]+$|`{3}|~{3}|<|\[[^\]]*\]:|\|)/.test(line)) return `\\${line}`;
  return line;
}

/** A fenced code block that no line of `text` can close early. */
function fence(text: string, lang = ""): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const marks = "`".repeat(Math.max(3, longest + 1));
  const body = text.replace(/\n+$/, "");
  return `${marks}${lang.replace(/[`\s]/g, "")}\n${body}${body ? "\n" : ""}${marks}`;
}

function trailingNewlines(raw: string): string {
  return /\n*$/.exec(raw)?.[0] ?? "";
}

// A link reference definition anywhere in the document is global in Markdown: `[1]: https://…` in one section would
// turn every " [1]" citation of the memo into a link. Escaping the bracket makes the line plain text.
const DEFINITION_START = /^((?: {0,3}>)*[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)*)\[(?=[^\]\n]*\]:)/gm;
const ANY_LINE_BRACKET = /^((?: {0,3}>)*[ \t]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)*)\[/gm;

function rewriteTokens(tokens: TokensList, firstPass: boolean): string {
  const hasDefinitions = Object.keys(tokens.links).length > 0;
  let out = "";
  for (const token of tokens) out += rewriteToken(token, firstPass, hasDefinitions);
  return out;
}

function rewriteToken(token: Token, firstPass: boolean, hasDefinitions: boolean): string {
  switch (token.type) {
    case "heading": {
      const heading = token as Tokens.Heading;
      // The first pass demotes every heading two levels, below the template's own `##`; later passes only fix
      // headings that a first-pass rewrite exposed.
      const depth = firstPass || heading.depth < 3 ? Math.min(6, heading.depth + 2) : heading.depth;
      return `${"#".repeat(depth)} ${heading.text.replace(/\s*\n\s*/g, " ")}${trailingNewlines(heading.raw)}`;
    }
    case "code": {
      const code = token as Tokens.Code;
      if (code.codeBlockStyle === "indented") return code.raw;
      // Re-fenced so an unclosed fence cannot swallow the rest of the memo.
      return `${fence(code.text, code.lang ?? "")}${trailingNewlines(code.raw) || "\n"}`;
    }
    case "html": {
      // A raw HTML block such as `<!--` or `<script>` runs until its terminator, past the end of the section: shown as
      // code instead.
      const html = token as Tokens.HTML;
      return `${fence(html.raw, "html")}\n${trailingNewlines(html.raw) || "\n"}`;
    }
    case "def":
      return token.raw.replace(/\[/, "\\[");
    default:
      return hasDefinitions ? token.raw.replace(DEFINITION_START, "$1\\[") : token.raw;
  }
}

function isSafe(tokens: TokensList): boolean {
  if (Object.keys(tokens.links).length > 0) return false;
  return tokens.every(
    (t) => t.type !== "html" && t.type !== "def" && !(t.type === "heading" && (t as Tokens.Heading).depth < 3),
  );
}

/**
 * A section's Markdown made safe to place inside a memo: top-level headings demoted two levels (`#` becomes `###`,
 * setext ones too), fenced code closed, raw HTML blocks (which can run past the section, like `<!--`) shown as code,
 * link reference definitions (global in Markdown, so they could hijack the memo's ` [n]` citations) escaped. Headings
 * nested in a list or quote stay as written: they cannot leave their container. The result is re-read until it is
 * safe; text that still is not becomes one code block.
 */
export function sectionMarkdown(text: string): string {
  let out = text.replace(/\r\n?/g, "\n");
  let tokens = markdown.lexer(out);
  for (let pass = 0; pass < 4; pass++) {
    if (pass > 0 && isSafe(tokens)) return defuseMarkdown(trimBlankLines(out));
    out = rewriteTokens(tokens, pass === 0);
    if (pass === 2) out = out.replace(ANY_LINE_BRACKET, "$1\\[");
    tokens = markdown.lexer(out);
  }
  return defuseMarkdown(isSafe(tokens) ? trimBlankLines(out) : fence(text.replace(/\r\n?/g, "\n").trim()));
}

/** Drops blank lines at both ends, keeping the first line's indentation (an indented code block needs it). */
function trimBlankLines(text: string): string {
  return text.replace(/^(?:[ \t]*\n)+/, "").trimEnd();
}

// ---------------------------------------------------------------------------------------------------------------
// Facts: the index a render queries, and the citations it records

// On one day an event outranks a position, a position a note, and so on (as in the status), so a list cut by its
// limit keeps the day's headline.
const KIND_RANK: Record<FactKind, number> = { event: 0, position: 1, note: 2, figure: 3, quote: 4, deadline: 5 };

/** Newest first; on the same day by kind (events first), then the latest added first. */
export function newestFirst(a: Fact, b: Fact): number {
  if (a.date !== b.date) return a.date < b.date ? 1 : -1;
  return KIND_RANK[a.kind] - KIND_RANK[b.kind] || b.id - a.id;
}

/** Oldest first; on the same day by kind (events first), then in the order added. */
export function oldestFirst(a: Fact, b: Fact): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return KIND_RANK[a.kind] - KIND_RANK[b.kind] || a.id - b.id;
}

function isVisible(fact: Fact, asOf: IsoDate): boolean {
  if (fact.retracted) return false;
  const from = knownFrom(fact);
  return from === null || from <= asOf;
}

// formatDate builds an Intl.DateTimeFormat per call (about 0.1 ms), the largest cost of assembling a memo; a date's
// label never changes, so labels are kept across renders (a few thousand distinct dates at most in practice).
const dayLabels = new Map<IsoDate, string>();
const MAX_CACHED_DAY_LABELS = 20_000;

function cachedDayLabel(date: IsoDate): string {
  let label = dayLabels.get(date);
  if (label === undefined) {
    if (dayLabels.size >= MAX_CACHED_DAY_LABELS) dayLabels.clear();
    label = dayLabel(date);
    dayLabels.set(date, label);
  }
  return label;
}

/** What a fact list helper asks the index for; `limit` 0 means no limit. */
export interface FactQuery {
  since?: IsoDate;
  until?: IsoDate;
  actor?: string;
  matching?: string;
  limit: number;
}

/**
 * The facts visible on `asOf` (known by then, not retracted), sorted once so that every helper call is one scan that
 * stops at its limit.
 */
export class FactIndex {
  private readonly byId = new Map<number, Fact>();
  /** Facts by kind, newest first. */
  private readonly byKind = new Map<FactKind, Fact[]>();
  private readonly allNewestFirst: Fact[];
  private readonly developmentsNewestFirst: Fact[];
  /** Deadlines on or after asOf, soonest first. */
  readonly upcoming: readonly Fact[];
  /** Deadlines before asOf, latest first. */
  readonly overdue: readonly Fact[];
  private readonly patterns = new Map<string, RegExp>();

  constructor(
    facts: readonly Fact[],
    readonly asOf: IsoDate,
  ) {
    if (!isIsoDate(asOf)) throw new RangeError(`not a date (YYYY-MM-DD): ${asOf}`);
    const visible = facts.filter((f) => isVisible(f, asOf));
    for (const f of visible) this.byId.set(f.id, f);
    // Facts usually arrive oldest first (as the store reads them): reversed, they are nearly in order, which the sort
    // finishes in close to one pass.
    this.allNewestFirst = visible.reverse().sort(newestFirst);
    for (const kind of FACT_KINDS) this.byKind.set(kind, []);
    for (const f of this.allNewestFirst) this.byKind.get(f.kind)?.push(f);
    this.developmentsNewestFirst = this.allNewestFirst.filter((f) => ["event", "note", "figure"].includes(f.kind));
    const deadlines = this.byKind.get("deadline") ?? [];
    this.upcoming = deadlines.filter((f) => f.date >= asOf).reverse();
    this.overdue = deadlines.filter((f) => f.date < asOf);
  }

  /** How many facts are visible. */
  get size(): number {
    return this.byId.size;
  }

  /** The visible fact with this id, if any. */
  get(id: number): Fact | undefined {
    return this.byId.get(id);
  }

  /** Facts of one kind (or every kind), newest first, filtered by the query. */
  select(kind: FactKind | "any" | "development", query: FactQuery): Fact[] {
    const list =
      kind === "any" ? this.allNewestFirst : kind === "development" ? this.developmentsNewestFirst : (this.byKind.get(kind) ?? []);
    const out: Fact[] = [];
    for (const f of list) {
      if (query.until !== undefined && f.date > query.until) continue;
      if (query.since !== undefined && f.date < query.since) break;
      if (!this.matches(f, query)) continue;
      out.push(f);
      if (query.limit > 0 && out.length >= query.limit) break;
    }
    return out;
  }

  /** Upcoming deadlines (soonest first) or overdue ones (latest first) within `within` days of asOf. */
  selectDeadlines(which: "upcoming" | "overdue", within: number | undefined, query: FactQuery): Fact[] {
    const out: Fact[] = [];
    for (const f of which === "upcoming" ? this.upcoming : this.overdue) {
      if (within !== undefined && Math.abs(daysBetween(this.asOf, f.date)) > within) break;
      if (!this.matches(f, query)) continue;
      out.push(f);
      if (query.limit > 0 && out.length >= query.limit) break;
    }
    return out;
  }

  /** "2017-07-12 (Wed)". */
  day(date: IsoDate): string {
    return cachedDayLabel(date);
  }

  /** The fact as a template sees it. */
  view(fact: Fact): FactView {
    return {
      id: fact.id,
      kind: fact.kind,
      date: fact.date,
      day: this.day(fact.date),
      title: escapeMarkdown(fact.title),
      summary: defuseMarkdown(fact.summary),
      actor: fact.actor,
      who: actorLabel(fact.actor),
      inferred: fact.confidence === "inferred",
    };
  }

  /** A deadline as a template sees it, with the days left on asOf. */
  deadlineView(fact: Fact): DeadlineView {
    const daysLeft = daysBetween(this.asOf, fact.date);
    const from = fact.after ? this.byId.get(fact.after.fromId) : undefined;
    const basis =
      fact.after && from
        ? deadlineBasis({
            fact,
            sourceNumber: null,
            daysLeft,
            basis: { days: fact.after.days, from: { date: from.date, title: escapeMarkdown(from.title) } },
          })
        : null;
    return { ...this.view(fact), daysLeft, daysLeftText: describeDaysLeft(daysLeft), basis };
  }

  private matches(fact: Fact, query: FactQuery): boolean {
    if (query.actor !== undefined && fact.actor !== query.actor) return false;
    if (query.matching !== undefined) {
      // A case-insensitive pattern per phrase: no lower-cased copy of every fact's text is built.
      let pattern = this.patterns.get(query.matching);
      if (pattern === undefined) {
        pattern = new RegExp(query.matching.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "i");
        this.patterns.set(query.matching, pattern);
      }
      if (!pattern.test(fact.title) && !pattern.test(fact.summary)) return false;
    }
    return true;
  }
}

/** The facts a memo uses and the numbered sources they cite, in the order first cited. */
export class Citations {
  /** Numbered sources, in the order first cited. */
  readonly sources: Array<FactSource & { number: number }> = [];
  /** Facts used, in the order first cited. */
  readonly used: Fact[] = [];
  private readonly numbers = new Map<string, number>();
  private readonly usedIds = new Set<number>();

  /** Records the fact as used; returns its source number, or null when it names no source. */
  cite(fact: Fact): number | null {
    if (!this.usedIds.has(fact.id)) {
      this.usedIds.add(fact.id);
      this.used.push(fact);
    }
    if (!fact.source.title && !fact.source.url) return null;
    const key = sourceKey(fact.source);
    let number = this.numbers.get(key);
    if (number === undefined) {
      number = this.sources.length + 1;
      this.numbers.set(key, number);
      this.sources.push({ ...fact.source, number });
    }
    return number;
  }

  /** True when the fact has been cited. */
  has(fact: Fact): boolean {
    return this.usedIds.has(fact.id);
  }
}

/** " [n]" for a cited fact, "" for one without a source. */
export function citationMark(number: number | null): string {
  return number === null ? "" : ` [${number}]`;
}

// ---------------------------------------------------------------------------------------------------------------
// Helpers

/** Per-render state, passed to helpers as Handlebars `data` (it survives into every {{#each}} frame). */
interface RenderState {
  template: MemoTemplate;
  sections: Readonly<Record<string, SectionInput>>;
  facts: FactIndex;
  citations: Citations;
}

/** What Handlebars passes a helper last; `loc` is the call's place in the body. */
interface HelperOptions extends Handlebars.HelperOptions {
  name?: string;
  loc?: { start: { line: number; column: number } };
  data?: { korus?: RenderState };
}

/** An error a helper raises while rendering; `line` is the body line of the call. */
class HelperError extends Error {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super(message);
  }
}

type Helper = (args: unknown[], options: HelperOptions, state: RenderState) => unknown;

interface HelperSpec {
  params: number;
  hash: readonly string[];
  /** A list helper, used only as a subexpression. */
  list?: boolean;
  /** The first parameter is a section key. */
  sectionKey?: boolean;
  run: Helper;
}

const LIST_HASH = ["since", "until", "actor", "matching", "limit"] as const;
const DEADLINE_HASH = ["within", "actor", "matching", "limit"] as const;

function fail(options: HelperOptions, message: string): never {
  throw new HelperError(`${options.name ?? "helper"}: ${message}`, options.loc?.start.line);
}

function hashDate(options: HelperOptions, key: string): IsoDate | undefined {
  const value: unknown = options.hash[key];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string" || !isIsoDate(value)) fail(options, `${key} must be a date YYYY-MM-DD, got ${String(value)}`);
  return value;
}

function hashCount(options: HelperOptions, key: string): number | undefined {
  const value: unknown = options.hash[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    fail(options, `${key} must be a whole number of at least 0, got ${String(value)}`);
  }
  return value;
}

function hashText(options: HelperOptions, key: string): string | undefined {
  const value: unknown = options.hash[key];
  if (value === undefined || value === null || value === "") return undefined;
  if (typeof value !== "string") fail(options, `${key} must be text, got ${String(value)}`);
  return value;
}

function query(options: HelperOptions, defaults: { since?: IsoDate; until?: IsoDate } = {}): FactQuery {
  const actor = hashText(options, "actor");
  const matching = hashText(options, "matching");
  return {
    since: hashDate(options, "since") ?? defaults.since,
    until: hashDate(options, "until") ?? defaults.until,
    actor: actor === undefined ? undefined : normalizeActor(actor),
    matching: matching?.toLowerCase(),
    limit: hashCount(options, "limit") ?? DEFAULT_LIST_LIMIT,
  };
}

function sectionOf(args: unknown[], options: HelperOptions, state: RenderState): { spec: TemplateSection; input?: SectionInput } {
  const key = args[0];
  const spec = state.template.sections.find((s) => s.key === key);
  if (!spec) fail(options, `"${String(key)}" is not a section of ${state.template.id}`);
  return { spec, input: state.sections[spec.key] };
}

function kindList(kind: FactKind): HelperSpec {
  return {
    params: 0,
    hash: LIST_HASH,
    list: true,
    run: (_args, options, { facts }) => facts.select(kind, query(options)).map((f) => facts.view(f)),
  };
}

const HELPERS: Record<string, HelperSpec> = {
  section: {
    params: 1,
    hash: [],
    sectionKey: true,
    run: (args, options, state) => {
      const { spec, input } = sectionOf(args, options, state);
      return isWritten(input) ? sectionMarkdown(input.text) : `_(missing: ${escapeMarkdown(spec.title)})_`;
    },
  },
  sectionTitle: { params: 1, hash: [], sectionKey: true, run: (args, options, state) => sectionOf(args, options, state).spec.title },
  hasSection: { params: 1, hash: [], sectionKey: true, run: (args, options, state) => isWritten(sectionOf(args, options, state).input) },
  deadlines: {
    params: 0,
    hash: DEADLINE_HASH,
    list: true,
    run: (_args, options, { facts }) =>
      facts.selectDeadlines("upcoming", hashCount(options, "within"), query(options)).map((f) => facts.deadlineView(f)),
  },
  overdue: {
    params: 0,
    hash: DEADLINE_HASH,
    list: true,
    run: (_args, options, { facts }) =>
      facts
        .selectDeadlines("overdue", hashCount(options, "within") ?? OVERDUE_WINDOW_DAYS, query(options))
        .map((f) => facts.deadlineView(f)),
  },
  developments: {
    params: 0,
    hash: LIST_HASH,
    list: true,
    run: (_args, options, { facts }) => {
      const window = { since: addDays(facts.asOf, -DEVELOPMENTS_WINDOW_DAYS), until: facts.asOf };
      return facts.select("development", query(options, window)).map((f) => facts.view(f));
    },
  },
  positions: kindList("position"),
  figures: kindList("figure"),
  quotes: kindList("quote"),
  facts: {
    params: 0,
    hash: ["kind", ...LIST_HASH],
    list: true,
    run: (_args, options, { facts }) => {
      const kind = hashText(options, "kind") ?? "any";
      if (kind !== "any" && !(FACT_KINDS as readonly string[]).includes(kind)) {
        fail(options, `kind must be one of ${FACT_KINDS.join(", ")}, got ${kind}`);
      }
      const list = facts.select(kind as FactKind | "any", query(options));
      return list.map((f) => (f.kind === "deadline" ? facts.deadlineView(f) : facts.view(f)));
    },
  },
  cite: {
    params: 1,
    hash: [],
    run: ([item], options, { facts, citations }) => {
      const id = typeof item === "object" && item !== null && "id" in item ? item.id : undefined;
      if (typeof id !== "number") fail(options, "expects a fact, e.g. {{cite this}} inside {{#each (deadlines)}}");
      const fact = facts.get(id);
      return fact ? citationMark(citations.cite(fact)) : "";
    },
  },
  dayLabel: {
    params: 1,
    hash: [],
    run: ([date], options, { facts }) => {
      if (typeof date !== "string" || !isIsoDate(date)) fail(options, `expects a date YYYY-MM-DD, got ${String(date)}`);
      return facts.day(date);
    },
  },
  actorName: { params: 1, hash: [], run: ([actor]) => actorLabel(String(actor ?? "")) },
  inline: { params: 1, hash: [], run: ([text]) => inlineMarkdown(String(text ?? "")) },
  eq: { params: 2, hash: [], run: ([a, b]) => a === b },
};

/** The names of the helpers templates may use, besides Handlebars' if, unless, each, with and lookup. */
export const TEMPLATE_HELPERS: readonly string[] = Object.keys(HELPERS);

const BUILT_INS = new Set(["if", "unless", "each", "with", "lookup"]);

const engine = Handlebars.create();
for (const [name, spec] of Object.entries(HELPERS)) {
  engine.registerHelper(name, (...args: unknown[]) => {
    const options = args.pop() as HelperOptions;
    const state = options.data?.korus;
    if (!state) throw new HelperError(`${name}: called outside a memo render`, options.loc?.start.line);
    return spec.run(args, options, state);
  });
}
// `log` would write template data to the console; drop it from this instance.
engine.unregisterHelper("log");

const COMPILE_OPTIONS: CompileOptions = {
  noEscape: true,
  strict: true,
  knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((name) => [name, true])),
};

// ---------------------------------------------------------------------------------------------------------------
// Load-time checks: walk the AST for helpers and section keys, then render once against a sample context

interface AstProblem {
  line: number;
  message: string;
}

function checkAst(program: hbs.AST.Program, sectionKeys: ReadonlySet<string>): AstProblem[] {
  const problems: AstProblem[] = [];
  const report = (node: hbs.AST.Node, message: string) => problems.push({ line: node.loc.start.line, message });

  const checkCall = (
    node: hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression,
    form: "mustache" | "block" | "subexpression",
  ) => {
    const path = node.path;
    if (path.type !== "PathExpression") return;
    const p = path as hbs.AST.PathExpression;
    const simple = !p.data && p.depth === 0 && p.parts.length === 1 && p.original !== "this";
    const name = p.original;
    const pairs = node.hash?.pairs ?? [];
    const isCall = form === "subexpression" || node.params.length > 0 || pairs.length > 0;
    const spec = simple ? HELPERS[name] : undefined;
    if (!spec) {
      if (simple && BUILT_INS.has(name)) return;
      if (isCall) report(node, `unknown helper "${name}" (helpers: ${TEMPLATE_HELPERS.join(", ")}, ${[...BUILT_INS].join(", ")})`);
      return;
    }
    if (form === "block") {
      report(node, `${name} is not a block helper${spec.list ? `: use {{#each (${name})}}` : ""}`);
      return;
    }
    if (spec.list && form === "mustache") {
      report(node, `${name} returns a list: use it as {{#each (${name})}}`);
      return;
    }
    if (node.params.length !== spec.params) {
      report(node, `${name} takes ${spec.params} parameter${spec.params === 1 ? "" : "s"}, got ${node.params.length}`);
    }
    for (const pair of pairs) {
      if (!spec.hash.includes(pair.key)) {
        report(pair, `${name} has no option "${pair.key}"${spec.hash.length ? ` (options: ${spec.hash.join(", ")})` : ""}`);
      }
    }
    if (spec.sectionKey) {
      const first = node.params[0];
      if (first?.type !== "StringLiteral") {
        if (first) report(first, `${name} needs a quoted section key, e.g. {{${name} "purpose"}}`);
      } else {
        const key = (first as hbs.AST.StringLiteral).value;
        if (!sectionKeys.has(key)) {
          report(first, `section "${key}" is not declared in the front matter (sections: ${[...sectionKeys].join(", ") || "none"})`);
        }
      }
    }
  };

  const visitExpression = (node: hbs.AST.Expression | undefined) => {
    if (node?.type === "SubExpression") {
      const sub = node as hbs.AST.SubExpression;
      checkCall(sub, "subexpression");
      sub.params.forEach(visitExpression);
      sub.hash?.pairs.forEach((pair) => visitExpression(pair.value));
    }
  };

  const visitProgram = (program: hbs.AST.Program | undefined) => {
    for (const statement of program?.body ?? []) {
      switch (statement.type) {
        case "MustacheStatement": {
          const m = statement as hbs.AST.MustacheStatement;
          checkCall(m, "mustache");
          m.params.forEach(visitExpression);
          m.hash?.pairs.forEach((pair) => visitExpression(pair.value));
          break;
        }
        case "BlockStatement": {
          const b = statement as hbs.AST.BlockStatement;
          checkCall(b, "block");
          b.params.forEach(visitExpression);
          b.hash?.pairs.forEach((pair) => visitExpression(pair.value));
          visitProgram(b.program);
          visitProgram(b.inverse);
          break;
        }
        case "PartialStatement":
        case "PartialBlockStatement":
          report(statement, "partials ({{> name}}) are not supported");
          break;
        case "Decorator":
        case "DecoratorBlock":
          report(statement, "decorators ({{* name}}) are not supported");
          break;
        default:
          break;
      }
    }
  };

  visitProgram(program);
  return problems;
}

const SAMPLE_AS_OF = "2017-07-20";

function sampleFacts(): Fact[] {
  const base = { known: null, summary: "Sample summary.", confidence: "confirmed", topic: "korus", after: null, retracted: false } as const;
  const source = { title: "Sample source", url: "https://example.org/sample" };
  return [
    { ...base, id: 1, kind: "event", date: "2017-07-12", title: "Sample event", actor: "US", source },
    { ...base, id: 2, kind: "deadline", date: "2017-08-11", title: "Sample deadline", actor: "both", source, after: { days: 30, fromId: 1 } },
    { ...base, id: 3, kind: "deadline", date: "2017-07-15", title: "Sample overdue deadline", actor: "Korea", source: {} },
    { ...base, id: 4, kind: "position", date: "2017-07-12", title: "Sample U.S. position", actor: "US", source },
    { ...base, id: 5, kind: "position", date: "2017-07-13", title: "Sample Korean position", actor: "Korea", source, confidence: "inferred" },
    { ...base, id: 6, kind: "position", date: "2017-07-13", title: "Sample joint position", actor: "both", source },
    { ...base, id: 7, kind: "figure", date: "2017-07-12", title: "Sample figure", actor: "US", source },
    { ...base, id: 8, kind: "quote", date: "2017-07-12", title: "Sample quote", actor: "A. Speaker", source },
    { ...base, id: 9, kind: "note", date: "2017-07-13", title: "Sample note", actor: "Korea", source },
  ];
}

function sampleRender(template: MemoTemplate): void {
  const facts = sampleFacts();
  const sections = Object.fromEntries(
    template.sections.map((s) => [s.key, { text: `Sample text for ${s.title}.`, state: "final" } satisfies SectionInput]),
  );
  const brief: BriefContext = {
    headline: "Sample headline",
    changes: [
      { change: "new", fact: facts[0]! },
      { change: "edited", fact: facts[3]! },
      { change: "retracted", fact: { ...facts[8]!, retracted: true } },
    ],
    memos: [
      { title: "Sample memo", state: "collecting sections", due: "2017-07-25" },
      { title: "Sample memo without a due date", state: "assembled", due: null },
    ],
  };
  renderTemplateBody(template, {
    memo: { title: "Sample memo", date: SAMPLE_AS_OF, authors: ["A. Author", "B. Author"] },
    sections,
    facts: new FactIndex(facts, SAMPLE_AS_OF),
    citations: new Citations(),
    extra: brief,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing and loading

function offsetLine(lineCounter: LineCounter, offset: number): number {
  return lineCounter.linePos(offset).line;
}

/** The YAML node at `path`, or the deepest one that exists on the way (a key with an empty value: the key). */
function yamlNodeAt(doc: Document.Parsed, path: readonly PropertyKey[]): YamlNode | null {
  let node: unknown = doc.contents;
  let found: YamlNode | null = isMap(node) || isSeq(node) ? node : null;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const value: unknown = pair.value;
      found = (isMap(value) || isSeq(value) || isScalar(value)) && value.range ? value : isScalar(pair.key) ? pair.key : found;
      node = value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item: unknown = node.items[segment];
      if (!(isMap(item) || isSeq(item) || isScalar(item))) break;
      found = item;
      node = item;
    } else {
      break;
    }
  }
  return found;
}

/** A Handlebars syntax error as a short message and the body line it names. */
function syntaxProblem(error: unknown): { line?: number; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const fromException = typeof error === "object" && error !== null && "lineNumber" in error ? error.lineNumber : undefined;
  const fromMessage = /on line (\d+)/.exec(message)?.[1];
  const line = typeof fromException === "number" ? fromException : fromMessage ? Number(fromMessage) : undefined;
  const parts = message.split("\n");
  if (/^(Parse|Lexical) error/.test(parts[0] ?? "") && parts.length >= 2) {
    // "Parse error on line 2:\n<excerpt>\n----^\nExpecting 'A', 'B', got 'C'": keep the excerpt and what was found.
    const got = /got '([^']+)'/.exec(parts[3] ?? "")?.[1];
    const kind = parts[0]!.startsWith("Lexical") ? "unrecognized text" : "syntax error";
    return { line, message: `${kind} near "${parts[1]!.trim()}"${got ? ` (unexpected ${got})` : ""}` };
  }
  return { line, message: message.replace(/ - \d+:\d+$/, "") };
}

const FRONT_MATTER_FENCE = /^---[ \t]*$/;
const FRONT_MATTER_END = /^(---|\.\.\.)[ \t]*$/;

/**
 * Parses and checks one template file: front matter against the schema, `id` against the file name, the body's
 * Handlebars syntax, helpers and section keys, and one render against a sample context.
 * @param file the file's path; its name without .md must equal the `id`.
 */
export function parseTemplate(text: string, file: string): { template?: MemoTemplate; problems: TemplateProblem[] } {
  const problem = (message: string, line?: number): TemplateProblem => ({ file, ...(line !== undefined ? { line } : {}), message });
  const lines = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n").split("\n");
  if (!FRONT_MATTER_FENCE.test(lines[0] ?? "")) {
    return { problems: [problem("must start with YAML front matter between --- lines", 1)] };
  }
  const end = lines.findIndex((line, i) => i > 0 && FRONT_MATTER_END.test(line));
  if (end < 0) return { problems: [problem("front matter is not closed by a --- line", 1)] };

  // Front matter: YAML lines 1.. are file lines 2..
  const yamlText = lines.slice(1, end).join("\n");
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => problem(`front matter: ${e.message}`, offsetLine(lineCounter, e.pos[0]) + 1)),
    };
  }
  const parsed = templateFrontMatterSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => {
        const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
        const path = keys.length === 1 ? [...issue.path, keys[0]!] : issue.path;
        const node = yamlNodeAt(doc, path);
        const line = node?.range ? offsetLine(lineCounter, node.range[0]) + 1 : 1;
        const where = issue.path.length ? issue.path.join(".") : "front matter";
        const message = keys.length ? `unknown key${keys.length > 1 ? "s" : ""} ${keys.join(", ")}` : issue.message;
        return problem(`front matter: ${where}: ${message}`, line);
      }),
    };
  }
  const fm = parsed.data;
  const fileName = file.split(/[\\/]/).pop() ?? file;
  if (`${fm.id}.md` !== fileName) {
    const idNode = yamlNodeAt(doc, ["id"]);
    const line = idNode?.range ? offsetLine(lineCounter, idNode.range[0]) + 1 : 1;
    return { problems: [problem(`front matter: id "${fm.id}" must equal the file name without .md ("${fileName.replace(/\.md$/, "")}")`, line)] };
  }

  const bodyLineOffset = end + 1;
  const template: MemoTemplate = { ...fm, body: lines.slice(end + 1).join("\n"), file, bodyLineOffset };

  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(template.body);
  } catch (error) {
    const { line, message } = syntaxProblem(error);
    return { problems: [problem(`template: ${message}`, line !== undefined ? line + bodyLineOffset : undefined)] };
  }
  const astProblems = checkAst(ast, new Set(fm.sections.map((s) => s.key)));
  if (astProblems.length > 0) {
    return { problems: astProblems.map((p) => problem(`template: ${p.message}`, p.line + bodyLineOffset)) };
  }
  try {
    sampleRender(template);
  } catch (error) {
    if (error instanceof TemplateError) return { problems: error.problems };
    throw error;
  }
  return { template, problems: [] };
}

/** What {@link loadTemplates} found: the good templates, and the problems of the others. */
export interface TemplateLoadResult {
  templates: MemoTemplate[];
  problems: TemplateProblem[];
}

function dirPath(dir: string | URL): string {
  return dir instanceof URL ? fileURLToPath(dir) : dir;
}

/**
 * Loads every `*.md` template in `dir` (default: the shipped templates/). A broken template is reported in `problems`
 * with its file and line; the others still load.
 */
export async function loadTemplates(dir: string | URL = TEMPLATES_DIR): Promise<TemplateLoadResult> {
  const path = dirPath(dir);
  const names = (await readdir(path)).filter((name) => name.endsWith(".md")).sort();
  const result: TemplateLoadResult = { templates: [], problems: [] };
  for (const name of names) {
    const file = join(path, name);
    const { template, problems } = parseCached(await readFile(file, "utf8"), file);
    if (template) result.templates.push(template);
    result.problems.push(...problems);
  }
  return result;
}

/**
 * Loads one template by id.
 * @throws TemplateError `template_not_found` when there is no such file, `template_invalid` when it is broken.
 */
export async function loadTemplate(id: string, dir: string | URL = TEMPLATES_DIR): Promise<MemoTemplate> {
  const file = join(dirPath(dir), `${id}.md`);
  if (!kebabCase.test(id)) throw new TemplateError("template_not_found", [{ file, message: `no template "${id}"` }]);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new TemplateError("template_not_found", [{ file, message: `no template "${id}"` }]);
  }
  const { template, problems } = parseCached(text, file);
  if (!template) throw new TemplateError("template_invalid", problems);
  return template;
}

/**
 * The last parse of each file, reused while its text is unchanged: parsing checks the template and renders it once
 * against sample facts, which is far too slow for every memo read (a Home tab reads dozens). The file is still read
 * each time, so an edited template takes effect at once.
 */
const parsed = new Map<string, { text: string; result: ReturnType<typeof parseTemplate> }>();

function parseCached(text: string, file: string): ReturnType<typeof parseTemplate> {
  const hit = parsed.get(file);
  if (hit && hit.text === text) return hit.result;
  const result = parseTemplate(text, file);
  parsed.set(file, { text, result });
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// Rendering

const compiled = new WeakMap<MemoTemplate, HandlebarsTemplateDelegate>();

/** What a render needs besides the template. */
export interface RenderInput {
  memo: { title: string; date: IsoDate; authors: readonly string[] };
  sections: Readonly<Record<string, SectionInput>>;
  facts: FactIndex;
  citations: Citations;
  /** More context variables; for a brief, its {@link BriefContext}. */
  extra?: Readonly<Record<string, unknown>>;
}

function briefVariables(extra: Readonly<Record<string, unknown>>, facts: FactIndex): Record<string, unknown> {
  const brief = extra as BriefContext;
  return {
    headline: escapeMarkdown(typeof brief.headline === "string" ? brief.headline : ""),
    changes: (brief.changes ?? []).map((c) => ({ change: c.change, fact: facts.view(c.fact) })),
    memos: (brief.memos ?? []).map((m) => ({ title: escapeMarkdown(m.title), state: escapeMarkdown(m.state), due: m.due ?? null })),
  };
}

/**
 * Renders a template's body (Markdown). Citations are recorded in `input.citations`.
 * @throws TemplateError `template_render_failed` naming the file line of the failing expression.
 */
export function renderTemplateBody(template: MemoTemplate, input: RenderInput): string {
  let delegate = compiled.get(template);
  if (!delegate) {
    delegate = engine.compile(template.body, COMPILE_OPTIONS);
    compiled.set(template, delegate);
  }
  const extra = input.extra ?? {};
  const context = {
    ...extra,
    ...(template.kind === "brief" ? briefVariables(extra, input.facts) : {}),
    title: escapeMarkdown(input.memo.title),
    date: input.memo.date,
    asOf: input.memo.date,
    authors: input.memo.authors.map(escapeMarkdown),
  };
  const state: RenderState = { template, sections: input.sections, facts: input.facts, citations: input.citations };
  try {
    return delegate(context, { data: { korus: state } });
  } catch (error) {
    const line =
      error instanceof HelperError
        ? error.line
        : error instanceof Error && "lineNumber" in error && typeof error.lineNumber === "number"
          ? error.lineNumber
          : undefined;
    // Handlebars' strict mode says `"x" not defined in [object Object] - 3:5`: the place is reported as a line.
    const message = (error instanceof Error ? error.message : String(error))
      .replace(/ - \d+:\d+$/, "")
      .replace(/ not defined in .*$/, " is not defined here");
    throw new TemplateError("template_render_failed", [
      { file: template.file, ...(line !== undefined ? { line: line + template.bodyLineOffset } : {}), message: `template: ${message}` },
    ]);
  }
}
