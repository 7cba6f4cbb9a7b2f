/**
 * Renders a template's body into Markdown: the memo's variables, the kind's own (a brief's), and the helpers over one
 * fact index. A template is compiled once, the first time it renders.
 */
import type { Citations } from "../../facts/citations.js";
import type { IsoDate } from "../../facts/dates.js";
import type { FactIndex } from "../../facts/fact-index.js";
import { escapeMarkdown } from "../../render/escape.js";
import { FactViews } from "./fact-views.js";
import { COMPILE_OPTIONS, engine, HelperError, type RenderState } from "./helpers.js";
import { type MemoTemplate, type SectionInput, TemplateError, type TemplateVariables } from "./template.js";

// Templates come from the store, loaded once: one compiled delegate each for as long as the template is loaded.
const compiled = new WeakMap<MemoTemplate, HandlebarsTemplateDelegate>();

/** What a render needs besides the template. */
export interface RenderInput {
  memo: { title: string; date: IsoDate; authors: readonly string[] };
  sections: Readonly<Record<string, SectionInput>>;
  facts: FactIndex;
  citations: Citations;
  /** The variables of the template's kind (a brief's: src/briefs/brief-context.ts). */
  variables?: TemplateVariables;
}

/**
 * Renders a template's body (Markdown). Citations are recorded in `input.citations`.
 * @throws TemplateError `template_render_failed` naming the file line of the failing expression.
 */
export function renderTemplateBody(template: MemoTemplate, input: RenderInput): string {
  let delegate = compiled.get(template);
  if (!delegate) {
    delegate = engine.compile(template.body, COMPILE_OPTIONS);
    compiled.set(template, delegate);
  }
  const views = FactViews.of(input.facts);
  const context = {
    ...(input.variables ? input.variables(views) : {}),
    title: escapeMarkdown(input.memo.title),
    date: input.memo.date,
    asOf: input.memo.date,
    authors: input.memo.authors.map(escapeMarkdown),
  };
  const state: RenderState = { template, sections: input.sections, facts: input.facts, views, citations: input.citations };
  try {
    return delegate(context, { data: { korus: state } });
  } catch (error) {
    const line = error instanceof HelperError ? error.line : error instanceof Error && "lineNumber" in error && typeof error.lineNumber === "number" ? error.lineNumber : undefined;
    // Handlebars' strict mode says `"x" not defined in [object Object] - 3:5`: the place is reported as a line.
    const message = (error instanceof Error ? error.message : String(error)).replace(/ - \d+:\d+$/, "").replace(/ not defined in .*$/, " is not defined here");
    throw new TemplateError("template_render_failed", [{ file: template.file, ...(line !== undefined ? { line: line + template.bodyLineOffset } : {}), message: `template: ${message}` }]);
  }
}
