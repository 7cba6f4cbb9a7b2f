import { z } from "zod";
import { isIsoDate, type IsoDate } from "./dates.js";
import { FACT_KINDS, type Fact, type FactSource, normalizeActor } from "./model.js";
import { figureFieldsSchema, checkFigureFields, figureToLine } from "../figures/fields.js";

/** Longest title a fact may have (it must fit a Slack header block of 150 characters). */
export const MAX_TITLE_LENGTH = 150;

const isoDate = z.string().refine(isIsoDate, "must be a calendar date YYYY-MM-DD");
const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

/** "title", "https://url", or "title https://url". */
function parseSourceString(text: string): FactSource {
  const match = /(https?:\/\/\S+)\s*$/.exec(text.trim());
  if (!match) return { title: text.trim() };
  const title = text.trim().slice(0, match.index).trim().replace(/[-–—:,]\s*$/, "").trim();
  return title ? { title, url: match[1] } : { url: match[1] };
}

const sourceSchema = z.union([
  z
    .string()
    .trim()
    .min(1, "must name a title or URL")
    .transform(parseSourceString)
    .pipe(z.object({ title: z.string().optional(), url: httpUrl.optional() })),
  z
    .strictObject({ title: z.string().trim().min(1).optional(), url: httpUrl.optional() })
    .refine((s) => s.title !== undefined || s.url !== undefined, "must have a title or a url"),
]);

/**
 * One line of the fact JSON Lines format (../shared/DESIGN.md): the single schema that import, export and the modal use.
 */
export const factLineSchema = z
  .strictObject({
    date: isoDate.optional(),
    title: z.string().trim().min(1, "must not be empty").max(MAX_TITLE_LENGTH, `must be at most ${MAX_TITLE_LENGTH} characters`),
    summary: z.string().default(""),
    kind: z.enum(FACT_KINDS, { error: `must be one of ${FACT_KINDS.join(", ")}` }),
    actor: z.string().trim().min(1, "must not be empty").max(200).transform(normalizeActor),
    source: sourceSchema,
    known: isoDate.optional(),
    after: z
      .strictObject({
        days: z.number().int("must be a whole number of days").min(-3650).max(3650),
        from: z.strictObject({ date: isoDate, title: z.string().trim().min(1) }),
      })
      .optional(),
    ...figureFieldsSchema,
    confidence: z.enum(["confirmed", "inferred"]).default("confirmed"),
    topic: z.string().trim().min(1).default("korus"),
    /** Present only in `export --include-retracted`: the fact was withdrawn, and why. */
    retracted: z
      .strictObject({ at: z.iso.datetime({ offset: true }).optional(), by: z.string().optional(), reason: z.string().trim().min(1, "must say why") })
      .optional(),
  })
  // The figure rules run even when another field failed, so a form shows every figure problem at once.
  .superRefine((line, ctx) => checkFigureFields(line, ctx), { when: (payload) => typeof payload.value === "object" && payload.value !== null })
  .superRefine((line, ctx) => {
    if (line.after && line.kind !== "deadline") {
      ctx.addIssue({ code: "custom", path: ["after"], message: "only a deadline can be relative to another fact" });
    }
    if (!line.after && !line.date) {
      ctx.addIssue({ code: "custom", path: ["date"], message: "is required (or give `after` for a relative deadline)" });
    }
    if (line.kind === "deadline" && line.date && line.known && line.date < line.known) {
      ctx.addIssue({ code: "custom", path: ["date"], message: `the due date ${line.date} is before the fact's own date ${line.known}` });
    }
  });

/** A validated line. `date` may be absent only when `after` computes it. */
export type FactLine = z.infer<typeof factLineSchema>;

/** One problem on one line of a JSON Lines file. */
export interface LineError {
  line: number;
  field: string;
  message: string;
}

/** Parses JSON Lines text; blank lines and lines starting with `//` are skipped. Collects every bad line. */
export function parseFactLines(text: string): { facts: Array<FactLine & { line: number }>; errors: LineError[] } {
  const facts: Array<FactLine & { line: number }> = [];
  const errors: LineError[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("//")) return;
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch (error) {
      errors.push({ line, field: "(line)", message: `is not valid JSON: ${(error as Error).message}` });
      return;
    }
    const parsed = factLineSchema.safeParse(json);
    if (parsed.success) {
      facts.push({ ...parsed.data, line });
    } else {
      for (const issue of parsed.error.issues) {
        const field = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : issue.path.join(".") || "(line)";
        const message = issue.code === "unrecognized_keys" ? "is not a known field" : issue.message;
        errors.push({ line, field, message });
      }
    }
  });
  return { facts, errors };
}

/** A fact as one JSON Lines object (the export format); `from` is the fact a relative deadline counts from. */
export function factToLine(fact: Fact, from?: { date: IsoDate; title: string }, retraction?: FactLine["retracted"]): string {
  const line: Record<string, unknown> = {
    date: fact.date,
    title: fact.title,
    summary: fact.summary,
    kind: fact.kind,
    actor: fact.actor,
    source: fact.source.url && fact.source.title ? fact.source : (fact.source.url ?? fact.source.title),
  };
  if (fact.known) line.known = fact.known;
  Object.assign(line, figureToLine(fact.figure));
  if (fact.after && from) line.after = { days: fact.after.days, from };
  if (fact.confidence !== "confirmed") line.confidence = fact.confidence;
  if (fact.topic !== "korus") line.topic = fact.topic;
  if (retraction) line.retracted = retraction;
  return JSON.stringify(line);
}
