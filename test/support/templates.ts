import type { TemplateStore } from "../../src/memos/templates/store.js";
import { openTemplateStore } from "../../src/template-store.js";

let shipped: Promise<TemplateStore> | undefined;

/** The shipped templates, loaded and checked once per test file (as the bot does at start). */
export function shippedTemplates(): Promise<TemplateStore> {
  shipped ??= openTemplateStore();
  return shipped;
}
