/** The fact JSON Lines schema: one zod schema that import, export and the forms all check a fact against, with its limits and messages. */
import { z } from "zod";
import { dateOutOfRange, isIsoDate, type IsoDate } from "./dates.js";
import { INVISIBLE_CHARACTERS, normalizeNewlines, refuseForbiddenText } from "../text-guard.js";
import { TOPIC_NAME } from "../topics/slug.js";
import { DUE_KINDS, FACT_KINDS, type FactSource, MILESTONES, normalizeActor, OUTCOMES } from "./model.js";
import { figureFieldsSchema, checkFigureFields } from "../figures/fields.js";

/**
 * Length limits of a fact's texts: each fits the field that edits it in every form (the Slack fact modal's
 * `max_length`, a header block's 150 characters), so nothing imported is too long to edit afterwards.
 */
export const FACT_LIMITS = {
  title: 150,
  summary: 3000,
  actor: 200,
  /** A topic name (src/topics/slug.ts). */
  topic: 40,
  sourceTitle: 300,
  url: 2000,
  says: 300,
  event: 100,
  /** Sources per fact: the fact form has room for three; a file may cite a few more. */
  sources: 10,
  /** Sources the fact form offers. */
  formSources: 3,
  disputed: 10,
} as const;

/** Longest title a fact may have (it must fit a Slack header block of 150 characters). */
export const MAX_TITLE_LENGTH = FACT_LIMITS.title;

// Bidirectional controls reorder text on screen (Trojan Source); one-line texts lose every invisible character.
const BIDI = /[\u200E\u200F\u202A-\u202E\u2066-\u2069\u061C]/g;

/**
 * Any text of a fact, through the one guard (src/text-guard.ts): newlines normalized, then NUL, lone surrogates and
 * control characters other than tab and newline refused. Every string field of the schema starts here.
 */
export function guardedString(typeError: (input: unknown) => string = (input) => `must be text, not ${describeValue(input)}`) {
  return z
    .string({ error: (issue) => (issue.code !== "invalid_type" ? undefined : issue.input === undefined ? "is missing" : typeError(issue.input)) })
    .transform(normalizeNewlines)
    .superRefine(refuseForbiddenText);
}

/**
 * A text field: refused when it holds NUL, a broken or a control character; normalised to NFC; on one line (titles,
 * names) zero-width and bidi characters are stripped, in a summary the bidi controls. Then trimmed and capped.
 */
function text(options: { max: number; oneLine: boolean; required: boolean }) {
  return guardedString()
    .transform((value) => {
      const normal = value.normalize("NFC").replace(options.oneLine ? INVISIBLE_CHARACTERS : BIDI, "");
      return options.oneLine ? normal.replace(/\s+/g, " ").trim() : normal.trim();
    })
    .superRefine((value, ctx) => {
      if (options.required && value === "") ctx.addIssue({ code: "custom", message: "must not be empty (or only invisible characters)" });
      if (value.length > options.max) {
        ctx.addIssue({ code: "custom", message: `is ${value.length.toLocaleString("en-US")} characters long; at most ${options.max.toLocaleString("en-US")} characters fit the form that edits it` });
      }
    });
}

/** A value as a person would name it in an error: "a number (12)", "nothing (null)", "a list". */
export function describeValue(value: unknown): string {
  if (value === null) return "nothing (null)";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "string") return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === "number") return `a number (${value})`;
  if (typeof value === "boolean") return `${value}`;
  return "an object";
}

/** A calendar date `YYYY-MM-DD` inside {@link DATE_RANGE}. */
const isoDate = z
  .string({ error: (issue) => (issue.code !== "invalid_type" ? undefined : issue.input === undefined ? "is missing" : `must be a date written YYYY-MM-DD, not ${describeValue(issue.input)}`) })
  .refine(isIsoDate, { error: (issue) => `must be a calendar date written YYYY-MM-DD, not ${describeValue(issue.input)}`, abort: true })
  .superRefine((value, ctx) => {
    const problem = dateOutOfRange(value);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });
const httpUrl = guardedString((input) => `must be an http(s) URL, not ${describeValue(input)}`)
  .transform((value) => value.trim())
  .pipe(z.url({ protocol: /^https?$/, error: "must be an http(s) URL such as https://ustr.gov/..." }).max(FACT_LIMITS.url, `must be at most ${FACT_LIMITS.url} characters`));

/** "title", "https://url", or "title https://url". */
function parseSourceString(value: string): FactSource {
  const match = /(https?:\/\/\S+)\s*$/.exec(value.trim());
  if (!match) return { title: value.trim() };
  const title = value
    .trim()
    .slice(0, match.index)
    .trim()
    .replace(/[-–—:,]\s*$/, "")
    .trim();
  return title ? { title, url: match[1] } : { url: match[1] };
}

const sourceObject = z
  .strictObject(
    {
      title: text({ max: FACT_LIMITS.sourceTitle, oneLine: true, required: false }).optional(),
      url: httpUrl.optional(),
      date: isoDate.optional(),
    },
    { error: (issue) => (issue.code === "invalid_type" ? `must be a source: {"title": "…", "url": "https://…", "date": "YYYY-MM-DD"} or a text, not ${describeValue(issue.input)}` : undefined) },
  )
  .transform((s) => {
    const out: FactSource = {};
    if (s.title) out.title = s.title;
    if (s.url) out.url = s.url;
    if (s.date) out.date = s.date;
    return out;
  })
  .refine((s) => s.title !== undefined || s.url !== undefined, "must have a title or a url");

/**
 * One source: an object `{title, url?, date?}`, or a string "title", "https://url" or "title https://url" (read as
 * that object first, so that an error names the part at fault: `source.url`).
 */
const sourceSchema = z.preprocess((value) => (typeof value === "string" ? parseSourceString(value) : value), sourceObject);

const disputedSchema = z.strictObject({
  says: text({ max: FACT_LIMITS.says, oneLine: true, required: true }),
  source: sourceSchema,
});

/**
 * One line of the fact JSON Lines format (README.md, "Facts"): the single schema that import, export and the modal use.
 * `sources` (a list) or `source` (one) may be given; the parsed line always has `sources`.
 */
export const factLineSchema = z
  .strictObject({
    date: isoDate.optional(),
    title: text({ max: FACT_LIMITS.title, oneLine: true, required: true }),
    summary: text({ max: FACT_LIMITS.summary, oneLine: false, required: false }).default(""),
    kind: z.enum(FACT_KINDS, {
      error: (issue) => (issue.input === undefined ? `is missing; one of ${FACT_KINDS.join(", ")}` : `must be one of ${FACT_KINDS.join(", ")}, not ${describeValue(issue.input)}`),
    }),
    actor: text({ max: FACT_LIMITS.actor, oneLine: true, required: true }).transform(normalizeActor),
    source: sourceSchema.optional(),
    sources: z
      .array(sourceSchema, { error: (issue) => (issue.code === "invalid_type" ? `must be a list of sources, not ${describeValue(issue.input)}` : undefined) })
      .min(1, "must list at least one source")
      .max(FACT_LIMITS.sources, `may list at most ${FACT_LIMITS.sources} sources`)
      .optional(),
    disputed: z
      .array(disputedSchema, {
        error: (issue) => (issue.code === "invalid_type" ? `must be a list of other readings {"says": "…", "source": …}, not ${describeValue(issue.input)}` : undefined),
      })
      .max(FACT_LIMITS.disputed, `may list at most ${FACT_LIMITS.disputed} other readings`)
      .default([]),
    event: text({ max: FACT_LIMITS.event, oneLine: true, required: true }).optional(),
    known: isoDate.optional(),
    after: z
      .strictObject({
        days: z
          .number({ error: (issue) => (issue.code === "invalid_type" ? `must be a whole number of days, not ${describeValue(issue.input)}` : undefined) })
          .int("must be a whole number of days")
          .min(-3650, "must be within ten years (-3650 to 3650)")
          .max(3650, "must be within ten years (-3650 to 3650)"),
        from: z.strictObject({ date: isoDate, title: text({ max: FACT_LIMITS.title, oneLine: true, required: true }) }),
      })
      .optional(),
    ...figureFieldsSchema,
    /** A deadline's kind: an obligation (the default) or an effective date, which happens by itself. */
    due_kind: z.enum(DUE_KINDS, { error: (issue) => `must be obligation or effective, not ${describeValue(issue.input)}` }).optional(),
    /** The event key of a deadline this fact closes, with `outcome`. */
    closes: text({ max: FACT_LIMITS.event, oneLine: true, required: true }).optional(),
    outcome: z.enum(OUTCOMES, { error: (issue) => `must be one of ${OUTCOMES.join(", ")}, not ${describeValue(issue.input)}` }).optional(),
    /** An event that marks where the agreement stands. */
    milestone: z.enum(MILESTONES, { error: (issue) => `must be one of ${MILESTONES.join(", ")}, not ${describeValue(issue.input)}` }).optional(),
    confidence: z.enum(["confirmed", "inferred"], { error: (issue) => `must be confirmed or inferred, not ${describeValue(issue.input)}` }).default("confirmed"),
    // A topic is addressed by name (`/korus status usmca`): the same rule as everywhere a topic is typed.
    topic: text({ max: FACT_LIMITS.topic, oneLine: true, required: true })
      .transform((value) => value.toLowerCase())
      .refine((value) => TOPIC_NAME.test(value), "must be a topic name of lower-case letters, digits and dashes (at most 40), like usmca")
      .default("korus"),
    /** Present only in `export --include-retracted`: the fact was withdrawn, and why. */
    retracted: z
      .strictObject({
        at: z.iso.datetime({ offset: true, error: "must be a date and time such as 2017-07-12T09:00:00Z" }).optional(),
        by: text({ max: FACT_LIMITS.actor, oneLine: true, required: false }).optional(),
        reason: text({ max: FACT_LIMITS.says, oneLine: true, required: true }),
      })
      .optional(),
  })
  // The figure rules run even when another field failed, so a form shows every figure problem at once.
  .superRefine((line, ctx) => checkFigureFields(line, ctx), { when: (payload) => typeof payload.value === "object" && payload.value !== null })
  .superRefine((line, ctx) => {
    if (line.after && line.kind !== "deadline") {
      ctx.addIssue({ code: "custom", path: ["after"], message: "only a deadline can be relative to another fact" });
    }
    if (!line.after && !line.date) {
      ctx.addIssue({ code: "custom", path: ["date"], message: "is missing (give `after` instead for a deadline relative to another fact)" });
    }
    if (line.kind === "deadline" && line.date && line.known && line.date < line.known) {
      ctx.addIssue({ code: "custom", path: ["date"], message: `the due date ${line.date} is before the fact's own date ${line.known}` });
    }
    checkOutcomeFields(line, ctx);
    if (line.source && line.sources) {
      ctx.addIssue({ code: "custom", path: ["source"], message: "give `sources` (a list) or `source` (one), not both" });
    }
    if (!line.source && !line.sources) {
      ctx.addIssue({ code: "custom", path: ["sources"], message: 'is missing: every fact needs at least one source, e.g. [{"title": "…", "url": "https://…"}]' });
    }
  })
  .transform(({ source, sources, ...rest }) => ({ ...rest, sources: dedupeSources(sources ?? (source ? [source] : [])) }));

/**
 * The rules of the deadline fields on one line: `due_kind` only on a deadline; `closes` and `outcome` together, never
 * closing the fact's own event; an extended deadline's closing fact is the new deadline itself (a deadline, its date the
 * new due date); `milestone` only on an event. Whether `closes` names a deadline, and whether that deadline can have
 * the outcome, depends on the store: see `closingProblems` (src/facts/outcomes.ts).
 */
function checkOutcomeFields(
  line: { kind: string; due_kind?: string | undefined; closes?: string | undefined; outcome?: string | undefined; event?: string | undefined; milestone?: string | undefined },
  ctx: z.RefinementCtx,
): void {
  if (line.due_kind && line.kind !== "deadline") ctx.addIssue({ code: "custom", path: ["due_kind"], message: "only a deadline has a due kind (obligation or effective)" });
  if (line.closes !== undefined && line.outcome === undefined) {
    ctx.addIssue({ code: "custom", path: ["outcome"], message: "is missing: say how this fact closes the deadline: met, missed, extended or withdrawn" });
  }
  if (line.outcome !== undefined && line.closes === undefined) {
    ctx.addIssue({ code: "custom", path: ["closes"], message: "is missing: the event key of the deadline this outcome closes" });
  }
  if (line.closes !== undefined && line.closes === line.event) {
    ctx.addIssue({ code: "custom", path: ["closes"], message: `names this fact's own event key (${line.closes}); a fact closes another fact's deadline` });
  }
  if (line.outcome === "extended" && line.kind !== "deadline") {
    ctx.addIssue({
      code: "custom",
      path: ["outcome"],
      message: "extended: the closing fact is the new deadline itself; give it kind deadline and the new due date as its date",
    });
  }
  if (line.milestone && line.kind !== "event") ctx.addIssue({ code: "custom", path: ["milestone"], message: "only an event marks a milestone (signed, approved, in-force, amended-in-force)" });
}

/** The sources without repeats (same title and URL), in order. */
function dedupeSources(sources: FactSource[]): FactSource[] {
  const seen = new Set<string>();
  return sources.filter((s) => {
    const key = `${(s.title ?? "").toLowerCase()}|${s.url ?? ""}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** A validated line. `date` may be absent only when `after` computes it. */
export type FactLine = z.infer<typeof factLineSchema>;

/** One problem on one line of a JSON Lines file. */
export interface LineError {
  line: number;
  field: string;
  message: string;
}

/** A validation issue as (field, message) in the user's words: "sources.1.url", "must be an http(s) URL…". */
export function describeIssue(issue: z.core.$ZodIssue): { field: string; message: string } {
  if (issue.code === "unrecognized_keys") {
    const where = issue.path.join(".");
    return { field: issue.keys.map((k) => (where ? `${where}.${k}` : k)).join(", "), message: `is not a known field${issue.keys.length > 1 ? "s" : ""}` };
  }
  const field = issue.path.join(".") || "(line)";
  if (issue.code === "too_big" && issue.origin === "string") return { field, message: `must be at most ${String(issue.maximum)} characters` };
  return { field, message: issue.message };
}

/** Every issue of a failed parse, in the user's words, one per field. */
export function describeIssues(error: z.ZodError): Array<{ field: string; message: string }> {
  const seen = new Set<string>();
  const out: Array<{ field: string; message: string }> = [];
  for (const issue of error.issues) {
    const described = describeIssue(issue);
    if (seen.has(described.field)) continue;
    seen.add(described.field);
    out.push(described);
  }
  return out;
}

/** What the rules that depend on the day need: today in the team's time zone (src/time-zone.ts). */
export interface FactRulesContext {
  today: IsoDate;
}

/**
 * The one validation of a fact, for import, the Slack form, the console and the CLI alike: the schema, then the rules
 * that depend on the day (`known` may not be after today: a fact is known on a day that has come). Returns the line,
 * or every problem as (field, message).
 */
export function checkFactLine(raw: unknown, context: FactRulesContext): { line: FactLine } | { issues: Array<{ field: string; message: string }> } {
  const parsed = factLineSchema.safeParse(raw);
  if (!parsed.success) return { issues: describeIssues(parsed.error) };
  if (parsed.data.known && parsed.data.known > context.today) {
    return { issues: [{ field: "known", message: `${parsed.data.known} is after today (${context.today}): a fact is known only from a day that has come` }] };
  }
  return { line: parsed.data };
}

/**
 * The first key given twice in one object of a JSON text, as a field path ("title", "sources.1.url"), or null.
 * JSON.parse keeps the last of duplicate keys without a word; a line saying `"title"` twice is a mistake to name.
 * Runs over text JSON.parse has already accepted, so it only has to find strings, objects and arrays. (Written here
 * rather than with jsonc-parser's visitor, which took 4x as long: 1.27 s against 0.30 s for 100,000 lines of 750
 * characters, beside 0.34 s for JSON.parse itself.)
 */
export function duplicateKey(text: string): string | null {
  if (!text.includes("{")) return null;
  const frames: Array<{ keys: Set<string>; key: string } | { index: number }> = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let end = text.indexOf('"', i + 1);
      // A quote after an odd number of backslashes is inside the string.
      for (;;) {
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 0x5c) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      let next = end + 1;
      while (next < text.length && text.charCodeAt(next) <= 0x20) next++;
      const top = frames.at(-1);
      if (text.charCodeAt(next) === 0x3a && top && "keys" in top) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes("\\") ? (JSON.parse(`"${raw}"`) as string) : raw;
        if (top.keys.has(key)) return [...frames.slice(0, -1).map((f) => ("keys" in f ? f.key : String(f.index))), key].join(".");
        top.keys.add(key);
        top.key = key;
        i = next;
      } else {
        i = end;
      }
    } else if (c === 0x7b) frames.push({ keys: new Set(), key: "" });
    else if (c === 0x5b) frames.push({ index: 0 });
    else if (c === 0x7d || c === 0x5d) frames.pop();
    else if (c === 0x2c) {
      const top = frames.at(-1);
      if (top && "index" in top) top.index++;
    }
  }
  return null;
}
