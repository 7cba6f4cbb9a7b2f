import { KorusError } from "../errors.js";

/** Thrown for a command that was understood but could not be done; the message is for the user. */
export class CliFailure extends KorusError<"cli_failure"> {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super("cli_failure", message);
  }
}
