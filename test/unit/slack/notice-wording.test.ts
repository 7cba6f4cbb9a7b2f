/** The emoji of a kind's posts is Slack's wording, added by the adapter; the domain's Markdown carries none. */
import { describe, expect, it } from "vitest";
import { ALERT_KIND } from "../../../src/alerts/alert-kind.js";
import { kindMarkdown } from "../../../src/slack/notice-wording.js";

describe("kindMarkdown", () => {
  it("opens a deadline alert with :alarm_clock:, once (a post queued before the emoji moved here keeps one)", () => {
    expect(kindMarkdown(ALERT_KIND, "**Due tomorrow:** Joint Committee")).toBe(":alarm_clock: **Due tomorrow:** Joint Committee");
    expect(kindMarkdown(ALERT_KIND, ":alarm_clock: **Due tomorrow:** Joint Committee")).toBe(":alarm_clock: **Due tomorrow:** Joint Committee");
  });

  it("leaves the other kinds' Markdown as the domain wrote it", () => {
    expect(kindMarkdown("brief", "**Weekly brief**")).toBe("**Weekly brief**");
  });
});
