import { describe, expect, it } from "vitest";
import { memoListMarkdown, memoMarkdown } from "../../../src/memos/markdown.js";
import type { MemoView } from "../../../src/memos/read.js";

const HOSTILE = "<!channel> [x](https://evil)";

const memo = {
  id: 1,
  title: HOSTILE,
  templateTitle: "Prep *memo*",
  createdBy: "U1",
  dueAt: null,
  state: "open",
  version: 0,
  lockedAt: null,
  approvals: [],
  sections: [{ key: "purpose", title: "Purpose [y](https://evil)", required: true, ownerId: null, state: "waiting", revision: 0 }],
} as unknown as MemoView;

describe("memo Markdown for the terminal", () => {
  it("escapes a memo's title, its template's and its sections' in the list and in one memo", () => {
    const names = { label: (id: string) => id } as never;
    for (const out of [memoListMarkdown([memo], "UTC"), memoMarkdown(memo, "UTC", names)]) {
      expect(out).not.toContain("<!channel>");
      expect(out).not.toMatch(/[^\\]\]\(https:\/\/evil\)/);
      expect(out).toContain("&lt;!channel&gt; \\[x\\](https\\://evil)");
    }
    expect(memoMarkdown(memo, "UTC", names)).toContain("Purpose \\[y\\](https\\://evil)");
  });

  it("says a memo's due time as a reader would: `due <when>`, or `no due time` (never `due no due time`)", () => {
    const names = { label: (id: string) => id } as never;
    for (const out of [memoListMarkdown([memo], "UTC"), memoMarkdown(memo, "UTC", names)]) {
      expect(out).toContain(" · no due time · ");
      expect(out).not.toContain("due no due");
    }
    const dated = { ...memo, dueAt: new Date("2017-08-11T21:00:00Z") } as MemoView;
    expect(memoListMarkdown([dated], "America/New_York")).toContain(" · due 2017-08-11, 17:00 (America/New_York) · ");
  });
});
