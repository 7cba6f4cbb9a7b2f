import { expect } from "vitest";
import { SLACK_LIMITS } from "../../src/slack/limits.js";

type Block = { type: string; text?: { text: string; type: string }; elements?: Array<{ text?: string }>; fields?: Array<{ text: string }> };

/** Asserts a message's blocks keep to Block Kit's limits (docs/slack-platform.md). */
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
  const blocks = (message.blocks ?? []) as Array<Omit<Block, "text"> & { text?: Block["text"] | string }>;
  return (
    blocks
      // A `markdown` block's text is a string; a section's is an object.
      .map((b) => [typeof b.text === "string" ? b.text : (b.text?.text ?? ""), ...(b.elements ?? []).map((e) => e.text ?? ""), ...(b.fields ?? []).map((f) => f.text)].join("\n"))
      .join("\n")
  );
}

type AnyBlock = {
  type: string;
  block_id?: string;
  text?: { type: string; text: string };
  label?: { text: string };
  hint?: { text: string };
  element?: Record<string, unknown>;
  accessory?: Record<string, unknown>;
  elements?: Array<Record<string, unknown>>;
};

/** Checks one interactive element against Block Kit's limits (docs/slack-platform.md). */
function expectElementWithinLimits(element: Record<string, unknown>): void {
  if (typeof element.action_id === "string") expect(element.action_id.length).toBeLessThanOrEqual(255);
  const text = element.text as { text?: string } | undefined;
  if (element.type === "button") {
    expect(text?.text?.length ?? 0).toBeLessThanOrEqual(75);
    if (typeof element.value === "string") expect(element.value.length).toBeLessThanOrEqual(2000);
  }
  const options = (element.options ?? []) as Array<{ text: { text: string }; value: string }>;
  if (element.type === "overflow") expect(options.length).toBeLessThanOrEqual(5);
  if (element.type === "static_select") expect(options.length).toBeLessThanOrEqual(100);
  for (const option of options) {
    expect(option.text.text.length).toBeLessThanOrEqual(75);
    expect(option.value.length).toBeLessThanOrEqual(150);
  }
  if (element.type === "plain_text_input" && element.max_length !== undefined) expect(element.max_length).toBeLessThanOrEqual(3000);
  if (typeof element.initial_value === "string" && typeof element.max_length === "number") expect(element.initial_value.length).toBeLessThanOrEqual(element.max_length);
}

/** Checks blocks of any surface: per-block text lengths, ids, elements; `max` blocks at most. */
export function expectBlocksWithinLimits(blocks: readonly unknown[], max: number): void {
  expect(blocks.length).toBeGreaterThan(0);
  expect(blocks.length).toBeLessThanOrEqual(max);
  let markdown = 0;
  for (const raw of blocks as AnyBlock[]) {
    if (raw.block_id !== undefined) expect(raw.block_id.length).toBeLessThanOrEqual(255);
    if (raw.type === "header") expect(raw.text!.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (raw.type === "section" && raw.text) expect(raw.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    if (raw.type === "markdown") markdown += (raw as unknown as { text: string }).text.length;
    if (raw.type === "context") {
      expect(raw.elements!.length).toBeLessThanOrEqual(SLACK_LIMITS.contextElements);
      for (const e of raw.elements!) expect(String(e.text ?? "").length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    }
    if (raw.type === "actions") {
      expect(raw.elements!.length).toBeLessThanOrEqual(SLACK_LIMITS.actionsElements);
      for (const e of raw.elements!) expectElementWithinLimits(e);
    }
    if (raw.type === "input") {
      expect(raw.label!.text.length).toBeLessThanOrEqual(2000);
      if (raw.hint) expect(raw.hint.text.length).toBeLessThanOrEqual(2000);
      expectElementWithinLimits(raw.element!);
    }
    if (raw.accessory) expectElementWithinLimits(raw.accessory);
  }
  expect(markdown).toBeLessThanOrEqual(SLACK_LIMITS.markdownBlockTotal);
}

/** Asserts a modal or Home tab keeps to Block Kit's limits: 100 blocks, 24-character title and buttons, 3,000 characters of private_metadata. */
export function expectViewWithinLimits(view: {
  type: string;
  blocks: readonly unknown[];
  title?: { text: string };
  submit?: { text: string };
  close?: { text: string };
  private_metadata?: string;
  callback_id?: string;
}): void {
  expectBlocksWithinLimits(view.blocks, SLACK_LIMITS.blocksPerView);
  for (const label of [view.title, view.submit, view.close]) if (label) expect(label.text.length).toBeLessThanOrEqual(SLACK_LIMITS.modalTitle);
  if (view.type === "modal") expect(view.title).toBeDefined();
  if (view.private_metadata !== undefined) expect(view.private_metadata.length).toBeLessThanOrEqual(SLACK_LIMITS.privateMetadata);
  if (view.callback_id !== undefined) expect(view.callback_id.length).toBeLessThanOrEqual(255);
  expect(JSON.stringify(view).length).toBeLessThan(250_000);
}

/** Asserts a message keeps to Block Kit's limits: 50 blocks, each block's limits, the fallback text. */
export function expectMessageWithinLimits(message: { blocks: readonly unknown[]; text: string }): void {
  expectBlocksWithinLimits(message.blocks, SLACK_LIMITS.blocksPerMessage);
  expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.messageText);
}
