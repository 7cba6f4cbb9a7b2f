import type { KnownBlock, ModalView, Option, PlainTextOption } from "@slack/types";
import type { IsoDate } from "../../facts/dates.js";
import { type FactFormValues, type FormReach, keptOutsideForm } from "../../facts/edit.js";
import { FACT_LIMITS, MAX_TITLE_LENGTH } from "../../facts/jsonl.js";
import type { FactDraft } from "../../facts/from-message.js";
import { FACT_KINDS, type Fact, type FactSource } from "../../facts/model.js";
import { truncate } from "../../render/mrkdwn.js";
import { FACT_BLOCKS as B, INPUT_ACTION, VIEW_IDS } from "../ids.js";
import { initialStateOf, inputBlock, plain } from "./blocks.js";

const option = (text: string, value: string): PlainTextOption => ({ text: plain(truncate(text, 75)), value });

const KIND_LABELS: Record<(typeof FACT_KINDS)[number], string> = {
  event: "Event",
  deadline: "Deadline",
  figure: "Figure",
  position: "Position",
  quote: "Quote",
  note: "Note",
};
/** The fact form's source fields: a title and a URL for each of up to three sources. */
const SOURCE_FIELDS = [
  [B.sourceTitle, B.sourceUrl],
  [B.sourceTitle2, B.sourceUrl2],
  [B.sourceTitle3, B.sourceUrl3],
] as const;

const ACTORS = [
  ["United States", "US"],
  ["Korea", "Korea"],
  ["Both sides", "both"],
  ["A named person or body", "other"],
] as const;

/** What the fact form has room for: three sources, the kind, known (Date of a deadline), figure fields, `after`. */
export const FACT_FORM_REACH: FormReach = { sources: SOURCE_FIELDS.length, fields: new Set(["kind", "known", "figure", "after", "due_kind"]) };

const DUE_KIND_OPTIONS = [option("An obligation: someone must act by then", "obligation"), option("An effective date: it happens by itself", "effective")];

/** What the modal carries in private_metadata. */
export interface FactModalMeta {
  factId?: number;
  channel?: string;
  /** The feed candidate a new fact is saved from, and where its review card is (to show it saved). */
  candidate?: { id: number; channel?: string; ts?: string };
}


/**
 * The add/edit fact modal. `recent` fills the "counts from" menu (Slack allows 100 options); editing fills every
 * field from `fact`.
 */
export function factModal(options: {
  fact?: Fact;
  from?: Pick<Fact, "id" | "date" | "title">;
  recent: ReadonlyArray<Pick<Fact, "id" | "date" | "title">>;
  meta: FactModalMeta;
  /** A new fact's fields filled in (from a message, by the "Save as KORUS fact" shortcut; from a feed candidate, with the day it was published as Known since). */
  draft?: FactDraft & { known?: IsoDate };
}): ModalView {
  const { fact } = options;
  const draft = fact ? undefined : options.draft;
  const isDeadline = fact?.kind === "deadline";
  const actorChoice = fact ? (["US", "Korea", "both"].includes(fact.actor) ? fact.actor : "other") : undefined;
  const kindOptions = FACT_KINDS.map((k) => option(KIND_LABELS[k], k));
  const actorOptions = ACTORS.map(([label, value]) => option(label, value));
  const recent = options.recent.filter((r) => r.id !== fact?.id).slice(0, 100);
  if (options.from && !recent.some((r) => r.id === options.from!.id)) recent.unshift(options.from);
  const fromOptions: Option[] = recent.slice(0, 100).map((r) => option(`${r.date} ${r.title}`, String(r.id)));
  const initialFrom = options.from ? fromOptions.find((o) => o.value === String(options.from!.id)) : undefined;
  // A deadline's Date is the day it was set (its `known`); one stored without shows the day it became visible, which
  // an edit keeps as "no known date" unless the person changes it.
  const ownDate: IsoDate | undefined = fact ? (isDeadline ? (fact.known ?? fact.visibleFrom) : fact.date) : draft?.date;
  const kept = fact ? keptOutsideForm(fact, FACT_FORM_REACH) : [];
  const moreSources = kept.length > 0 && kept[0]!.startsWith("and ") && fact!.sources.length > SOURCE_FIELDS.length ? kept.shift() : undefined;

  const blocks: KnownBlock[] = [
    ...(kept.length > 0 ? [keptNotice(`Kept as stored (this form has no field for them): ${kept.join(" · ")}.`)] : []),
    inputBlock(B.kind, "Kind", {
      type: "static_select",
      options: kindOptions,
      ...(fact ? { initial_option: kindOptions.find((o) => o.value === fact.kind) } : {}),
    }),
    inputBlock(B.date, "Date", { type: "datepicker", ...(ownDate ? { initial_date: ownDate } : {}) }, {
      hint: "The day it happened. For a deadline: the day it was set.",
    }),
    inputBlock(B.title, "Title", {
      type: "plain_text_input",
      max_length: MAX_TITLE_LENGTH,
      ...(fact ? { initial_value: fact.title } : draft?.title ? { initial_value: draft.title } : {}),
    }),
    inputBlock(B.summary, "Summary", { type: "plain_text_input", multiline: true, max_length: FACT_LIMITS.summary, ...(fact?.summary ? { initial_value: fact.summary } : draft?.summary ? { initial_value: draft.summary } : {}) }, {
      optional: true,
      hint: "Markdown: **bold**, _italic_, [links](https://…), lists, > quotes.",
    }),
    inputBlock(B.actor, "Actor", {
      type: "static_select",
      options: actorOptions,
      ...(actorChoice ? { initial_option: actorOptions.find((o) => o.value === actorChoice) } : {}),
    }),
    inputBlock(B.actorName, "Named person or body", {
      type: "plain_text_input",
      max_length: FACT_LIMITS.actor,
      ...(actorChoice === "other" ? { initial_value: fact!.actor } : {}),
    }, { optional: true, hint: "When the actor is a named person or body, e.g. Robert Lighthizer, USTR." }),
    ...SOURCE_FIELDS.flatMap(([titleBlock, urlBlock], i) => {
      const source = fact?.sources[i] ?? draft?.sources[i];
      return [
        inputBlock(titleBlock, i === 0 ? "Source title" : `Source ${i + 1} title`, {
          type: "plain_text_input",
          max_length: FACT_LIMITS.sourceTitle,
          ...(source?.title ? { initial_value: source.title } : {}),
        }, { optional: true, ...(i === 0 ? { hint: "Give a source title, a URL, or both. Up to three sources." } : {}) }),
        inputBlock(urlBlock, i === 0 ? "Source URL" : `Source ${i + 1} URL`, {
          type: "plain_text_input",
          max_length: FACT_LIMITS.url,
          ...(source?.url ? { initial_value: source.url } : {}),
        }, { optional: true }),
      ];
    }),
    ...(moreSources ? [keptNotice(`${moreSources.charAt(0).toUpperCase()}${moreSources.slice(1)}.`)] : []),
    inputBlock(B.known, "Known since", { type: "datepicker", ...(fact?.known && !isDeadline ? { initial_date: fact.known } : draft?.known ? { initial_date: draft.known } : {}) }, {
      optional: true,
      hint: "The day the team could know it: historical views before then leave it out. Empty on a new fact: today. A deadline is known from its Date.",
    }),
    { type: "header", text: plain("For a deadline") },
    { type: "context", elements: [{ type: "mrkdwn", text: "Give a due date, *or* a number of days after another fact (the special session: 30 days after the 12 July request)." }] },
    inputBlock(B.dueDate, "Due date", { type: "datepicker", ...(isDeadline && !fact?.after ? { initial_date: fact!.date } : {}) }, { optional: true }),
    inputBlock(B.dueKind, "Kind of date", { type: "static_select", options: DUE_KIND_OPTIONS, initial_option: DUE_KIND_OPTIONS[isDeadline && fact!.dueKind === "effective" ? 1 : 0] }, {
      optional: true,
      hint: "An obligation is open until a later fact closes it (met, missed…) and overdue after its date; an effective date (entry into force, a quota taking effect) is never overdue.",
    }),
    inputBlock(B.afterDays, "Days after", {
      type: "number_input",
      is_decimal_allowed: false,
      min_value: "-3650",
      max_value: "3650",
      ...(fact?.after ? { initial_value: String(fact.after.days) } : {}),
    }, { optional: true }),
  ];
  if (fromOptions.length > 0) {
    blocks.push(
      inputBlock(B.afterFrom, "Counted from", { type: "static_select", options: fromOptions, ...(initialFrom ? { initial_option: initialFrom } : {}) }, {
        optional: true,
        hint: "The 100 most recent facts.",
      }),
    );
  }
  blocks.push(...figureBlocks(fact));
  blocks.push(
    inputBlock(B.saveAnyway, "Likely duplicates", {
      type: "checkboxes",
      options: [{ text: plain("Save even if it looks like a fact already stored"), value: "yes" }],
    }, { optional: true, hint: "A fact of the same kind within three days and with a similar title is a likely duplicate: the form asks first." }),
  );
  return {
    type: "modal",
    callback_id: fact ? VIEW_IDS.factEdit : VIEW_IDS.factAdd,
    title: plain(fact ? truncate(`Edit fact #${fact.id}`, 24) : "Add a fact"),
    submit: plain("Save"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify({ ...options.meta, ...(fact ? { factId: fact.id } : {}) }),
    blocks,
  };
}

/** A context line saying what the form keeps without showing it (plain text: Slack parses nothing in it). */
function keptNotice(text: string): KnownBlock {
  return { type: "context", elements: [plain(truncate(text, 2000))] };
}

/** The figure fields: a number with its unit, the period it covers and its series (all optional; a figure only). */
function figureBlocks(fact: Fact | undefined): KnownBlock[] {
  const f = fact?.figure;
  const text = (block: string, label: string, max: number, initial: string | null | undefined, hint: string) =>
    inputBlock(block, label, { type: "plain_text_input", max_length: max, ...(initial ? { initial_value: initial } : {}) }, { optional: true, hint });
  return [
    { type: "header", text: plain("For a figure") },
    { type: "context", elements: [{ type: "mrkdwn", text: "A number with its unit and period joins a series that `/korus figures` and `/korus chart` show." }] },
    inputBlock(B.figureValue, "Value", { type: "number_input", is_decimal_allowed: true, ...(f?.value != null ? { initial_value: String(f.value) } : {}) }, {
      optional: true,
      hint: "The number alone, like 27.7; the unit goes below.",
    }),
    text(B.figureUnit, "Unit", 40, f?.unit, "USD billion, %, metric tons… Required with a value."),
    text(B.figurePeriod, "Period", 40, f?.period, "2016, 2018-Q1, 2018-03, or 2018-01/2018-10 for a part year."),
    text(B.figureSeries, "Series", 80, f?.series, "A key like us-goods-deficit-korea: figures with the same key form one series."),
  ];
}

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
  const hidden =
    /^(event|disputed|confidence|topic|retracted|closes|outcome|milestone)\b/.test(path) || (source !== null && (Number(source[1]) >= SOURCE_FIELDS.length || source[2] === "date"));
  if (hidden) return [B.title, fieldMessage(`${path} (kept as stored; this form has no field for it): ${message}`)];
  return [factFieldBlock(path, raw, actorChoice), fieldMessage(message)];
}

/** Capitalizes a schema message for display under a field: "must not be empty" -> "Must not be empty." */
export function fieldMessage(message: string): string {
  const m = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.?!]$/.test(m) ? m : `${m}.`;
}

/** The retract modal: asks why. */
export function retractModal(fact: Pick<Fact, "id" | "title" | "date">, meta: FactModalMeta): ModalView {
  return {
    type: "modal",
    callback_id: VIEW_IDS.factRetract,
    title: plain(truncate(`Retract fact #${fact.id}`, 24)),
    submit: plain("Retract"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify({ ...meta, factId: fact.id }),
    blocks: [
      { type: "section", text: { type: "plain_text", text: `${fact.date}: ${truncate(fact.title, 2900)}` } },
      {
        type: "context",
        elements: [{ type: "mrkdwn", text: "A retracted fact leaves status, search and briefs. It stays in its history and in exports." }],
      },
      inputBlock(B.reason, "Why is it retracted?", { type: "plain_text_input", multiline: true, max_length: 1000 }),
    ],
  };
}
