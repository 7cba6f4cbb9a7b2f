import { describe, expect, it } from "vitest";
import { sourcePagesMarkdown, sourcePageText } from "../../../src/feeds/markdown.js";
import type { SourcePageView } from "../../../src/sources/archive.js";

// 03:00 UTC on the 8th is still the 7th in New York: a day shown to the team is its own day, not UTC's.
const LATE_EVENING_NY = new Date("2026-12-08T03:00:00Z");

const page: SourcePageView = {
  id: 4,
  url: "https://example.org/a",
  state: "archived",
  attempts: 1,
  fetchedAt: LATE_EVENING_NY,
  finalUrl: null,
  contentType: "text/html",
  title: "A",
  byline: null,
  siteName: null,
  text: "text",
  contentHash: null,
  bytes: 10,
  lastError: null,
  checkedAt: LATE_EVENING_NY,
  deadSince: LATE_EVENING_NY,
  deadReason: "HTTP 404 Not Found",
  checkDetail: null,
};

describe("days in the feeds' and sources' Markdown", () => {
  it("shows when a link died as the team's day (time-zone module), in the list and the page alike", () => {
    expect(sourcePagesMarkdown([page], 1, { archived: 1 }, "America/New_York")).toContain("**dead** since 2026-12-07 (HTTP 404 Not Found)");
    expect(sourcePageText(page, "America/New_York")).toContain("Link: DEAD since 2026-12-07 (HTTP 404 Not Found)");
    expect(sourcePageText(page, "Asia/Seoul")).toContain("Link: DEAD since 2026-12-08 (HTTP 404 Not Found)");
  });
});
