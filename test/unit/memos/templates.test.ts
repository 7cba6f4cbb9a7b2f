import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { marked } from "marked";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Fact } from "../../../src/facts/model.js";
import { Citations } from "../../../src/facts/citations.js";
import { FactIndex } from "../../../src/facts/fact-index.js";
import { checkTemplates, formatTemplateProblems } from "../../../src/memos/templates-check.js";
import { TEMPLATE_HELPERS } from "../../../src/memos/templates/checker.js";
import { inlineMarkdown, sectionMarkdown } from "../../../src/memos/templates/markdown-safety.js";
import { renderTemplateBody } from "../../../src/memos/templates/renderer.js";
import { parseTemplate } from "../../../src/memos/templates/store.js";
import { type MemoTemplate, type SectionInput, TemplateError } from "../../../src/memos/templates/template.js";
import { deferredTemplateStore, openTemplateStore } from "../../../src/template-store.js";

import { fact } from "../../support/facts.js";

/** A template file's text from front matter lines and body lines. */
function templateText(frontMatter: string[], body: string[]): string {
  return ["---", ...frontMatter, "---", ...body].join("\n");
}

const SIMPLE_FRONT_MATTER = ["id: simple", "title: Simple memo", "description: A memo for tests.", "sections:", "  - key: purpose", "    title: Purpose", "    prompt: Why?"];

function simpleTemplate(body: string[]): MemoTemplate {
  const { template, problems } = parseTemplate(templateText(SIMPLE_FRONT_MATTER, body), "/t/simple.md");
  expect(problems).toEqual([]);
  return template!;
}

function render(template: MemoTemplate, facts: Fact[], asOf = "2017-07-20", sections: Record<string, SectionInput> = {}) {
  const citations = new Citations();
  const markdown = renderTemplateBody(template, {
    memo: { title: "T", date: asOf, authors: [] },
    sections,
    facts: new FactIndex(facts, asOf),
    citations,
  });
  return { markdown, citations };
}

/** One template of `dir` (default: the shipped ones), as a store started there serves it. */
async function loadTemplate(id: string, dir?: string): Promise<MemoTemplate> {
  return (await openTemplateStore(dir)).get(id);
}

describe("shipped templates", () => {
  it("all load without problems", async () => {
    const store = await openTemplateStore();
    expect(store.problems).toEqual([]);
    expect(store.list().map((t) => t.id)).toEqual(["negotiation-round-readout", "special-session-prep", "weekly-brief"]);
  });

  it("special-session-prep declares the eight sections with their titles and defaults", async () => {
    const template = await loadTemplate("special-session-prep");
    expect(template.title).toBe("Special session prep memo");
    expect(template.kind).toBe("memo");
    expect(template.sections.map((s) => [s.key, s.title])).toEqual([
      ["purpose", "Purpose"],
      ["background", "Background"],
      ["us_position", "U.S. position"],
      ["korean_position", "Korean position"],
      ["market_access", "Market-access issues"],
      ["risks", "Risks"],
      ["talking_points", "Recommended talking points"],
      ["next_steps", "Next steps"],
    ]);
    for (const s of template.sections) {
      expect(s.required).toBe(true);
      expect(s.maxLength).toBe(3000);
      expect(s.prompt.length).toBeGreaterThan(20);
    }
  });

  it("weekly-brief is a brief without sections", async () => {
    const template = await loadTemplate("weekly-brief");
    expect(template.kind).toBe("brief");
    expect(template.sections).toEqual([]);
  });

  it("an unknown template id is template_not_found", async () => {
    await expect(loadTemplate("no-such-template")).rejects.toMatchObject({ code: "template_not_found" });
    await expect(loadTemplate("../package")).rejects.toMatchObject({ code: "template_not_found" });
  });

  it("checkTemplates passes on the shipped templates", async () => {
    const result = await checkTemplates(await openTemplateStore());
    expect(result.errors).toEqual([]);
    expect(result.ok).toHaveLength(3);
    expect(formatTemplateProblems(result)).toMatch(/3 templates ok\n$/);
  });
});

describe("broken templates", () => {
  let dir: string;
  const files: Record<string, string> = {
    "good.md": templateText(["id: good", "title: Good", "description: Fine.", "sections:", "  - key: purpose", "    title: Purpose", "    prompt: Why?"], ["## Purpose", "", '{{section "purpose"}}']),
    // The flow sequence opened on line 3 is never closed; YAML notices on line 4.
    "bad-yaml.md": templateText(["id: bad-yaml", "title: [unclosed", "description: x"], ["body"]),
    // Line 9: maxLength above Slack's 3000; line 10: an unknown key.
    "bad-schema.md": templateText(
      ["id: bad-schema", "title: Bad schema", "description: x", "sections:", "  - key: purpose", "    title: Purpose", "    prompt: Why?", "    maxLength: 5000", "    colour: red"],
      ['{{section "purpose"}}'],
    ),
    // Front matter and its fences are lines 1-9; the broken mustache is on body line 3, file line 12.
    "bad-syntax.md": templateText(
      ["id: bad-syntax", "title: Bad syntax", "description: x", "sections:", "  - key: purpose", "    title: Purpose", "    prompt: Why?"],
      ["## Purpose", "", "{{#each (deadlines)}", "{{/each}}"],
    ),
    // Body line 4 (file line 13) uses an undeclared section.
    "bad-section.md": templateText(
      ["id: bad-section", "title: Bad section", "description: x", "sections:", "  - key: purpose", "    title: Purpose", "    prompt: Why?"],
      ["## Purpose", "", '{{section "purpose"}}', '{{section "risks"}}'],
    ),
    // Line 2: the id is not the file name.
    "bad-id.md": templateText(["id: other-name", "title: Bad id", "description: x", "sections:", "  - key: purpose", "    title: P", "    prompt: Why?"], ['{{section "purpose"}}']),
    // Body line 2 (file line 11): an unknown helper, inside a branch the sample render would not take.
    "bad-helper.md": templateText(
      ["id: bad-helper", "title: Bad helper", "description: x", "sections:", "  - key: purpose", "    title: P", "    prompt: Why?"],
      ['{{#unless (hasSection "purpose")}}', "{{#each (deadlinez)}}{{title}}{{/each}}", "{{/unless}}"],
    ),
    // Body line 3 (file line 12): a variable that the fact views do not have.
    "bad-variable.md": templateText(
      ["id: bad-variable", "title: Bad variable", "description: x", "sections:", "  - key: purpose", "    title: P", "    prompt: Why?"],
      ['{{section "purpose"}}', "{{#each (deadlines)}}", "- {{titel}}", "{{/each}}"],
    ),
    "no-front-matter.md": "# Just Markdown\n",
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "korus-templates-"));
    for (const [name, text] of Object.entries(files)) await writeFile(join(dir, name), text);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("reports each broken file with its line and keeps loading the others", async () => {
    const store = await openTemplateStore(dir);
    const problems = store.problems;
    expect(store.list().map((t) => t.id)).toEqual(["good"]);
    const byFile = (name: string) => problems.filter((p) => p.file === join(dir, name));

    expect(byFile("bad-yaml.md")).toEqual([expect.objectContaining({ line: 4, message: expect.stringMatching(/^front matter: /) })]);
    expect(byFile("bad-schema.md")).toEqual([
      { file: join(dir, "bad-schema.md"), line: 9, message: expect.stringMatching(/sections\.0\.maxLength: must be at most 3000/) },
      { file: join(dir, "bad-schema.md"), line: 10, message: "front matter: sections.0: unknown key colour" },
    ]);
    expect(byFile("bad-syntax.md")).toEqual([expect.objectContaining({ line: 12, message: expect.stringMatching(/^template: syntax error near/) })]);
    expect(byFile("bad-section.md")).toEqual([expect.objectContaining({ line: 13, message: expect.stringMatching(/section "risks" is not declared/) })]);
    expect(byFile("bad-id.md")).toEqual([expect.objectContaining({ line: 2, message: expect.stringMatching(/id "other-name" must equal the file name/) })]);
    expect(byFile("bad-helper.md")).toEqual([expect.objectContaining({ line: 11, message: expect.stringMatching(/unknown helper "deadlinez"/) })]);
    expect(byFile("bad-variable.md")).toEqual([expect.objectContaining({ line: 12, message: expect.stringMatching(/"titel" is not defined here/) })]);
    expect(byFile("no-front-matter.md")).toEqual([expect.objectContaining({ line: 1 })]);
  });

  it("checkTemplates and formatTemplateProblems give file:line lines for the CLI", async () => {
    const result = await checkTemplates(await openTemplateStore(dir));
    expect(result.ok).toEqual([join(dir, "good.md")]);
    const text = formatTemplateProblems(result);
    expect(text).toContain(`ok ${join(dir, "good.md")}\n`);
    expect(text).toContain(`${join(dir, "bad-section.md")}:13: template: section "risks" is not declared`);
    expect(text).toMatch(/1 template ok, 8 with problems \(9 problems\)\n$/);
  });

  it("loadTemplate throws template_invalid with the problems", async () => {
    const error = await loadTemplate("bad-section", dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TemplateError);
    expect((error as TemplateError).code).toBe("template_invalid");
    expect((error as TemplateError).message).toContain("bad-section.md:13:");
  });
});

describe("template checks", () => {
  const check = (body: string[], frontMatter = SIMPLE_FRONT_MATTER) => parseTemplate(templateText(frontMatter, body), "/t/simple.md").problems.map((p) => `${p.line}: ${p.message}`);

  it("flags misuse of helpers at load time, with the file line", () => {
    expect(check(["{{deadlines}}"])).toEqual(["10: template: deadlines returns a list: use it as {{#each (deadlines)}}"]);
    expect(check(['{{#each (deadlines sinse="2017-01-01")}}{{/each}}'])).toEqual(['10: template: deadlines has no option "sinse" (options: within, actor, matching, limit)']);
    expect(check(["{{section purpose}}"])).toEqual(['10: template: section needs a quoted section key, e.g. {{section "purpose"}}']);
    expect(check(["{{cite}}"])).toEqual(["10: template: cite takes 1 parameter, got 0"]);
    expect(check(["{{> header}}"])).toEqual(["10: template: partials ({{> name}}) are not supported"]);
    expect(check(['{{log "x"}}'])[0]).toMatch(/unknown helper "log"/);
  });

  it("requires at least one section for a memo, unique keys, and a valid kind", () => {
    const fm = (extra: string[]) => ["id: simple", "title: S", "description: d", ...extra];
    expect(check(["x"], fm(["sections: []"]))).toEqual(["5: front matter: sections: a memo template needs at least one section"]);
    expect(check(["x"], fm(["kind: report", "sections: []"]))[0]).toMatch(/^5: front matter: kind: must be memo or brief/);
    const dup = ["sections:", "  - {key: a, title: A, prompt: p}", "  - {key: a, title: B, prompt: p}"];
    expect(check(["x"], fm(dup))).toEqual(['7: front matter: sections.1.key: duplicates the key "a"']);
    expect(check(["x"], fm(["sections:", "  - {key: UsPosition, title: A, prompt: p}"]))[0]).toMatch(/^6: front matter: sections\.0\.key: must be snake_case or kebab-case/);
  });

  it("accepts a brief without sections", () => {
    const fm = ["id: simple", "title: S", "description: d", "kind: brief"];
    expect(check(["{{#each changes}}{{fact.title}}{{else}}None.{{/each}}"], fm)).toEqual([]);
  });

  it("turns a render-time failure into template_render_failed with the file line", () => {
    const template = simpleTemplate(['{{#unless (hasSection "purpose")}}', '{{dayLabel "someday"}}', "{{/unless}}"]);
    expect(() => render(template, [])).toThrow(TemplateError);
    try {
      render(template, []);
    } catch (error) {
      expect(error).toMatchObject({ code: "template_render_failed", problems: [{ file: "/t/simple.md", line: 11 }] });
    }
  });

  it("documents every helper in the template language's README", async () => {
    const { readFile } = await import("node:fs/promises");
    const readme = await readFile(new URL("../../../src/memos/templates/README.md", import.meta.url), "utf8");
    for (const name of TEMPLATE_HELPERS) expect(readme).toContain(name);
  });
});

describe("fact helpers", () => {
  const request = fact({ kind: "event", date: "2017-07-12", title: "Special session requested" });
  const due = fact({ kind: "deadline", date: "2017-08-11", title: "Session due", after: { days: 30, fromId: request.id }, known: "2017-07-12" });
  const later = fact({ kind: "deadline", date: "2017-09-30", title: "Review due", sources: [{ title: "Source B", url: "https://example.org/b" }] });
  const past = fact({ kind: "deadline", date: "2017-07-15", title: "Comments due" });
  const usPos = fact({ kind: "position", date: "2017-07-12", title: "US wants balance" });
  const krPos = fact({ kind: "position", date: "2017-07-13", actor: "Korea", title: "Korea wants the framework kept", confidence: "inferred" });
  const oldNote = fact({ kind: "note", date: "2017-01-02", title: "Old note" });
  const figure = fact({ kind: "figure", date: "2017-07-12", title: "Deficit doubled", summary: "Goods deficit with market access issues" });
  const future = fact({ kind: "event", date: "2017-07-25", title: "Not yet known" });
  const retracted = fact({ kind: "note", date: "2017-07-14", title: "Retracted note", retracted: true });
  const facts = [request, due, later, past, usPos, krPos, oldNote, figure, future, retracted];

  it("lists upcoming deadlines with days left and basis, and overdue ones", () => {
    const template = simpleTemplate([
      "{{#each (deadlines)}}",
      "- {{title}}: {{daysLeft}} / {{daysLeftText}} / {{basis}}{{cite this}}",
      "{{/each}}",
      "{{#each (overdue)}}",
      "- overdue {{title}}: {{daysLeftText}}",
      "{{/each}}",
      "{{#each (deadlines within=30)}}",
      "- within 30: {{title}}",
      "{{/each}}",
    ]);
    expect(render(template, facts).markdown).toBe(
      [
        "- Session due: 22 / 22 days left / 30 days after “Special session requested” (2017-07-12) [1]",
        "- Review due: 72 / 72 days left /  [2]",
        "- overdue Comments due: overdue by 5 days",
        "- within 30: Session due",
        "",
      ].join("\n"),
    );
  });

  it("lists developments of the last 90 days newest first, or an explicit window", () => {
    const template = simpleTemplate(["{{#each (developments)}}{{day}} {{title}}|{{/each}}", '{{#each (developments since="2017-01-01" until="2017-07-11")}}{{title}}|{{/each}}']);
    expect(render(template, facts).markdown).toBe("2017-07-12 (Wed) Special session requested|2017-07-12 (Wed) Deficit doubled|\nOld note|");
  });

  it("filters by actor (normalized), kind, text and limit; leaves out unknown and retracted facts", () => {
    const template = simpleTemplate([
      '{{#each (positions actor="U.S.")}}{{title}} ({{who}})|{{/each}}',
      '{{#each (positions actor="ROK")}}{{title}}{{#if inferred}} (inferred){{/if}}|{{/each}}',
      '{{#each (facts matching="MARKET ACCESS")}}{{title}}|{{/each}}',
      "{{#each (facts limit=2)}}{{title}}|{{/each}}",
      '{{#each (facts kind="note" limit=0)}}{{title}}|{{/each}}',
    ]);
    expect(render(template, facts).markdown.split("\n")).toEqual([
      "US wants balance (United States)|",
      "Korea wants the framework kept (inferred)|",
      "Deficit doubled|",
      "Review due|Session due|",
      "Old note|",
    ]);
  });

  it("numbers sources in the order first cited and records each fact used once", () => {
    const template = simpleTemplate(["{{#each (deadlines)}}{{cite this}}{{/each}}", "{{#each (positions)}}{{cite this}}{{/each}}", "{{#each (deadlines)}}{{cite this}}{{/each}}"]);
    const { markdown, citations } = render(template, facts);
    expect(markdown).toBe(" [1] [2]\n [1] [1]\n [1] [2]");
    expect(citations.sources).toEqual([
      { number: 1, title: "Source A" },
      { number: 2, title: "Source B", url: "https://example.org/b" },
    ]);
    expect(citations.used.map((f) => f.title)).toEqual(["Session due", "Review due", "Korea wants the framework kept", "US wants balance"]);
  });

  it("places sections, their titles, and a placeholder for a missing one", () => {
    const template = simpleTemplate(['## {{sectionTitle "purpose"}}', "", '{{section "purpose"}}', '{{#if (hasSection "purpose")}}written{{/if}}']);
    expect(render(template, []).markdown).toBe("## Purpose\n\n_(missing: Purpose)_\n");
    expect(render(template, [], "2017-07-20", { purpose: { text: "  ", state: "drafted" } }).markdown).toContain("_(missing: Purpose)_");
    expect(render(template, [], "2017-07-20", { purpose: { text: "# Why\nBecause.", state: "final" } }).markdown).toBe("## Purpose\n\n### Why\nBecause.\nwritten");
  });
});

describe("sectionMarkdown", () => {
  const topLevel = (md: string) => marked.lexer(md).map((t) => t.type);

  it("demotes ATX and setext headings two levels", () => {
    expect(sectionMarkdown("# One\ntext\n\nTwo\n---\n\n##### Five")).toBe("### One\ntext\n\n#### Two\n\n###### Five");
  });

  it("closes an unclosed fence so it cannot swallow what follows", () => {
    const safe = sectionMarkdown("Intro\n\n```js\nconst x = 1;\n");
    expect(safe).toBe("Intro\n\n```js\nconst x = 1;\n```");
    expect(topLevel(`${safe}\n\n## Next section`)).toContain("heading");
  });

  it("shows raw HTML blocks as code", () => {
    const safe = sectionMarkdown("<!-- hide the rest\n\n# gone\n\n<script>alert(1)</script>");
    expect(topLevel(`${safe}\n\n## Next section`)).toEqual(["code", "space", "heading"]);
  });

  it("neutralizes link reference definitions, even inside quotes and lists", () => {
    for (const text of ["[1]: https://evil.example", "> [1]: https://evil.example", "- x\n\n  [1]: https://evil.example"]) {
      const doc = `See the source [1].\n\n${sectionMarkdown(text)}`;
      expect(marked.parse(doc)).toContain("<p>See the source [1].</p>");
    }
  });

  it("keeps ordinary Markdown as it is", () => {
    const text = "Some **bold** and a [link](https://example.org).\n\n- one\n- two\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |";
    expect(sectionMarkdown(text)).toBe(text);
    expect(sectionMarkdown("    indented code\n\nafter")).toBe("    indented code\n\nafter");
  });
});

describe("inlineMarkdown", () => {
  it("makes one line that cannot start a block", () => {
    expect(inlineMarkdown("a\n# b")).toBe("a # b");
    expect(inlineMarkdown("# heading")).toBe("\\# heading");
    expect(inlineMarkdown("> quote")).toBe("\\> quote");
    expect(inlineMarkdown("- item")).toBe("\\- item");
    expect(inlineMarkdown("1. first")).toBe("1\\. first");
    expect(inlineMarkdown("[1]: https://evil")).toBe("\\[1]: https://evil");
    expect(inlineMarkdown("U.S. requests a session")).toBe("U.S. requests a session");
    for (const text of ["# h", "> q", "- i", "1. f", "[1]: https://e", "<div>", "```"]) {
      expect(marked.lexer(`- ${inlineMarkdown(text)}`)[0]?.type).toBe("list");
      expect(marked.lexer(inlineMarkdown(text))[0]?.type).toBe("paragraph");
    }
  });
});

describe("the template store", () => {
  let dir: string;
  const good = (title: string) =>
    templateText(["id: good", `title: ${title}`, "description: Fine.", "sections:", "  - key: purpose", "    title: Purpose", "    prompt: Why?"], ["## Purpose", "", '{{section "purpose"}}']);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "korus-store-"));
    await writeFile(join(dir, "good.md"), good("First"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("serves what it loaded at start until it is reloaded, then the folder as it is now", async () => {
    const store = await openTemplateStore(dir);
    expect(store.get("good").title).toBe("First");
    await writeFile(join(dir, "good.md"), good("Second"));
    await writeFile(join(dir, "other.md"), templateText(["id: other", "title: [unclosed"], ["x"]));
    // Not read from disk on each use.
    expect(store.get("good").title).toBe("First");
    const result = await store.reload();
    expect(store.get("good").title).toBe("Second");
    expect(result.problems.map((p) => p.file)).toEqual([join(dir, "other.md")]);
    expect(() => store.get("other")).toThrow(TemplateError);
    await rm(join(dir, "other.md"));
  });

  it("a deferred store (the bot's) reads nothing until asked: a template asked for first is read then, and ready() keeps it", async () => {
    await writeFile(join(dir, "good.md"), good("Deferred"));
    const store = deferredTemplateStore(dir);
    await writeFile(join(dir, "good.md"), good("Read when asked"));
    expect(store.get("good").title).toBe("Read when asked");
    await writeFile(join(dir, "good.md"), good("Not read again"));
    const result = await store.ready();
    expect(result.templates.map((t) => t.title)).toEqual(["Read when asked"]);
    expect(store.get("good").title).toBe("Read when asked");
    // Asked for nothing before ready(): ready() reads the folder.
    const fresh = deferredTemplateStore(dir);
    expect((await fresh.ready()).templates.map((t) => t.title)).toEqual(["Not read again"]);
  });

  it("reloads by itself when a file changes while it watches (development)", async () => {
    const store = await openTemplateStore(dir);
    const reloaded = new Promise<unknown>((resolve) => {
      const stop = store.watch((result) => {
        stop();
        resolve(result);
      });
    });
    await writeFile(join(dir, "good.md"), good("Third"));
    const result = await reloaded;
    expect(result).not.toBeInstanceOf(Error);
    expect(store.get("good").title).toBe("Third");
  });
});
