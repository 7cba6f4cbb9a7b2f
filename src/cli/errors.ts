/**
 * The one place the terminal maps errors: every KorusError becomes a message and an exit code (2 for input the
 * command could not use, 1 for a refusal or a failure it could name); anything else is a failure on our side.
 */
import { AlertError } from "../alerts/spec.js";
import { BriefError } from "../briefs/brief.js";
import { ScheduleSpecError } from "../briefs/schedule-spec.js";
import { ScheduleError } from "../briefs/schedules.js";
import { KorusError } from "../errors.js";
import { FactQueryError } from "../facts/query.js";
import { FactError } from "../facts/service.js";
import { MemoError } from "../memos/read.js";
import { TopicError } from "../topics/slug.js";
import { FeedError } from "../feeds/deps.js";
import { CliFailure } from "./facts.js";

/** Exit status for input the command could not use (as for a usage error). */
export const EXIT_INPUT = 2;
/** Exit code of `korus facts add` when the fact looks like a stored one and --anyway was not given. */
export const EXIT_DUPLICATE = 3;

/** What the terminal shows for `error`, or undefined when it is not one of ours (a failure to report as such). */
export function describeError(error: unknown): { message: string; exitCode: number } | undefined {
  if (!(error instanceof KorusError)) return undefined;
  if (error instanceof CliFailure) return { message: error.message, exitCode: error.exitCode };
  if (error instanceof FactError && error.code === "duplicate") {
    return {
      message: `${error.message}\nNothing was added. Run it again with --anyway to add it all the same, or give both facts one --event key if they report the same event.`,
      exitCode: EXIT_DUPLICATE,
    };
  }
  if (error instanceof FactError) {
    const fields = Object.entries(error.fields).map(([field, message]) => `  ${field}: ${message}`);
    return { message: [error.message, ...fields].join("\n"), exitCode: error.code === "invalid" ? EXIT_INPUT : 1 };
  }
  if (error instanceof MemoError) {
    const l = error.code === "conflict" ? error.details.latest : undefined;
    if (l) return { message: `${error.message} Revision ${l.revision} by ${l.byName ?? "someone"} at ${l.at.toISOString()}. Nothing was saved.`, exitCode: 1 };
    return { message: error.message, exitCode: error.code === "invalid" ? EXIT_INPUT : 1 };
  }
  if (error instanceof ScheduleSpecError) return { message: `${error.field}: ${error.message}`, exitCode: EXIT_INPUT };
  if (error instanceof ScheduleError) {
    return { message: error.field ? `${error.field}: ${error.message}` : error.message, exitCode: error.code === "invalid" ? EXIT_INPUT : 1 };
  }
  if (error instanceof BriefError || error instanceof FactQueryError) return { message: error.message, exitCode: EXIT_INPUT };
  if (error instanceof AlertError) return { message: error.field ? `${error.field}: ${error.message}` : error.message, exitCode: error.code === "invalid" ? EXIT_INPUT : 1 };
  if (error instanceof TopicError) return { message: `topic: ${error.message}`, exitCode: error.code === "invalid" ? EXIT_INPUT : 1 };
  if (error instanceof FeedError) return { message: error.field && error.code === "invalid" ? `${error.field}: ${error.message}` : error.message, exitCode: error.code === "invalid" ? EXIT_INPUT : 1 };
  // The data folder in use, a migration that failed, the configuration: the message names the problem.
  return { message: error.message, exitCode: 1 };
}
