import { describe, expect, it } from "vitest";
import { MAX_BRIEF_PART } from "../../../src/briefs/messages.js";
import { SLACK_LIMITS } from "../../../src/slack/limits.js";

// The briefs domain sizes its messages without importing Slack; this holds its sizes within Slack's limits (the
// notification text is escaped and cut by the Slack transport: test/integration/delivery-kinds.test.ts).
describe("the brief's message sizes fit Slack", () => {
  it("a thread part leaves 2,000 characters of a message's markdown blocks for the rest", () => {
    expect(MAX_BRIEF_PART).toBeLessThanOrEqual(SLACK_LIMITS.markdownBlockTotal - 2000);
  });
});
