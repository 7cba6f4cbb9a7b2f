/** The `user_change` event: a person the bot shows changed their name (src/slack/people.ts keeps it). */
import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { SlackPeople } from "../people.js";

/** Renames the person if the bot shows them; Bolt has acked the event already, and a retry of it changes nothing. */
export function makeUserChangeHandler(people: SlackPeople) {
  return async ({ event }: SlackEventMiddlewareArgs<"user_change"> & AllMiddlewareArgs): Promise<void> => {
    await people.userChanged(event.user);
  };
}
