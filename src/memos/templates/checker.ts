/**
 * The load-time checks of a template's body: Handlebars syntax; then a walk of its syntax tree with Handlebars' own
 * Visitor (unknown helpers, wrong arity or hash options, undeclared section keys, partials and decorators); then one
 * render against a sample context with a fact of every kind (unknown variables inside the lists). Every problem names
 * the file and its line in the file.
 */
import Handlebars from "handlebars";
import { Citations } from "../../facts/citations.js";
import { FactIndex } from "../../facts/fact-index.js";
import type { Fact } from "../../facts/model.js";
import { BUILT_INS, HELPERS } from "./helpers.js";
import { renderTemplateBody } from "./renderer.js";
import { type MemoTemplate, type SampleVariables, type SectionInput, TemplateError, type TemplateProblem } from "./template.js";

/** The names of the helpers templates may use, besides Handlebars' if, unless, each, with and lookup. */
export const TEMPLATE_HELPERS: readonly string[] = Object.keys(HELPERS);

/** A problem in a body, at a body line. */
interface BodyProblem {
  line: number;
  message: string;
}

type Call = hbs.AST.MustacheStatement | hbs.AST.BlockStatement | hbs.AST.SubExpression;

/** Walks a body's syntax tree and reports every helper call and section key it cannot accept. */
class TemplateChecker extends Handlebars.Visitor {
  readonly problems: BodyProblem[] = [];

  constructor(private readonly sectionKeys: ReadonlySet<string>) {
    super();
  }

  override MustacheStatement(node: hbs.AST.MustacheStatement): void {
    this.checkCall(node, "mustache");
    super.MustacheStatement(node);
  }

  override BlockStatement(node: hbs.AST.BlockStatement): void {
    this.checkCall(node, "block");
    super.BlockStatement(node);
  }

  override SubExpression(node: hbs.AST.SubExpression): void {
    this.checkCall(node, "subexpression");
    super.SubExpression(node);
  }

  // Partials and decorators are refused whole: nothing inside them is looked at.
  override PartialStatement(node: hbs.AST.PartialStatement): void {
    this.report(node, "partials ({{> name}}) are not supported");
  }

  override PartialBlockStatement(node: hbs.AST.PartialBlockStatement): void {
    this.report(node, "partials ({{> name}}) are not supported");
  }

  override Decorator(node: hbs.AST.Decorator): void {
    this.report(node, "decorators ({{* name}}) are not supported");
  }

  override DecoratorBlock(node: hbs.AST.DecoratorBlock): void {
    this.report(node, "decorators ({{* name}}) are not supported");
  }

  private report(node: hbs.AST.Node, message: string): void {
    this.problems.push({ line: node.loc.start.line, message });
  }

  private checkCall(node: Call, form: "mustache" | "block" | "subexpression"): void {
    if (node.path.type !== "PathExpression") return;
    const p = node.path as hbs.AST.PathExpression;
    const simple = !p.data && p.depth === 0 && p.parts.length === 1 && p.original !== "this";
    const name = p.original;
    const pairs = node.hash?.pairs ?? [];
    const isCall = form === "subexpression" || node.params.length > 0 || pairs.length > 0;
    const spec = simple ? HELPERS[name] : undefined;
    if (!spec) {
      if (simple && BUILT_INS.has(name)) return;
      if (isCall) this.report(node, `unknown helper "${name}" (helpers: ${TEMPLATE_HELPERS.join(", ")}, ${[...BUILT_INS].join(", ")})`);
      return;
    }
    if (form === "block") {
      this.report(node, `${name} is not a block helper${spec.list ? `: use {{#each (${name})}}` : ""}`);
      return;
    }
    if (spec.list && form === "mustache") {
      this.report(node, `${name} returns a list: use it as {{#each (${name})}}`);
      return;
    }
    if (node.params.length !== spec.params) {
      this.report(node, `${name} takes ${spec.params} parameter${spec.params === 1 ? "" : "s"}, got ${node.params.length}`);
    }
    for (const pair of pairs) {
      if (!spec.hash.includes(pair.key)) {
        this.report(pair, `${name} has no option "${pair.key}"${spec.hash.length ? ` (options: ${spec.hash.join(", ")})` : ""}`);
      }
    }
    if (spec.sectionKey) this.checkSectionKey(node.params[0], name);
  }

  private checkSectionKey(first: hbs.AST.Expression | undefined, name: string): void {
    if (first?.type !== "StringLiteral") {
      if (first) this.report(first, `${name} needs a quoted section key, e.g. {{${name} "purpose"}}`);
      return;
    }
    const key = (first as hbs.AST.StringLiteral).value;
    if (!this.sectionKeys.has(key)) {
      this.report(first, `section "${key}" is not declared in the front matter (sections: ${[...this.sectionKeys].join(", ") || "none"})`);
    }
  }
}

/** Problems with a body's helpers and section keys, by body line. */
function checkCalls(ast: hbs.AST.Program, sectionKeys: ReadonlySet<string>): BodyProblem[] {
  const checker = new TemplateChecker(sectionKeys);
  checker.accept(ast);
  return checker.problems;
}

/** A Handlebars syntax error as a short message and the body line it names. */
function syntaxProblem(error: unknown): { line?: number; message: string } {
  const message = error instanceof Error ? error.message : String(error);
  const fromException = typeof error === "object" && error !== null && "lineNumber" in error ? error.lineNumber : undefined;
  const fromMessage = /on line (\d+)/.exec(message)?.[1];
  const line = typeof fromException === "number" ? fromException : fromMessage ? Number(fromMessage) : undefined;
  const parts = message.split("\n");
  if (/^(Parse|Lexical) error/.test(parts[0] ?? "") && parts.length >= 2) {
    // "Parse error on line 2:\n<excerpt>\n----^\nExpecting 'A', 'B', got 'C'": keep the excerpt and what was found.
    const got = /got '([^']+)'/.exec(parts[3] ?? "")?.[1];
    const kind = parts[0]!.startsWith("Lexical") ? "unrecognized text" : "syntax error";
    return { line, message: `${kind} near "${parts[1]!.trim()}"${got ? ` (unexpected ${got})` : ""}` };
  }
  return { line, message: message.replace(/ - \d+:\d+$/, "") };
}

const SAMPLE_AS_OF = "2017-07-20";

function sampleFacts(): Fact[] {
  const base = {
    known: null,
    summary: "Sample summary.",
    confidence: "confirmed",
    topic: "korus",
    after: null,
    retracted: false,
    event: null,
    visibleFrom: "2017-07-12",
  } as const;
  const source = [{ title: "Sample source", url: "https://example.org/sample" }];
  return [
    { ...base, id: 1, kind: "event", date: "2017-07-12", title: "Sample event", actor: "US", sources: source, disputed: [{ says: "2017-07-13", source: { title: "Other sample source" } }] },
    { ...base, id: 2, kind: "deadline", date: "2017-08-11", title: "Sample deadline", actor: "both", sources: source, after: { days: 30, fromId: 1 }, disputed: [] },
    { ...base, id: 3, kind: "deadline", date: "2017-07-15", title: "Sample overdue deadline", actor: "Korea", sources: [], disputed: [] },
    { ...base, id: 4, kind: "position", date: "2017-07-12", title: "Sample U.S. position", actor: "US", sources: source, disputed: [] },
    { ...base, id: 5, kind: "position", date: "2017-07-13", title: "Sample Korean position", actor: "Korea", sources: source, confidence: "inferred", disputed: [] },
    { ...base, id: 6, kind: "position", date: "2017-07-13", title: "Sample joint position", actor: "both", sources: source, disputed: [] },
    { ...base, id: 7, kind: "figure", date: "2017-07-12", title: "Sample figure", actor: "US", sources: source, disputed: [] },
    { ...base, id: 8, kind: "quote", date: "2017-07-12", title: "Sample quote", actor: "A. Speaker", sources: source, disputed: [] },
    { ...base, id: 9, kind: "note", date: "2017-07-13", title: "Sample note", actor: "Korea", sources: source, disputed: [] },
    // A deadline met late (its closing fact known on 2017-07-16) and an effective date just past.
    { ...base, id: 10, kind: "deadline", date: "2017-07-14", title: "Sample deadline met", actor: "both", sources: source, disputed: [], event: "sample-met" },
    {
      ...base,
      id: 11,
      kind: "event",
      date: "2017-07-16",
      title: "Sample event meeting it",
      actor: "both",
      sources: source,
      disputed: [],
      closes: { event: "sample-met", outcome: "met" },
      visibleFrom: "2017-07-16",
    },
    { ...base, id: 12, kind: "deadline", date: "2017-07-18", title: "Sample effective date", actor: "US", sources: source, disputed: [], dueKind: "effective" },
  ];
}

/** Renders the template once against sample facts and sections (and the sample variables of its kind). */
function sampleRender(template: MemoTemplate, samples: SampleVariables): void {
  const facts = sampleFacts();
  const sections = Object.fromEntries(template.sections.map((s) => [s.key, { text: `Sample text for ${s.title}.`, state: "final" } satisfies SectionInput]));
  const variables = samples[template.kind]?.(facts);
  renderTemplateBody(template, {
    memo: { title: "Sample memo", date: SAMPLE_AS_OF, authors: ["A. Author", "B. Author"] },
    sections,
    facts: new FactIndex(facts, SAMPLE_AS_OF),
    citations: new Citations(),
    ...(variables ? { variables } : {}),
  });
}

/**
 * Checks a template's body: its syntax, its helper calls and section keys, then one render against a sample context.
 * @param samples the sample variables of the kinds of template that have their own (a brief's).
 * @returns the problems, by file line; none when the template is good.
 */
export function checkTemplateBody(template: MemoTemplate, samples: SampleVariables = {}): TemplateProblem[] {
  const problem = (message: string, line?: number): TemplateProblem => ({ file: template.file, ...(line !== undefined ? { line } : {}), message });
  let ast: hbs.AST.Program;
  try {
    ast = Handlebars.parse(template.body);
  } catch (error) {
    const { line, message } = syntaxProblem(error);
    return [problem(`template: ${message}`, line !== undefined ? line + template.bodyLineOffset : undefined)];
  }
  const callProblems = checkCalls(ast, new Set(template.sections.map((s) => s.key)));
  if (callProblems.length > 0) return callProblems.map((p) => problem(`template: ${p.message}`, p.line + template.bodyLineOffset));
  try {
    sampleRender(template, samples);
  } catch (error) {
    if (error instanceof TemplateError) return error.problems;
    throw error;
  }
  return [];
}
