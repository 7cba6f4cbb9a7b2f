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
      expect(out).toContain("&lt;!channel&gt; \\[x\\](https://evil)");
    }
    expect(memoMarkdown(memo, "UTC", names)).toContain("Purpose \\[y\\](https://evil)");
  });
});
