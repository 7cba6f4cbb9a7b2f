/**
 * The errors whose message is written for the person who caused them: the domain's typed refusals, and a form Slack
 * would not open. Shared by the one app.error and the few places that answer inside a form they opened.
 */
import { BriefError } from "../briefs/brief.js";
import { ScheduleSpecError } from "../briefs/schedule-spec.js";
import { ScheduleError } from "../briefs/schedules.js";
import { FactQueryError } from "../facts/query.js";
import { FactError } from "../facts/service.js";
import { FeedError } from "../feeds/deps.js";
import { MemoError } from "../memos/read.js";
import { describeOpenFailure, FormNotOpened } from "./slack-errors.js";
import { KorusError } from "../errors.js";

/** A refusal in plain words (not yet escaped), with the fields it concerns keyed by the domain's field names. */
export interface Refusal {
  text: string;
  fields: Record<string, string>;
}

/** The refusal an error stands for, or undefined when it is a failure on our side. */
export function refusalOf(error: unknown): Refusal | undefined {
  if (error instanceof MemoError) return { text: error.message, fields: error.details.fields ?? {} };
  if (error instanceof FactError) return { text: error.message, fields: error.fields };
  if (error instanceof ScheduleError) return { text: error.message, fields: error.field ? { [error.field]: error.message } : {} };
  if (error instanceof ScheduleSpecError) return { text: error.message, fields: { [error.field]: error.message } };
  if (error instanceof BriefError || error instanceof FactQueryError) return { text: error.message, fields: {} };
  if (error instanceof FeedError) return { text: error.message, fields: error.field ? { [error.field]: error.message } : {} };
  if (error instanceof FormNotOpened) return { text: `I couldn't open the ${error.form} form: ${describeOpenFailure(error.slackError)}. Please try again.`, fields: {} };
  return undefined;
}

/** An error the person has been told about already (in a form that was open): app.error only logs it. */
export class AlreadyTold extends KorusError<"already_told"> {
  constructor(readonly inner: unknown) {
    super("already_told", "already told the person");
  }
}
