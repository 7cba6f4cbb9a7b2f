/** What changed between two assemblies of a memo: a unified diff of the assembled Markdown, with a summary line. */
import { structuredPatch } from "diff";
import { codeBlockMarkdown } from "../render/escape.js";
import { listAssemblies, type MemoAssemblyView } from "./assemblies.js";
import { MemoError, type MemoDeps } from "./read.js";
import { count, counted } from "../render/count.js";

/** The changes from one assembly to another. */
export interface MemoDiff {
  memoId: number;
  from: MemoAssemblyView;
  to: MemoAssemblyView;
  /** Lines added and removed. */
  added: number;
  removed: number;
  /** The unified diff (3 lines of context), "" when nothing changed. */
  unified: string;
}

/** The unified diff of two Markdown texts with 3 lines of context, and the counts of added and removed lines. */
export function diffMarkdown(before: string, after: string, labels: { from: string; to: string }): { unified: string; added: number; removed: number } {
  const patch = structuredPatch(labels.from, labels.to, before, after, undefined, undefined, { context: 3 });
  let added = 0;
  let removed = 0;
  const lines: string[] = [];
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) {
      if (line.startsWith("+")) added++;
      else if (line.startsWith("-")) removed++;
      if (!line.startsWith("\\")) lines.push(line);
    }
  }
  return { unified: lines.length > 0 ? `--- ${labels.from}\n+++ ${labels.to}\n${lines.join("\n")}\n` : "", added, removed };
}

/**
 * The diff between assemblies `from` and `to` of a memo (numbers as `korus memo diff` shows them). Without `to`, the
 * latest; without `from`, the one before `to`. MemoError("not_found") names the assemblies there are.
 */
export async function diffAssemblies(deps: Pick<MemoDeps, "prisma" | "templates">, memoId: number, from?: number, to?: number): Promise<MemoDiff> {
  const all = await listAssemblies(deps, memoId);
  if (all.length === 0) throw new MemoError("not_found", `Memo #${memoId} has not been assembled yet: assemble it first (korus memo assemble ${memoId}).`);
  const numbers = all.map((a) => a.number).join(", ");
  const pick = (n: number) => {
    const found = all.find((a) => a.number === n);
    if (!found) throw new MemoError("not_found", `Memo #${memoId} has no assembly ${n}; it has ${numbers}.`);
    return found;
  };
  const target = to === undefined ? all[all.length - 1]! : pick(to);
  if (from === undefined && target.number === 1) {
    throw new MemoError("not_found", `Memo #${memoId} has only been assembled once${all.length > 1 ? " before that" : ""}: there is nothing to compare it with yet.`);
  }
  const base = from === undefined ? pick(target.number - 1) : pick(from);
  const label = (a: MemoAssemblyView) => `memo #${memoId} assembly ${a.number} (as of ${a.asOf}, ${a.at.toISOString().slice(0, 16).replace("T", " ")} UTC)`;
  return { memoId, from: base, to: target, ...diffMarkdown(base.markdown, target.markdown, { from: label(base), to: label(target) }) };
}

/** The diff as Markdown: a summary line and the unified diff in a code block. */
export function memoDiffMarkdown(diff: MemoDiff): string {
  const head = `# Memo #${diff.memoId}: changes from assembly ${diff.from.number} to ${diff.to.number}`;
  if (!diff.unified) return `${head}\n\nNo changes: both assemblies are the same text.\n`;
  const summary = `${counted(diff.added, "line")} added, ${count(diff.removed)} removed (assembly ${diff.from.number} as of ${diff.from.asOf}; assembly ${diff.to.number} as of ${diff.to.asOf}).`;
  return `${head}\n\n${summary}\n\n${codeBlockMarkdown(diff.unified, "diff")}`;
}
