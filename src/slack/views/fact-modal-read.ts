/**
 * Reading a submitted fact form: its state values into the fact's fields and the form's answers (what the edit merges),
 * and a stored error back to the block it belongs under. The form itself is built in fact-modal.ts.
 */
import type { IsoDate } from "../../facts/dates.js";
import type { FactFormValues } from "../../facts/edit.js";
import type { FactSource } from "../../facts/model.js";
import { FACT_BLOCKS as B, INPUT_ACTION } from "../ids.js";
import { initialStateOf } from "./blocks.js";
import { SOURCE_FIELDS } from "./fact-modal.js";

/** The state values of a fact form (as `view.state.values`). */
export type StateValues = Record<
  string,
  Record<string, { type?: string; value?: string | null; selected_date?: string | null; selected_option?: { value: string } | null; selected_options?: Array<{ value: string }> | null }>
>;

/** What the modal's fields say, before the fact schema judges them. */
export interface FactModalInput {
  /** The fact JSON Lines object, except `after.from`, which the caller resolves from `afterFromId`. */
  raw: Record<string, unknown>;
  /** The same fields as a form's values (source slots kept in place), for an edit (src/facts/edit.ts). */
  form: FactFormValues;
  afterFromId?: number;
  /** Errors the form itself can tell, keyed by block_id. */
  errors: Record<string, string>;
  /** The user ticked "save even if it looks like a fact already stored". */
  saveAnyway: boolean;
}

/**
 * Reads a submitted fact modal into a fact object, with the errors a form alone can find. `today`: the known date of a
 * new fact whose form leaves "Known since" empty (an edit passes none and keeps the fact known from its date).
 */
export function readFactModal(values: StateValues, today?: IsoDate): FactModalInput {
  const v = (block: string) => values[block]?.[INPUT_ACTION];
  const text = (block: string) => v(block)?.value?.trim() || undefined;
  const errors: Record<string, string> = {};
  const kind = v(B.kind)?.selected_option?.value;
  const date = v(B.date)?.selected_date ?? undefined;
  const actorChoice = v(B.actor)?.selected_option?.value;
  const actorName = text(B.actorName);
  const known = v(B.known)?.selected_date ?? undefined;
  const saveAnyway = (v(B.saveAnyway)?.selected_options ?? []).some((o) => o?.value === "yes");
  const due = v(B.dueDate)?.selected_date ?? undefined;
  const dueKind = v(B.dueKind)?.selected_option?.value;
  const afterDays = text(B.afterDays);
  const afterFrom = v(B.afterFrom)?.selected_option?.value;
  const figure = { value: text(B.figureValue), unit: text(B.figureUnit), period: text(B.figurePeriod), series: text(B.figureSeries) };

  const raw: Record<string, unknown> = {
    kind,
    title: v(B.title)?.value ?? "",
    summary: v(B.summary)?.value ?? "",
    actor: actorChoice === "other" ? (actorName ?? "") : (actorChoice ?? ""),
  };
  const slots: Array<FactSource | null> = SOURCE_FIELDS.map(([titleBlock, urlBlock]) => {
    const title = text(titleBlock);
    const url = text(urlBlock);
    return title || url ? { ...(title ? { title } : {}), ...(url ? { url } : {}) } : null;
  });
  const sources = slots.filter((s): s is FactSource => s !== null);
  raw.sources = sources;
  if (actorChoice === "other" && !actorName) errors[B.actorName] = "Name the person or body.";
  if (sources.length === 0) errors[B.sourceTitle] = "Give a source title or URL.";
  if (!date) errors[B.date] = "Pick a date.";
  // The figure fields go to the fact schema as they are (it says what is wrong with them, under the field).
  if (figure.value !== undefined) {
    const n = Number(figure.value);
    if (Number.isFinite(n)) raw.value = n;
    else errors[B.figureValue] = "A number, like 27.7.";
  }
  if (figure.unit !== undefined) raw.unit = figure.unit;
  if (figure.period !== undefined) raw.period = figure.period;
  if (figure.series !== undefined) raw.series = figure.series;

  let afterFromId: number | undefined;
  if (kind === "deadline") {
    raw.known = date;
    if (afterDays !== undefined || afterFrom !== undefined) {
      if (afterDays === undefined) errors[B.afterDays] = "How many days after the fact below?";
      else if (!/^-?\d+$/.test(afterDays)) errors[B.afterDays] = "A whole number of days.";
      if (afterFrom === undefined) errors[B.afterFrom] = "Which fact does it count from?";
      if (due) errors[B.dueDate] = "Give a due date or days after a fact, not both.";
      if (afterDays !== undefined && /^-?\d+$/.test(afterDays) && afterFrom !== undefined) {
        afterFromId = Number(afterFrom);
        raw.after = { days: Number(afterDays), from: { date: "1970-01-01", title: "(resolved by the caller)" } };
      }
    } else if (due) {
      raw.date = due;
    } else {
      errors[B.dueDate] = "A deadline needs a due date, or a number of days after another fact.";
    }
    if (known) errors[B.known] = "A deadline is known from its Date (the day it was set); leave this empty.";
    if (dueKind === "effective") raw.due_kind = "effective";
  } else {
    raw.date = date;
    // History without hindsight: what the team enters today was known today, unless the form says since when.
    // Known before its date is a fact of its own (a meeting known to be scheduled): the fact schema judges `known`.
    if (known ?? today) raw.known = known ?? today;
    if (due) errors[B.dueDate] = "Only a deadline has a due date.";
    if (dueKind === "effective") errors[B.dueKind] = "Only a deadline has a kind of date; pick An obligation, or make it a deadline.";
    if (afterDays !== undefined || afterFrom !== undefined) errors[afterDays !== undefined ? B.afterDays : B.afterFrom] = "Only a deadline counts from another fact.";
  }
  const form: FactFormValues = { sources: slots };
  for (const key of ["kind", "date", "known", "title", "summary", "actor", "value", "unit", "period", "series", "due_kind"] as const) {
    if (raw[key] !== undefined) (form as Record<string, unknown>)[key] = raw[key];
  }
  if (afterFromId !== undefined) form.after = { days: Number(afterDays), fromId: afterFromId };
  return { raw, form, afterFromId, errors, saveAnyway };
}

/**
 * What an edit form showed, as the state values it submits untouched: from the view's blocks (the `view.blocks` Slack
 * sends back with a submission hold the initial values as they were shown). Read by the same reader as the submission
 * (readFactModal), a field left alone compares equal whatever the form could or could not show of the stored value.
 * Undefined when the blocks hold no fact form.
 */
export function shownFactState(blocks: unknown): StateValues | undefined {
  const state = initialStateOf(blocks);
  return state[B.kind] && state[B.title] ? (state as StateValues) : undefined;
}

/** Where an error about a fact field (a JSON Lines path) shows in the modal. */
export function factFieldBlock(path: string, raw: Record<string, unknown>, actorChoice?: string): string {
  const isDeadline = raw.kind === "deadline";
  if (path === "title") return B.title;
  if (path === "summary") return B.summary;
  if (path === "kind") return B.kind;
  if (path === "actor") return actorChoice === "other" ? B.actorName : B.actor;
  const source = /^sources\.(\d+)(?:\.(\w+))?/.exec(path);
  if (source) {
    const fields = SOURCE_FIELDS[Math.min(Number(source[1]), SOURCE_FIELDS.length - 1)]!;
    return source[2] === "url" ? fields[1] : fields[0];
  }
  if (path.startsWith("source")) return B.sourceTitle;
  if (path === "known") return isDeadline ? B.date : B.known;
  if (path === "date") return isDeadline ? (raw.after ? B.afterDays : B.dueDate) : B.date;
  if (path === "after.days") return B.afterDays;
  if (path.startsWith("after")) return B.afterFrom;
  if (path === "due_kind") return B.dueKind;
  if (path === "value") return B.figureValue;
  if (path === "unit") return B.figureUnit;
  if (path === "period") return B.figurePeriod;
  if (path === "series") return B.figureSeries;
  return B.title;
}

/**
 * Where an error about a fact field shows in the modal, with its message: a field the form does not show (an event
 * key, another reading, a fourth source, a source's date) is named under the title, so the person knows what is at
 * fault in what the form kept.
 */
export function factFieldError(path: string, message: string, raw: Record<string, unknown>, actorChoice?: string): [string, string] {
  const source = /^sources\.(\d+)(?:\.(\w+))?/.exec(path);
  const hidden = /^(event|disputed|confidence|topic|retracted|closes|outcome|milestone)\b/.test(path) || (source !== null && (Number(source[1]) >= SOURCE_FIELDS.length || source[2] === "date"));
  if (hidden) return [B.title, fieldMessage(`${path} (kept as stored; this form has no field for it): ${message}`)];
  return [factFieldBlock(path, raw, actorChoice), fieldMessage(message)];
}

/** Capitalizes a schema message for display under a field: "must not be empty" -> "Must not be empty." */
export function fieldMessage(message: string): string {
  const m = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.?!]$/.test(m) ? m : `${m}.`;
}
