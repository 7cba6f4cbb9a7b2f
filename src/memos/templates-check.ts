import type { TemplateStore } from "./templates/store.js";
import { formatProblem, type TemplateProblem } from "./templates/template.js";

/** What `korus templates check` found. */
export interface TemplateCheckResult {
  /** Files of the templates that load, render and pass every check. */
  ok: string[];
  /** One entry per problem; a file may have several. */
  errors: TemplateProblem[];
}

/**
 * Reloads every template of the store's folder as the bot loads them at start: front matter against the schema, id
 * against the file name, Handlebars syntax, helpers, section keys, and one render against a sample context. A broken
 * template does not stop the others from being checked.
 */
export async function checkTemplates(store: TemplateStore): Promise<TemplateCheckResult> {
  const { templates, problems } = await store.reload();
  return { ok: templates.map((t) => t.file), errors: problems };
}

/**
 * The check as lines for a terminal: "ok <file>" for each good template, "<file>:<line>: <message>" for each problem
 * (the form editors and CI annotate), then a count.
 */
export function formatTemplateProblems(result: TemplateCheckResult): string {
  const lines = result.ok.map((file) => `ok ${file}`);
  for (const problem of result.errors) lines.push(formatProblem(problem));
  const broken = new Set(result.errors.map((e) => e.file)).size;
  lines.push(
    `${result.ok.length} template${result.ok.length === 1 ? "" : "s"} ok${broken > 0 ? `, ${broken} with problems (${result.errors.length} problem${result.errors.length === 1 ? "" : "s"})` : ""}`,
  );
  return `${lines.join("\n")}\n`;
}
