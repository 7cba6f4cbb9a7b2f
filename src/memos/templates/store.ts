/**
 * The template store: every template of a folder, read and checked once (at start), then looked up by id for as long
 * as the process runs. `reload()` reads the folder again (`korus templates check`); `watch()` does so whenever a file
 * changes (`npm run dev`). A broken template is kept as its problems: asking for it says what is wrong with it.
 */
import { type FSWatcher, readdirSync, readFileSync, watch as watchFolder } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { packagePath } from "../../paths.js";
import { checkTemplateBody } from "./checker.js";
import { isTemplateId, readTemplateFile } from "./front-matter.js";
import { type MemoTemplate, type SampleVariables, TemplateError, type TemplateProblem } from "./template.js";

/** The shipped templates, resolved from the package, never from the working directory. */
export const TEMPLATES_DIR = packagePath("templates/");

/**
 * Parses and checks one template file: front matter against the schema, `id` against the file name, the body's
 * Handlebars syntax, helpers and section keys, and one render against a sample context.
 * @param file the file's path; its name without .md must equal the `id`.
 * @param samples the sample variables of the kinds of template that have their own (a brief's).
 */
export function parseTemplate(text: string, file: string, samples: SampleVariables = {}): { template?: MemoTemplate; problems: TemplateProblem[] } {
  const read = readTemplateFile(text, file);
  if (!read.template) return read;
  const problems = checkTemplateBody(read.template, samples);
  return problems.length > 0 ? { problems } : { template: read.template, problems: [] };
}

/** What a load found: the good templates (in file name order), and the problems of the others. */
export interface TemplateLoadResult {
  templates: MemoTemplate[];
  problems: TemplateProblem[];
}

interface LoadedTemplates {
  byId: Map<string, MemoTemplate>;
  broken: Map<string, TemplateProblem[]>;
  result: TemplateLoadResult;
}

/** Where a store reads its templates, and what the kinds of template with their own variables give the checker. */
export interface TemplateStoreOptions {
  /** The folder of `*.md` templates (default: the shipped templates/). */
  dir?: string | URL;
  /** Sample variables per kind, for the load-time render (src/template-store.ts passes the brief's). */
  samples?: SampleVariables;
}

/** The templates of one folder, loaded and checked; looked up by id. */
export class TemplateStore {
  /** The folder the templates are read from. */
  readonly dir: string;
  private readonly samples: SampleVariables;
  /** Undefined until the first load: a store made by `deferred()` reads the folder when it is first asked. */
  private loaded?: LoadedTemplates;

  private constructor(options: TemplateStoreOptions) {
    const dir = options.dir ?? TEMPLATES_DIR;
    this.dir = dir instanceof URL ? fileURLToPath(dir) : dir;
    this.samples = options.samples ?? {};
  }

  /** Reads and checks every template of the folder. A broken one is reported in `problems`; the others still load. */
  static async load(options: TemplateStoreOptions = {}): Promise<TemplateStore> {
    const store = new TemplateStore(options);
    await store.reload();
    return store;
  }

  /**
   * A store that has read nothing yet: the bot answers its first requests (a status needs no template) before it
   * spends a quarter of a second parsing and checking templates, then calls `ready()`. Asked for a template before
   * that, it reads and checks the folder there and then.
   */
  static deferred(options: TemplateStoreOptions = {}): TemplateStore {
    return new TemplateStore(options);
  }

  /** Loads the folder unless that is done already; what the load found. */
  async ready(): Promise<TemplateLoadResult> {
    return this.loaded ? this.loaded.result : this.reload();
  }

  /** The good templates, in file name order. */
  list(): readonly MemoTemplate[] {
    return this.current().result.templates;
  }

  /** The problems of the broken templates found by the last load. */
  get problems(): readonly TemplateProblem[] {
    return this.current().result.problems;
  }

  /**
   * The template with this id.
   * @throws TemplateError `template_not_found` when the folder has no such file, `template_invalid` when it is broken.
   */
  get(id: string): MemoTemplate {
    const loaded = this.current();
    const template = loaded.byId.get(id);
    if (template) return template;
    const problems = loaded.broken.get(id);
    if (problems) throw new TemplateError("template_invalid", problems);
    throw new TemplateError("template_not_found", [{ file: join(this.dir, `${id}.md`), message: `no template "${id}"` }]);
  }

  /** Reads the folder again; the templates it finds replace the loaded ones at once, all together. */
  async reload(): Promise<TemplateLoadResult> {
    const names = (await readdir(this.dir)).filter((name) => name.endsWith(".md")).sort();
    const texts = await Promise.all(names.map((name) => readFile(join(this.dir, name), "utf8")));
    this.loaded = this.check(names, texts);
    return this.loaded.result;
  }

  /** The loaded templates; for a deferred store asked before `ready()`, read and checked now. */
  private current(): LoadedTemplates {
    if (!this.loaded) {
      const names = readdirSync(this.dir)
        .filter((name) => name.endsWith(".md"))
        .sort();
      this.loaded = this.check(
        names,
        names.map((name) => readFileSync(join(this.dir, name), "utf8")),
      );
    }
    return this.loaded;
  }

  private check(names: string[], texts: string[]): LoadedTemplates {
    const byId = new Map<string, MemoTemplate>();
    const broken = new Map<string, TemplateProblem[]>();
    const result: TemplateLoadResult = { templates: [], problems: [] };
    names.forEach((name, i) => {
      const file = join(this.dir, name);
      const { template, problems } = parseTemplate(texts[i]!, file, this.samples);
      if (template) {
        byId.set(template.id, template);
        result.templates.push(template);
      }
      const id = name.slice(0, -".md".length);
      if (problems.length > 0 && isTemplateId(id)) broken.set(id, problems);
      result.problems.push(...problems);
    });
    return { byId, broken, result };
  }

  /**
   * Reloads whenever a file of the folder changes (development: `npm run dev`), a moment after the last change of a
   * burst (an editor writes a file in several steps). `onReload` hears what each reload found, or why it failed.
   * @returns a function that stops watching.
   */
  watch(onReload: (result: TemplateLoadResult | Error) => void): () => void {
    let timer: NodeJS.Timeout | undefined;
    const watcher: FSWatcher = watchFolder(this.dir, () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        this.reload().then(onReload, (error: unknown) => onReload(error instanceof Error ? error : new Error(String(error))));
      }, 100);
    });
    watcher.unref();
    return () => {
      clearTimeout(timer);
      watcher.close();
    };
  }
}
