import { z } from "zod";
import { FACT_KINDS, type FactFigure } from "../facts/model.js";
import { PERIOD_FORMS, PeriodError, parsePeriod } from "./period.js";
import { normalizeNewlines, refuseForbiddenText } from "../text-guard.js";

/** A text field through the one guard (NUL, lone surrogates and control characters refused), as in src/facts/jsonl.ts. */
const guarded = () => z.string().transform(normalizeNewlines).superRefine(refuseForbiddenText);

/** A series key: lowercase letters, digits and dashes, e.g. `us-goods-deficit-korea`. */
export const SERIES_KEY = /^[a-z0-9][a-z0-9-]{0,79}$/;

const period = guarded().transform((text, ctx) => {
  try {
    return parsePeriod(text).key;
  } catch (error) {
    ctx.addIssue({ code: "custom", message: error instanceof PeriodError ? error.message : `must be ${PERIOD_FORMS}` });
    return z.NEVER;
  }
});

/**
 * The figure fields of the fact JSON Lines schema (spread into it in src/facts/jsonl.ts, so import, export, the form
 * and the CLI all read them the same way).
 */
export const figureFieldsSchema = {
  value: z.number({ error: "must be a number, like 27.7 (no unit or commas: put the unit in `unit`)" }).finite().optional(),
  unit: guarded()
    .transform((text) => text.replace(/\s+/g, " ").trim())
    .pipe(z.string().min(1, "must not be empty").max(40, "must be at most 40 characters"))
    .optional(),
  period: period.optional(),
  series: guarded()
    .transform((text) => text.trim().toLowerCase())
    .pipe(z.string().regex(SERIES_KEY, "must be a key of lowercase letters, digits and dashes, like us-goods-deficit-korea"))
    .optional(),
};

interface FigureLine {
  kind: string;
  value?: number | undefined;
  unit?: string | undefined;
  period?: string | undefined;
  series?: string | undefined;
}

/**
 * The rules between the figure fields: only a figure carries them; a value needs its unit and a unit its value; a
 * series needs a value and a period (a point on a chart has both).
 */
export function checkFigureFields(line: FigureLine, ctx: z.RefinementCtx): void {
  const present = (["value", "unit", "period", "series"] as const).filter((k) => line[k] !== undefined);
  if (present.length === 0 || !(FACT_KINDS as readonly string[]).includes(line.kind)) return;
  if (line.kind !== "figure") {
    for (const key of present) ctx.addIssue({ code: "custom", path: [key], message: `only a figure has a ${key} (this fact is ${/^[aeiou]/.test(line.kind) ? "an" : "a"} ${line.kind})` });
    return;
  }
  if (line.value !== undefined && line.unit === undefined) ctx.addIssue({ code: "custom", path: ["unit"], message: `is required with a value ("USD billion", "%", "metric tons")` });
  if (line.unit !== undefined && line.value === undefined) ctx.addIssue({ code: "custom", path: ["value"], message: "is required with a unit" });
  if (line.series !== undefined && line.value === undefined && line.unit === undefined) ctx.addIssue({ code: "custom", path: ["value"], message: "is required with a series" });
  if (line.series !== undefined && line.period === undefined) ctx.addIssue({ code: "custom", path: ["period"], message: `is required with a series: ${PERIOD_FORMS}` });
}

/** The figure fields of an export line (absent ones left out). */
export function figureToLine(figure: FactFigure | null | undefined): Record<string, string | number> {
  if (!figure) return {};
  const out: Record<string, string | number> = {};
  if (figure.value !== null) out.value = figure.value;
  if (figure.unit !== null) out.unit = figure.unit;
  if (figure.period !== null) out.period = figure.period;
  if (figure.series !== null) out.series = figure.series;
  return out;
}
