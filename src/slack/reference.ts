import { type Logger, newRequestId } from "../logger.js";

/** What the request-log middleware keeps in Bolt's context for the rest of the request. */
interface RequestContext {
  /** The request's id: on its log lines, and shown to the user as a failure's reference. */
  reqId?: unknown;
  /** The logger whose lines carry `reqId`. */
  log?: unknown;
}

/**
 * A short id for a failure, shown to the user and logged beside the error: the id of the Slack request being handled
 * (the lines logged about that request carry it as `reqId`), or a new one outside a request.
 */
export function newReference(context?: object): string {
  const reqId = (context as RequestContext | undefined)?.reqId;
  return typeof reqId === "string" ? reqId : newRequestId();
}

/** The logger of the request being handled (its lines carry the request's `reqId`), or `fallback` outside one. */
export function requestLogger(context: object | undefined, fallback: Logger): Logger {
  return ((context as RequestContext | undefined)?.log as Logger | undefined) ?? fallback;
}
