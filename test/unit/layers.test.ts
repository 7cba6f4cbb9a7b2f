/**
 * The adapters' layering, read from the source (docs/architecture.md, "Imports between the folders"): src/slack and
 * src/cli never touch Prisma (the composition roots hand them services and stores), and only the composition roots
 * reach into src/slack from outside it. A failure names each file and line at fault.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const SRC = resolve(import.meta.dirname, "../../src");

/**
 * The files outside src/slack that may import from it, and why: the composition roots, which build the Slack adapter
 * (or hand it to the delivery machine, or hand the terminal what it reads of Slack) from its parts. Nothing else: the
 * configuration keeps Slack's ids as plain strings (Slack checks their shape, src/slack/config-checks.ts), and src/cli
 * is handed its readers of pasted channels and the manifest.
 */
const MAY_IMPORT_SLACK: Record<string, string> = {
  "main.ts": "the composition root: configuration (with Slack's check of its ids), then the database, then Slack (the not-ready answer) or the console (with Slack's readers of pasted channels)",
  "serve.ts": "the bot's composition root: builds the services once and hands them to the Slack app it creates",
  "scheduled-posts.ts": "composes the delivery machine with its Slack transport (src/slack/post-transport.ts)",
  "cli/korus.ts": "the `korus` command's composition root: hands its groups Slack's readers of typed and pasted channels and the app manifest",
};

interface Finding {
  file: string;
  line: number;
  text: string;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Every module a file names (static imports and exports, `import()`, `import("…")` types), with its line. */
function importsOf(source: ts.SourceFile): Array<{ spec: string; line: number }> {
  const found: Array<{ spec: string; line: number }> = [];
  const at = (node: ts.Node) => source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
  const visit = (node: ts.Node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push({ spec: node.moduleSpecifier.text, line: at(node) });
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      found.push({ spec: node.arguments[0].text, line: at(node) });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ spec: node.argument.literal.text, line: at(node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The src-relative path a relative import names (`.js` read as `.ts`), or undefined for a package. */
function target(from: string, spec: string): string | undefined {
  if (!spec.startsWith(".")) return undefined;
  return relative(SRC, resolve(dirname(from), spec))
    .replace(/\.js$/, ".ts")
    .split("\\")
    .join("/");
}

const parsed = new Map<string, { text: string; source?: ts.SourceFile }>();
function textOf(path: string): string {
  let file = parsed.get(path);
  if (!file) {
    file = { text: readFileSync(path, "utf8") };
    parsed.set(path, file);
  }
  return file.text;
}
function parse(path: string): ts.SourceFile {
  textOf(path);
  const file = parsed.get(path)!;
  file.source ??= ts.createSourceFile(path, file.text, ts.ScriptTarget.Latest, true);
  return file.source;
}

/** The findings once each (a line naming `prisma` twice is one finding). */
function once(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => !seen.has(`${f.file}:${f.line}:${f.text}`) && seen.add(`${f.file}:${f.line}:${f.text}`));
}

/** Where the files under `folder` import Prisma's client or packages, or name a Prisma client or value. */
function prismaTouches(folder: string): Finding[] {
  const findings: Finding[] = [];
  for (const path of sourceFiles(join(SRC, folder))) {
    // Only a file that says "prisma" somewhere can touch it (parsing every file would cost seconds on a loaded machine).
    if (!/prisma/i.test(textOf(path))) continue;
    const source = parse(path);
    const file = relative(SRC, path);
    for (const { spec, line } of importsOf(source)) {
      const to = target(path, spec);
      if (spec.startsWith("@prisma/") || spec === "prisma" || to?.startsWith("generated/prisma")) findings.push({ file, line, text: `imports ${spec}` });
    }
    const visit = (node: ts.Node) => {
      if (ts.isIdentifier(node) && /^(prisma|PrismaClient|Prisma)$/.test(node.text)) {
        findings.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, text: `names ${node.text}` });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return once(findings);
}

/** Where files outside src/slack import from it, less the composition roots in MAY_IMPORT_SLACK. */
function slackImports(): Finding[] {
  const findings: Finding[] = [];
  for (const path of sourceFiles(SRC)) {
    const file = relative(SRC, path).split("\\").join("/");
    if (file.startsWith("slack/") || file in MAY_IMPORT_SLACK || !textOf(path).includes("slack/")) continue;
    for (const { spec, line } of importsOf(parse(path))) {
      if (target(path, spec)?.startsWith("slack/")) findings.push({ file, line, text: `imports ${spec}` });
    }
  }
  return findings;
}

function report(findings: Finding[]): string[] {
  return findings.map((f) => `src/${f.file}:${f.line}: ${f.text}`);
}

describe("the adapters' layering", () => {
  it("nothing in src/slack touches Prisma: it is handed services and stores (src/commands/services-slack.ts)", () => {
    expect(report(prismaTouches("slack"))).toEqual([]);
  });

  it("nothing in src/cli touches Prisma", () => {
    expect(report(prismaTouches("cli"))).toEqual([]);
  });

  it("outside src/slack, only the composition roots import from it (src/cli and src/config.ts included: they are handed Slack's readers and checks)", () => {
    expect(report(slackImports())).toEqual([]);
  });

  it("finds what it looks for: a Prisma import, a `prisma` value, an import of src/slack (checked on this test's own kind of input)", () => {
    const probe = ts.createSourceFile(
      join(SRC, "slack/probe.ts"),
      'import type { PrismaClient } from "../generated/prisma/client.js";\nimport { x } from "../slack/ids.js";\nconst y = deps.db.prisma;\nconst z = await import("./views/blocks.js");\n',
      ts.ScriptTarget.Latest,
      true,
    );
    const specs = importsOf(probe).map((i) => `${i.line}:${target(join(SRC, "slack/probe.ts"), i.spec)}`);
    expect(specs).toEqual(["1:generated/prisma/client.ts", "2:slack/ids.ts", "4:slack/views/blocks.ts"]);
    const names: string[] = [];
    const visit = (node: ts.Node) => {
      if (ts.isIdentifier(node) && /^(prisma|PrismaClient|Prisma)$/.test(node.text)) names.push(`${probe.getLineAndCharacterOfPosition(node.getStart(probe)).line + 1}:${node.text}`);
      ts.forEachChild(node, visit);
    };
    visit(probe);
    expect(names).toEqual(["1:PrismaClient", "3:prisma"]);
  });
});
