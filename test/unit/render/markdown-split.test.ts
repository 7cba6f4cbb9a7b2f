import { describe, expect, it } from "vitest";
import { splitMarkdown } from "../../../src/render/markdown-split.js";

describe("splitMarkdown", () => {
  it("leaves a short document whole", () => {
    expect(splitMarkdown("# Title\n\nText.\n", 1000)).toEqual(["# Title\n\nText."]);
    expect(splitMarkdown("  \n", 1000)).toEqual([]);
  });

  it("splits a long document between blocks, before a heading when the piece is half full, each piece within the limit", () => {
    const section = (n: number) => `## Section ${n}\n\n${Array.from({ length: 12 }, (_, i) => `- item ${n}.${i} ${"x".repeat(40)}`).join("\n")}`;
    const doc = Array.from({ length: 10 }, (_, i) => section(i)).join("\n\n");
    const pieces = splitMarkdown(doc, 1500);
    expect(pieces.length).toBeGreaterThan(3);
    for (const piece of pieces) {
      expect(piece.length).toBeLessThanOrEqual(1500);
      expect(piece.startsWith("## Section ")).toBe(true);
    }
    expect(pieces.join("\n\n")).toBe(doc);
  });

  it("never splits a fenced code block that fits, and cuts an overlong line as a last resort", () => {
    const fence = `\`\`\`\n${Array.from({ length: 20 }, (_, i) => `line ${i}`).join("\n\n")}\n\`\`\``;
    const doc = `${"a".repeat(150)}\n\n${fence}\n\n${"b".repeat(150)}`;
    const pieces = splitMarkdown(doc, 200);
    expect(pieces).toContain(fence);
    const long = splitMarkdown("z".repeat(450), 200);
    expect(long.map((p) => p.length)).toEqual([200, 200, 50]);
  });
});
