import type { KnownBlock, ModalView, Option, PlainTextOption } from "@slack/types";
import type { IsoDate } from "../../facts/dates.js";
import { type FormReach, keptOutsideForm } from "../../facts/edit.js";
import { FACT_LIMITS, MAX_TITLE_LENGTH } from "../../facts/jsonl.js";
import type { FactDraft } from "../message-draft.js";
import { FACT_KINDS, type Fact } from "../../facts/model.js";
import { truncate } from "../../render/mrkdwn.js";
import { FACT_BLOCKS as B, VIEW_IDS } from "../ids.js";
import { inputBlock, plain } from "./blocks.js";

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
export const SOURCE_FIELDS = [
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
    inputBlock(
      B.date,
      "Date",
      { type: "datepicker", ...(ownDate ? { initial_date: ownDate } : {}) },
      {
        hint: "The day it happened. For a deadline: the day it was set.",
      },
    ),
    inputBlock(B.title, "Title", {
      type: "plain_text_input",
      max_length: MAX_TITLE_LENGTH,
      ...(fact ? { initial_value: fact.title } : draft?.title ? { initial_value: draft.title } : {}),
    }),
    inputBlock(
      B.summary,
      "Summary",
      { type: "plain_text_input", multiline: true, max_length: FACT_LIMITS.summary, ...(fact?.summary ? { initial_value: fact.summary } : draft?.summary ? { initial_value: draft.summary } : {}) },
      {
        optional: true,
        hint: "Markdown: **bold**, _italic_, [links](https://…), lists, > quotes.",
      },
    ),
    inputBlock(B.actor, "Actor", {
      type: "static_select",
      options: actorOptions,
      ...(actorChoice ? { initial_option: actorOptions.find((o) => o.value === actorChoice) } : {}),
    }),
    inputBlock(
      B.actorName,
      "Named person or body",
      {
        type: "plain_text_input",
        max_length: FACT_LIMITS.actor,
        ...(actorChoice === "other" ? { initial_value: fact!.actor } : {}),
      },
      { optional: true, hint: "When the actor is a named person or body, e.g. Robert Lighthizer, USTR." },
    ),
    ...SOURCE_FIELDS.flatMap(([titleBlock, urlBlock], i) => {
      const source = fact?.sources[i] ?? draft?.sources[i];
      return [
        inputBlock(
          titleBlock,
          i === 0 ? "Source title" : `Source ${i + 1} title`,
          {
            type: "plain_text_input",
            max_length: FACT_LIMITS.sourceTitle,
            ...(source?.title ? { initial_value: source.title } : {}),
          },
          { optional: true, ...(i === 0 ? { hint: "Give a source title, a URL, or both. Up to three sources." } : {}) },
        ),
        inputBlock(
          urlBlock,
          i === 0 ? "Source URL" : `Source ${i + 1} URL`,
          {
            type: "plain_text_input",
            max_length: FACT_LIMITS.url,
            ...(source?.url ? { initial_value: source.url } : {}),
          },
          { optional: true },
        ),
      ];
    }),
    ...(moreSources ? [keptNotice(`${moreSources.charAt(0).toUpperCase()}${moreSources.slice(1)}.`)] : []),
    inputBlock(
      B.known,
      "Known since",
      { type: "datepicker", ...(fact?.known && !isDeadline ? { initial_date: fact.known } : draft?.known ? { initial_date: draft.known } : {}) },
      {
        optional: true,
        hint: "The day the team could know it: historical views before then leave it out. Empty on a new fact: today. A deadline is known from its Date.",
      },
    ),
    { type: "header", text: plain("For a deadline") },
    { type: "context", elements: [{ type: "mrkdwn", text: "Give a due date, *or* a number of days after another fact (the special session: 30 days after the 12 July request)." }] },
    inputBlock(B.dueDate, "Due date", { type: "datepicker", ...(isDeadline && !fact?.after ? { initial_date: fact!.date } : {}) }, { optional: true }),
    inputBlock(
      B.dueKind,
      "Kind of date",
      { type: "static_select", options: DUE_KIND_OPTIONS, initial_option: DUE_KIND_OPTIONS[isDeadline && fact!.dueKind === "effective" ? 1 : 0] },
      {
        optional: true,
        hint: "An obligation is open until a later fact closes it (met, missed…) and overdue after its date; an effective date (entry into force, a quota taking effect) is never overdue.",
      },
    ),
    inputBlock(
      B.afterDays,
      "Days after",
      {
        type: "number_input",
        is_decimal_allowed: false,
        min_value: "-3650",
        max_value: "3650",
        ...(fact?.after ? { initial_value: String(fact.after.days) } : {}),
      },
      { optional: true },
    ),
  ];
  if (fromOptions.length > 0) {
    blocks.push(
      inputBlock(
        B.afterFrom,
        "Counted from",
        { type: "static_select", options: fromOptions, ...(initialFrom ? { initial_option: initialFrom } : {}) },
        {
          optional: true,
          hint: "The 100 most recent facts.",
        },
      ),
    );
  }
  blocks.push(...figureBlocks(fact));
  blocks.push(
    inputBlock(
      B.saveAnyway,
      "Likely duplicates",
      {
        type: "checkboxes",
        options: [{ text: plain("Save even if it looks like a fact already stored"), value: "yes" }],
      },
      { optional: true, hint: "A fact of the same kind within three days and with a similar title is a likely duplicate: the form asks first." },
    ),
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
    inputBlock(
      B.figureValue,
      "Value",
      { type: "number_input", is_decimal_allowed: true, ...(f?.value != null ? { initial_value: String(f.value) } : {}) },
      {
        optional: true,
        hint: "The number alone, like 27.7; the unit goes below.",
      },
    ),
    text(B.figureUnit, "Unit", 40, f?.unit, "USD billion, %, metric tons… Required with a value."),
    text(B.figurePeriod, "Period", 40, f?.period, "2016, 2018-Q1, 2018-03, or 2018-01/2018-10 for a part year."),
    text(B.figureSeries, "Series", 80, f?.series, "A key like us-goods-deficit-korea: figures with the same key form one series."),
  ];
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
