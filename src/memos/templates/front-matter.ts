/**
 * A template file's YAML front matter: its schema, and reading it with every problem named by file line.
 */
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node as YamlNode, parseDocument } from "yaml";
import { z } from "zod";
import type { MemoTemplate, TemplateProblem } from "./template.js";

/** Longest section text: a Slack plain_text_input accepts at most 3000 characters (its max_length limit). */
export const MAX_SECTION_LENGTH = 3000;

const kebabCase = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const sectionKeyPattern = /^[a-z][a-z0-9]*(?:[_-][a-z0-9]+)*$/;

const sectionSchema = z.strictObject({
  key: z.string().regex(sectionKeyPattern, "must be snake_case or kebab-case (e.g. us_position)"),
  title: z.string().trim().min(1, "must not be empty").max(150, "must be at most 150 characters"),
  // Shown as the modal input's hint, which Slack caps at 2000 characters.
  prompt: z.string().trim().min(1, "must not be empty").max(2000, "must be at most 2000 characters"),
  required: z.boolean().default(true),
  maxLength: z
    .number()
    .int("must be a whole number")
    .min(1, "must be at least 1")
    .max(MAX_SECTION_LENGTH, `must be at most ${MAX_SECTION_LENGTH} (a Slack text input holds no more)`)
    .default(MAX_SECTION_LENGTH),
});

/** The YAML front matter of a template file. */
export const templateFrontMatterSchema = z
  .strictObject({
    id: z.string().regex(kebabCase, "must be kebab-case (e.g. special-session-prep)"),
    // The template picker shows the title as a select option, whose text Slack caps at 75 characters.
    title: z.string().trim().min(1, "must not be empty").max(75, "must be at most 75 characters"),
    description: z.string().trim().min(1, "must not be empty").max(500, "must be at most 500 characters"),
    kind: z.enum(["memo", "brief"], { error: "must be memo or brief" }).default("memo"),
    sections: z.array(sectionSchema).default([]),
  })
  .superRefine((fm, ctx) => {
    const seen = new Set<string>();
    fm.sections.forEach((s, i) => {
      if (seen.has(s.key)) ctx.addIssue({ code: "custom", path: ["sections", i, "key"], message: `duplicates the key "${s.key}"` });
      seen.add(s.key);
    });
    if (fm.kind === "memo" && fm.sections.length === 0) {
      ctx.addIssue({ code: "custom", path: ["sections"], message: "a memo template needs at least one section" });
    }
  });

/** One section a template asks for. */
export type TemplateSection = z.infer<typeof sectionSchema>;

/** A template id: kebab-case, and the file name without .md. */
export function isTemplateId(id: string): boolean {
  return kebabCase.test(id);
}

function offsetLine(lineCounter: LineCounter, offset: number): number {
  return lineCounter.linePos(offset).line;
}

/** The YAML node at `path`, or the deepest one that exists on the way (a key with an empty value: the key). */
function yamlNodeAt(doc: Document.Parsed, path: readonly PropertyKey[]): YamlNode | null {
  let node: unknown = doc.contents;
  let found: YamlNode | null = isMap(node) || isSeq(node) ? node : null;
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      const value: unknown = pair.value;
      found = (isMap(value) || isSeq(value) || isScalar(value)) && value.range ? value : isScalar(pair.key) ? pair.key : found;
      node = value;
    } else if (isSeq(node) && typeof segment === "number") {
      const item: unknown = node.items[segment];
      if (!(isMap(item) || isSeq(item) || isScalar(item))) break;
      found = item;
      node = item;
    } else {
      break;
    }
  }
  return found;
}

const FRONT_MATTER_FENCE = /^---[ \t]*$/;
const FRONT_MATTER_END = /^(---|\.\.\.)[ \t]*$/;

/**
 * Reads a template file: its front matter against the schema and its `id` against the file name.
 * @param file the file's path; its name without .md must equal the `id`.
 * @returns the template (its body not yet checked), or the problems with their file lines.
 */
export function readTemplateFile(text: string, file: string): { template?: MemoTemplate; problems: TemplateProblem[] } {
  const problem = (message: string, line?: number): TemplateProblem => ({ file, ...(line !== undefined ? { line } : {}), message });
  const lines = text
    .replace(/^\uFEFF/, "")
    .replace(/\r\n?/g, "\n")
    .split("\n");
  if (!FRONT_MATTER_FENCE.test(lines[0] ?? "")) {
    return { problems: [problem("must start with YAML front matter between --- lines", 1)] };
  }
  const end = lines.findIndex((line, i) => i > 0 && FRONT_MATTER_END.test(line));
  if (end < 0) return { problems: [problem("front matter is not closed by a --- line", 1)] };

  // Front matter: YAML lines 1.. are file lines 2..
  const yamlText = lines.slice(1, end).join("\n");
  const lineCounter = new LineCounter();
  const doc = parseDocument(yamlText, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      problems: doc.errors.map((e) => problem(`front matter: ${e.message}`, offsetLine(lineCounter, e.pos[0]) + 1)),
    };
  }
  const parsed = templateFrontMatterSchema.safeParse(doc.toJS() ?? {});
  if (!parsed.success) {
    return {
      problems: parsed.error.issues.map((issue) => {
        const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
        const path = keys.length === 1 ? [...issue.path, keys[0]!] : issue.path;
        const node = yamlNodeAt(doc, path);
        const line = node?.range ? offsetLine(lineCounter, node.range[0]) + 1 : 1;
        const where = issue.path.length ? issue.path.join(".") : "front matter";
        const message = keys.length ? `unknown key${keys.length > 1 ? "s" : ""} ${keys.join(", ")}` : issue.message;
        return problem(`front matter: ${where}: ${message}`, line);
      }),
    };
  }
  const fm = parsed.data;
  const fileName = file.split(/[\\/]/).pop() ?? file;
  if (`${fm.id}.md` !== fileName) {
    const idNode = yamlNodeAt(doc, ["id"]);
    const line = idNode?.range ? offsetLine(lineCounter, idNode.range[0]) + 1 : 1;
    return { problems: [problem(`front matter: id "${fm.id}" must equal the file name without .md ("${fileName.replace(/\.md$/, "")}")`, line)] };
  }

  const bodyLineOffset = end + 1;
  const template: MemoTemplate = { ...fm, body: lines.slice(end + 1).join("\n"), file, bodyLineOffset };
  return { template, problems: [] };
}
