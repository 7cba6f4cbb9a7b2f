import { randomBytes } from "node:crypto";

/** A short id for a failure, shown to the user and logged beside the error. */
export function newReference(): string {
  return randomBytes(4).toString("hex");
}
