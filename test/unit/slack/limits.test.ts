import { describe, expect, it } from "vitest";
import { MAX_BRIEF_PART, MAX_MESSAGE_TEXT } from "../../../src/briefs/messages.js";
import { SLACK_LIMITS } from "../../../src/slack/limits.js";

// The briefs domain sizes its messages without importing Slack; these hold its sizes within Slack's limits.
describe("the brief's message sizes fit Slack", () => {
  it("a thread part leaves 2,000 characters of a message's markdown blocks for the rest", () => {
    expect(MAX_BRIEF_PART).toBeLessThanOrEqual(SLACK_LIMITS.markdownBlockTotal - 2000);
  });
  it("the notification text is within Slack's text limit", () => {
    expect(MAX_MESSAGE_TEXT).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
  });
});
