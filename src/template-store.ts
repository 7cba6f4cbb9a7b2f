/**
 * The template store the bot and the `korus` command use: the shipped templates (or another folder), with the brief's
 * variables for checking brief templates. Composition roots (serve.ts, main.ts's console, the CLI) create it once.
 */
import { sampleBriefVariables } from "./briefs/brief-context.js";
import { TemplateStore } from "./memos/templates/store.js";

/** Loads and checks every template of `dir` (default: the shipped templates/). */
export function openTemplateStore(dir?: string | URL): Promise<TemplateStore> {
  return TemplateStore.load({ ...(dir ? { dir } : {}), samples: { brief: sampleBriefVariables } });
}

/** The same store, read and checked when first asked or at `ready()` (the bot: after it can answer a status). */
export function deferredTemplateStore(dir?: string | URL): TemplateStore {
  return TemplateStore.deferred({ ...(dir ? { dir } : {}), samples: { brief: sampleBriefVariables } });
}
