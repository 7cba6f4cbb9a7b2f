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

const CONNECTION_LOST = /\b(ENOENT|ECONNREFUSED|ECONNRESET|EPIPE)\b|Connection terminated|Can't reach database server|server closed the connection/i;

/**
 * A failure that is not one of ours, in one line a person can read: a lost database connection (the bot holding the
 * data folder stopped between the command's start and its query) says so and what to do; anything else gives the
 * last line of its message (a Prisma error's first lines repeat the call that failed) and where the details are.
 */
export function describeFailure(error: unknown): string {
  const messages: string[] = [];
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) messages.push(e.message);
  const all = messages.join("\n");
  if (CONNECTION_LOST.test(all)) {
    return "failed: the connection to the database was lost (the bot holding the data folder may have just stopped, or the database is down); run the command again";
  }
  const lines = all
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const last = lines.at(-1) ?? String(error);
  return `failed: ${last.length > 300 ? `${last.slice(0, 299)}…` : last} (LOG_LEVEL=debug shows the details)`;
}

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
