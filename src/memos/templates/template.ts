/**
 * What a loaded template is, what a section gives it, and how a template's problems are reported.
 *
 * The template language (front matter, context variables, helpers, load-time checks) is described in
 * ./README.md beside this file.
 */
import { KorusError } from "../../errors.js";
import type { Fact } from "../../facts/model.js";
import type { TemplateSection } from "./front-matter.js";
import type { FactViews } from "./fact-views.js";

export type { TemplateSection } from "./front-matter.js";

/** The kinds of template: a memo collects sections; a brief is rendered from the facts alone. */
export type TemplateKind = "memo" | "brief";

/** A loaded, validated template. */
export interface MemoTemplate {
  id: string;
  title: string;
  description: string;
  kind: TemplateKind;
  sections: TemplateSection[];
  /** The Handlebars body (the file after the front matter). */
  body: string;
  /** The file the template came from, for messages. */
  file: string;
  /** Lines before the body (the front matter and its fences): body line n is file line n + bodyLineOffset. */
  bodyLineOffset: number;
}

/** One problem with one template file; `line` is the line in the file when known. */
export interface TemplateProblem {
  file: string;
  line?: number;
  message: string;
}

/** What went wrong with templates: `template_invalid` (at load), `template_not_found`, `template_render_failed`. */
export type TemplateErrorCode = "template_invalid" | "template_not_found" | "template_render_failed";

/** A template that cannot be loaded or rendered; `problems` name the file and line. */
export class TemplateError extends KorusError<TemplateErrorCode> {
  constructor(
    code: TemplateErrorCode,
    readonly problems: TemplateProblem[],
  ) {
    super(code, problems.map(formatProblem).join("\n"));
  }
}

/** "templates/x.md:12: message". */
export function formatProblem(problem: TemplateProblem): string {
  return `${problem.file}${problem.line !== undefined ? `:${problem.line}` : ""}: ${problem.message}`;
}

/** A section as written by its owner. */
export interface SectionInput {
  text: string;
  /** Who wrote it last, by name (src/people/names.ts), never a member id. */
  author?: string;
  state: "waiting" | "drafted" | "final";
}

/** True when a section has text the memo can show (drafted or final, not blank). */
export function isWritten(section: SectionInput | undefined): section is SectionInput {
  return section !== undefined && section.state !== "waiting" && section.text.trim() !== "";
}

/**
 * Variables a template gets besides the memo's own (title, date, authors, sections and the fact helpers), made once
 * the facts are indexed: a fact placed in them becomes what a template sees through `views`. A brief's come from
 * src/briefs/brief-context.ts.
 */
export type TemplateVariables = (views: FactViews) => Readonly<Record<string, unknown>>;

/**
 * For the load-time sample render: the variables a kind of template gets, given sample facts. A kind without one
 * renders with the memo's variables only.
 */
export type SampleVariables = Partial<Record<TemplateKind, (facts: readonly Fact[]) => TemplateVariables>>;
