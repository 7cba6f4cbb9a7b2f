import { expect } from "vitest";
import { SLACK_LIMITS } from "../../src/slack/limits.js";

type Block = { type: string; text?: { text: string; type: string }; elements?: Array<{ text?: string }>; fields?: Array<{ text: string }> };

/** Asserts a message's blocks keep to Block Kit's limits (PLATFORM.md). */
export function expectWithinBlockLimits(message: { blocks?: unknown; text?: unknown }): void {
  const blocks = message.blocks as Block[];
  expect(Array.isArray(blocks)).toBe(true);
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
  for (const block of blocks) {
    if (block.type === "header") expect(block.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (block.type === "section" && block.text) expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    if (block.type === "section" && block.fields) {
      expect(block.fields.length).toBeLessThanOrEqual(10);
      for (const f of block.fields) expect(f.text.length).toBeLessThanOrEqual(2000);
    }
    if (block.type === "context") {
      expect(block.elements!.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
      for (const e of block.elements!) expect((e.text ?? "").length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    }
    if (block.type === "actions") expect(block.elements!.length).toBeLessThanOrEqual(SLACK_LIMITS.actionsElements);
  }
  expect(typeof message.text).toBe("string");
  expect((message.text as string).length).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
}

/** All the visible text of a message's blocks, joined, for content assertions. */
export function blocksText(message: { blocks?: unknown }): string {
  const blocks = (message.blocks ?? []) as Block[];
  return blocks
    .map((b) => [b.text?.text ?? "", ...(b.elements ?? []).map((e) => e.text ?? ""), ...(b.fields ?? []).map((f) => f.text)].join("\n"))
    .join("\n");
}
