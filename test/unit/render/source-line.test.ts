import { describe, expect, test } from "vitest";
import { archiveNoteText, sourceLine } from "../../../src/render/source-line.js";

describe("a dead link in a list of sources", () => {
  const archive = { id: 8, deadSince: "2026-12-09", reason: "HTTP 404 Not Found", fetchedOn: "2026-12-07" };

  test("is printed with its archived copy, or says there is none", () => {
    expect(sourceLine({ number: 1, title: "NBC News", url: "https://www.nbcnews.com/x", date: "2024-12-06", archive })).toBe(
      "1. [NBC News](https://www.nbcnews.com/x) (2024-12-06) — dead link since 2026-12-09 (HTTP 404 Not Found); archived copy, fetched 2026-12-07 (korus sources show 8)",
    );
    expect(archiveNoteText({ ...archive, fetchedOn: null, reason: null })).toBe("dead link since 2026-12-09; no archived copy");
  });

  test("a live link prints as before, and a hostile title stays text", () => {
    expect(sourceLine({ number: 2, title: "<!channel> [x](https://evil.example)", url: "https://ustr.gov/a" })).toBe("2. [&lt;!channel&gt; \\[x\\]\\(https\\://evil.example)](https://ustr.gov/a)");
  });
});
