/**
 * "Mark met by…": the form that records a deadline's outcome (met, missed, extended, withdrawn) and the fact that
 * closes it: one on record, or a new one (its day, title and source). Pure builders and the reader of the submission.
 */
import type { KnownBlock, ModalView, PlainTextOption } from "@slack/types";
import type { CloseInput } from "../../facts/close.js";
import { isIsoDate } from "../../facts/dates.js";
import { FACT_LIMITS } from "../../facts/jsonl.js";
import { dayLabel } from "../../facts/labels.js";
import type { Fact, Outcome } from "../../facts/model.js";
import { dueKindOf } from "../../facts/outcomes.js";
import { truncate } from "../../render/mrkdwn.js";
import { FACT_BLOCKS as B, INPUT_ACTION, VIEW_IDS } from "../ids.js";
import { inputBlock, plain } from "./blocks.js";
import type { FactModalMeta } from "./fact-modal.js";
import type { StateValues } from "./fact-modal-read.js";

const OUTCOME_LABELS: Record<Outcome, string> = {
  met: "Met (on time or late)",
  missed: "Missed",
  extended: "Extended to a new due date",
  withdrawn: "Withdrawn",
};

const option = (text: string, value: string): PlainTextOption => ({ text: plain(truncate(text, 75)), value });

/**
 * The close form of `deadline`. `candidates` fill "Closed by a fact on record" (Slack allows 100 options): facts of its
 * topic dated from the day it became known. An effective date (it happens by itself) can be extended or withdrawn only.
 */
export function closeModal(deadline: Fact, candidates: ReadonlyArray<Pick<Fact, "id" | "date" | "title" | "kind">>, meta: FactModalMeta, state?: string): ModalView {
  const outcomes: Outcome[] = dueKindOf(deadline) === "effective" ? ["extended", "withdrawn"] : ["met", "missed", "extended", "withdrawn"];
  const outcomeOptions = outcomes.map((o) => option(OUTCOME_LABELS[o], o));
  const byOptions = candidates.slice(0, 100).map((c) => option(`#${c.id} ${c.date} ${c.kind === "deadline" ? "(deadline) " : ""}${c.title}`, String(c.id)));
  const blocks: KnownBlock[] = [
    {
      type: "section",
      text: plain(truncate(`#${deadline.id} ${deadline.title}: ${dueKindOf(deadline) === "effective" ? "on" : "due"} ${dayLabel(deadline.date)}${state ? ` (${state} today)` : ""}.`, 3000)),
    },
    inputBlock(B.outcome, "Outcome", { type: "static_select", options: outcomeOptions, initial_option: outcomeOptions[0] }),
    { type: "header", text: plain("Closed by a fact on record") },
    ...(byOptions.length > 0
      ? [
          inputBlock(
            B.closedBy,
            "Fact",
            { type: "static_select", options: byOptions },
            {
              optional: true,
              hint: "The event that met it (the first session held, the report delivered). For Extended: the new deadline.",
            },
          ),
        ]
      : [{ type: "context" as const, elements: [plain("No fact of this topic dated since the deadline was set is on record: record a new one below.")] }]),
    { type: "header", text: plain("…or record it as a new fact") },
    inputBlock(B.closedOn, "On", { type: "datepicker" }, { optional: true, hint: "The day it was met, missed or withdrawn; for Extended, the day the new date was agreed." }),
    inputBlock(B.newDue, "New due date", { type: "datepicker" }, { optional: true, hint: "For Extended: the new deadline's due date." }),
    inputBlock(
      B.title,
      "Title",
      { type: "plain_text_input", max_length: FACT_LIMITS.title },
      {
        optional: true,
        hint: `Empty: “Met: ${truncate(deadline.title, 60)}” (or Missed, Withdrawn, “… (extended to DATE)”).`,
      },
    ),
    inputBlock(B.sourceTitle, "Source title", { type: "plain_text_input", max_length: FACT_LIMITS.sourceTitle }, { optional: true, hint: "What says so: a title, a URL, or both." }),
    inputBlock(B.sourceUrl, "Source URL", { type: "plain_text_input", max_length: FACT_LIMITS.url }, { optional: true }),
  ];
  return {
    type: "modal",
    callback_id: VIEW_IDS.factClose,
    title: plain(truncate(`Close deadline #${deadline.id}`, 24)),
    submit: plain("Save"),
    close: plain("Cancel"),
    private_metadata: JSON.stringify({ ...meta, factId: deadline.id }),
    blocks,
  };
}

/** What the close form says, as the close service's input, with the errors the form alone can tell (by block_id). */
export function readCloseModal(values: StateValues): { input?: CloseInput; errors: Record<string, string> } {
  const v = (block: string) => values[block]?.[INPUT_ACTION];
  const text = (block: string) => v(block)?.value?.trim() || undefined;
  const errors: Record<string, string> = {};
  const outcome = v(B.outcome)?.selected_option?.value;
  const by = v(B.closedBy)?.selected_option?.value;
  const on = v(B.closedOn)?.selected_date ?? undefined;
  const newDue = v(B.newDue)?.selected_date ?? undefined;
  const title = text(B.title);
  const sourceTitle = text(B.sourceTitle);
  const sourceUrl = text(B.sourceUrl);
  if (outcome !== "met" && outcome !== "missed" && outcome !== "extended" && outcome !== "withdrawn") errors[B.outcome] = "Pick an outcome.";
  const byId = by !== undefined && /^\d{1,9}$/.test(by) ? Number(by) : undefined;
  if (by !== undefined && byId === undefined) errors[B.closedBy] = "Pick a fact from the list.";
  const newFact = on !== undefined || newDue !== undefined || title !== undefined || sourceTitle !== undefined || sourceUrl !== undefined;
  if (byId !== undefined && newFact) errors[B.closedBy] = "Pick a fact on record, or fill in a new one below: not both.";
  else if (byId === undefined && by === undefined && !newFact) errors[B.closedBy] = "Pick the fact that closes it, or record a new one below.";
  if (byId === undefined && newFact) {
    if (!on) errors[B.closedOn] = "The day it happened.";
    else if (!isIsoDate(on)) errors[B.closedOn] = "A date.";
    if (!sourceTitle && !sourceUrl) errors[B.sourceTitle] = "Give a source title or URL.";
    if (outcome === "extended" && !newDue) errors[B.newDue] = "The new due date.";
  }
  if (newDue !== undefined && outcome !== "extended") errors[B.newDue] = "Only for Extended.";
  if (Object.keys(errors).length > 0) return { errors };
  const input: CloseInput = { outcome: outcome as Outcome };
  if (byId !== undefined) input.byFactId = byId;
  else {
    input.on = on!;
    if (newDue) input.newDue = newDue;
    if (title) input.title = title;
    input.sources = [{ ...(sourceTitle ? { title: sourceTitle } : {}), ...(sourceUrl ? { url: sourceUrl } : {}) }];
  }
  return { input, errors };
}

/** Where an error of the close service (a field of the close input or of the new fact) shows in the close form. */
export function closeFieldBlock(field: string): string {
  if (field === "outcome") return B.outcome;
  if (field === "by" || field === "id" || field === "closes") return B.closedBy;
  if (field === "on" || field === "known") return B.closedOn;
  if (field === "to" || field === "date") return B.newDue;
  if (field.startsWith("source")) return /url/.test(field) ? B.sourceUrl : B.sourceTitle;
  return B.title;
}
