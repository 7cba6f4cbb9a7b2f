/**
 * The one base of the errors the bot raises on purpose. Each carries a stable `code`; the adapters map them to what a
 * person reads in one place each (src/slack/error-handler.ts for Slack, src/cli/errors.ts for the terminal). An error
 * that is not a KorusError is a failure on our side.
 */
export class KorusError<C extends string = string> extends Error {
  constructor(
    readonly code: C,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}
