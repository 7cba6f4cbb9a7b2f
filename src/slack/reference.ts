import { currentRequestId, newRequestId } from "../logger.js";

/**
 * A short id for a failure, shown to the user and logged beside the error: the id of the Slack request being handled
 * (every log line of that request carries it as `reqId`), or a new one outside a request.
 */
export function newReference(): string {
  return currentRequestId() ?? newRequestId();
}
