/**
 * The helpers a template body calls (sections, fact lists, citations, labels), on an isolated Handlebars instance.
 * Each helper reads the render's state from Handlebars' `data`, so one compiled template serves every render.
 */
import Handlebars from "handlebars";
import type { Citations } from "../../facts/citations.js";
import { addDays, isIsoDate, type IsoDate } from "../../facts/dates.js";
import { type FactFilter, type FactIndex, OVERDUE_WINDOW_DAYS } from "../../facts/fact-index.js";
import { actorLabel, dayLabel, olderOverdueLabel } from "../../facts/labels.js";
import { FACT_KINDS, type FactKind, normalizeActor } from "../../facts/model.js";
import { citationMark, citeNotes, notesText } from "../../facts/citations.js";
import { escapeMarkdown } from "../../render/escape.js";
import { chartParagraph } from "../../figures/memo-chart.js";
import type { FactViews } from "./fact-views.js";
import { inlineMarkdown, sectionMarkdown } from "./markdown-safety.js";
import { isWritten, type MemoTemplate, type SectionInput, type TemplateSection } from "./template.js";
import { KorusError } from "../../errors.js";

/** How many items a fact list helper returns unless the template passes `limit`. */
export const DEFAULT_LIST_LIMIT = 20;
/** The default window of `(developments)`: this many days up to the as-of date. */
export const DEVELOPMENTS_WINDOW_DAYS = 90;

/** Per-render state, passed to helpers as Handlebars `data` (it survives into every {{#each}} frame). */
export interface RenderState {
  template: MemoTemplate;
  sections: Readonly<Record<string, SectionInput>>;
  facts: FactIndex;
  views: FactViews;
  citations: Citations;
}

/** What Handlebars passes a helper last; `loc` is the call's place in the body. */
interface HelperOptions extends Handlebars.HelperOptions {
  name?: string;
  loc?: { start: { line: number; column: number } };
  data?: { korus?: RenderState };
}

/** An error a helper raises while rendering; `line` is the body line of the call. */
export class HelperError extends KorusError<"template_helper_failed"> {
  constructor(
    message: string,
    readonly line: number | undefined,
  ) {
    super("template_helper_failed", message);
  }
}

/** A helper: its arguments, Handlebars' options and the render's state. */
type Helper = (args: unknown[], options: HelperOptions, state: RenderState) => unknown;

/** What a helper takes, how it may be used (the checker reads this), and what it does. */
export interface HelperSpec {
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

function filter(options: HelperOptions, defaults: { since?: IsoDate; until?: IsoDate } = {}): FactFilter {
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
    run: (_args, options, { facts, views }) => facts.select(kind, filter(options)).map((f) => views.view(f)),
  };
}

/** Every helper a template may call, by name. */
export const HELPERS: Readonly<Record<string, HelperSpec>> = {
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
    run: (_args, options, { facts, views }) => facts.selectDeadlines("upcoming", hashCount(options, "within"), filter(options)).map((f) => views.deadlineView(f)),
  },
  overdue: {
    params: 0,
    hash: DEADLINE_HASH,
    list: true,
    run: (_args, options, { facts, views }) => facts.selectDeadlines("overdue", hashCount(options, "within") ?? OVERDUE_WINDOW_DAYS, filter(options)).map((f) => views.deadlineView(f)),
  },
  closed: {
    params: 0,
    hash: DEADLINE_HASH,
    list: true,
    // Deadlines whose outcome (met, missed, extended, withdrawn) became known within `within` days up to the as-of date.
    run: (_args, options, { facts, views }) => facts.recentlyClosed(hashCount(options, "within") ?? OVERDUE_WINDOW_DAYS, filter(options)).map((f) => views.deadlineView(f)),
  },
  passed: {
    params: 0,
    hash: DEADLINE_HASH,
    list: true,
    // Effective dates (entry into force, a quota taking effect) that passed within `within` days before the as-of date.
    run: (_args, options, { facts, views }) => facts.recentlyPassed(hashCount(options, "within") ?? OVERDUE_WINDOW_DAYS, filter(options)).map((f) => views.deadlineView(f)),
  },
  olderOverdue: {
    params: 0,
    hash: ["within"],
    run: (_args, options, { facts }) => {
      const older = facts.olderOverdue(hashCount(options, "within") ?? OVERDUE_WINDOW_DAYS);
      return older ? escapeMarkdown(olderOverdueLabel(older, facts.daysLeft(older.latest))) : "";
    },
  },
  developments: {
    params: 0,
    hash: LIST_HASH,
    list: true,
    run: (_args, options, { facts, views }) => {
      const window = { since: addDays(facts.asOf, -DEVELOPMENTS_WINDOW_DAYS), until: facts.asOf };
      return facts.select("development", filter(options, window)).map((f) => views.view(f));
    },
  },
  positions: kindList("position"),
  figures: kindList("figure"),
  quotes: kindList("quote"),
  facts: {
    params: 0,
    hash: ["kind", ...LIST_HASH],
    list: true,
    run: (_args, options, { facts, views }) => {
      const kind = hashText(options, "kind") ?? "any";
      if (kind !== "any" && !(FACT_KINDS as readonly string[]).includes(kind)) {
        fail(options, `kind must be one of ${FACT_KINDS.join(", ")}, got ${kind}`);
      }
      const list = facts.select(kind as FactKind | "any", filter(options));
      return list.map((f) => (f.kind === "deadline" ? views.deadlineView(f) : views.view(f)));
    },
  },
  cite: {
    params: 1,
    hash: [],
    run: ([item], options, { facts, citations }) => {
      const id = typeof item === "object" && item !== null && "id" in item ? item.id : undefined;
      if (typeof id !== "number") fail(options, "expects a fact, e.g. {{cite this}} inside {{#each (deadlines)}}");
      const fact = facts.get(id);
      // The fact's sources, then its other readings and the other reports of its event ("sources differ: …").
      return fact ? `${citationMark(citations.cite(fact))}${notesText(citeNotes(citations, fact, facts.sameEvent(fact)), escapeMarkdown)}` : "";
    },
  },
  dayLabel: {
    params: 1,
    hash: [],
    run: ([date], options) => {
      if (typeof date !== "string" || !isIsoDate(date)) fail(options, `expects a date YYYY-MM-DD, got ${String(date)}`);
      return dayLabel(date);
    },
  },
  chart: {
    params: 1,
    hash: [],
    // The series as known on the render's as-of date; the HTML export draws the chart above this paragraph.
    run: ([key], options, { facts, citations }) => {
      if (typeof key !== "string" || key.trim() === "") fail(options, 'expects a series key, e.g. {{chart "us-goods-deficit-korea"}}');
      return chartParagraph(key.trim().toLowerCase(), facts.select("figure", { limit: 0 }), citations);
    },
  },
  actorName: { params: 1, hash: [], run: ([actor]) => actorLabel(String(actor ?? "")) },
  inline: { params: 1, hash: [], run: ([text]) => inlineMarkdown(String(text ?? "")) },
  eq: { params: 2, hash: [], run: ([a, b]) => a === b },
};

/** The names of the helpers templates may use, besides Handlebars' if, unless, each, with and lookup. */
export const TEMPLATE_HELPERS: readonly string[] = Object.keys(HELPERS);

/** Handlebars' own helpers that templates may use. */
export const BUILT_INS: ReadonlySet<string> = new Set(["if", "unless", "each", "with", "lookup"]);

/** The Handlebars instance templates are compiled on: isolated, with these helpers only. */
export const engine = Handlebars.create();
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

/**
 * How templates compile: `noEscape` (the output is Markdown, not HTML) and `strict` (an unknown variable is an error,
 * not an empty string).
 */
export const COMPILE_OPTIONS: CompileOptions = {
  noEscape: true,
  strict: true,
  knownHelpers: Object.fromEntries(Object.keys(HELPERS).map((name) => [name, true])),
};
