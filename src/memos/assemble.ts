import { citationMark, Citations, citeNotes, notesText } from "../facts/citations.js";
import type { IsoDate } from "../facts/dates.js";
import { FactIndex } from "../facts/fact-index.js";
import { dayLabel } from "../facts/labels.js";
import type { Fact } from "../facts/model.js";
import { oldestFirst } from "../facts/order.js";
import { escapeMarkdown } from "../render/escape.js";
import { sourceLine } from "../render/source-line.js";
import { type DeadLinks, withDeadLinks } from "../sources/dead-links.js";
import { FactViews } from "./templates/fact-views.js";
import { renderTemplateBody } from "./templates/renderer.js";
import { isWritten, type MemoTemplate, type SectionInput, type TemplateVariables } from "./templates/template.js";

/** The memo lists at most this many upcoming deadlines after its body; the rest are counted. */
export const MAX_LISTED_DEADLINES = 10;

/** Everything a memo is assembled from. */
export interface AssembleInput {
  template: MemoTemplate;
  title: string;
  /** The memo date, which is also the as-of date of its facts and of the days left to each deadline. */
  date: IsoDate;
  authors: readonly string[];
  /** A handling line shown in bold at the very top, e.g. "PRE-DECISIONAL / DELIBERATIVE". */
  banner?: string;
  /** Section texts by key; a key the template does not declare is ignored. */
  sections: Readonly<Record<string, SectionInput>>;
  /**
   * The facts visible on `date` (facts not yet known then, or retracted, are left out here too), or their index as of
   * `date` (from the as-of cache: src/facts/as-of-cache.ts), which is then not built again.
   */
  facts: readonly Fact[] | FactIndex;
  /** When `facts` is a subset: how many deadlines fell due before the overdue window (the `olderOverdue` line). */
  olderOverdueCount?: number;
  /** The variables of the template's kind; a brief's come from `briefVariables` (src/briefs/brief-context.ts). */
  variables?: TemplateVariables;
  /** Cited links found dead, printed with their archived copies (src/sources/dead-links.ts). */
  deadLinks?: DeadLinks;
}

/** An assembled memo. */
export interface AssembledMemo {
  markdown: string;
  /** Keys of required sections that are not written (waiting, or blank): the caller asks before posting. */
  missingRequired: string[];
  /** The facts the memo cites, in the order first cited. */
  factsUsed: Fact[];
}

/**
 * Renders a template into one Markdown memo: banner, title, date, authors and a line on the sections' state, the body
 * with its sections and facts, then (for a memo) a timeline of the facts used and the upcoming deadlines, and the
 * numbered sources every ` [n]` refers to. A brief (kind: brief) places its own deadlines and gets only the sources.
 * Facts are indexed once, so the cost grows with the number of facts as one sort, not with facts times helpers.
 */
export function assembleMemo(input: AssembleInput): AssembledMemo {
  const { template } = input;
  const facts = indexOf(input);
  const citations = new Citations();
  const body = renderTemplateBody(template, {
    memo: { title: input.title, date: input.date, authors: input.authors },
    sections: input.sections,
    facts,
    citations,
    ...(input.variables ? { variables: input.variables } : {}),
  });

  const out: string[] = [];
  if (input.banner?.trim()) out.push(`**${escapeMarkdown(input.banner)}**`, "");
  out.push(`# ${escapeMarkdown(input.title) || escapeMarkdown(template.title)}`, "");
  const meta = [`**Date:** ${dayLabel(input.date)}`];
  const authors = input.authors.map(escapeMarkdown).filter((a) => a !== "");
  if (authors.length > 0) meta.push(`**Author${authors.length === 1 ? "" : "s"}:** ${authors.join(", ")}`);
  if (template.sections.length > 0) meta.push(`**Sections:** ${sectionSummary(template, input.sections)}`);
  // Two trailing spaces: a Markdown line break, so the lines stay one block.
  out.push(meta.join("  \n"), "");
  out.push(body.trim(), "");

  if (template.kind === "memo") {
    const listed = facts.upcoming.slice(0, MAX_LISTED_DEADLINES);
    // The timeline shows every fact the memo uses, the appended deadlines included, so their sources are numbered
    // in reading order.
    const timeline = [...citations.used, ...listed.filter((d) => !citations.has(d))].sort(oldestFirst);
    out.push("## Timeline", "");
    if (timeline.length === 0) out.push("No facts cited.");
    for (const fact of timeline) {
      const inferred = fact.confidence === "inferred" ? " _(inferred)_" : "";
      const mark = citationMark(citations.cite(fact));
      const notes = notesText(citeNotes(citations, fact, facts.sameEvent(fact)), escapeMarkdown);
      out.push(`- ${dayLabel(fact.date)}, ${fact.kind}: ${escapeMarkdown(fact.title)}${inferred}${mark}${notes}`);
    }
    out.push("", "## Upcoming deadlines", "");
    if (listed.length === 0) out.push("None on record.");
    const views = FactViews.of(facts);
    for (const fact of listed) {
      const d = views.deadlineView(fact);
      out.push(`- **${d.title}**: ${d.when}, **${d.daysLeftText}**${d.basis ? `; ${d.basis}` : ""}${citationMark(citations.cite(fact))}`);
    }
    const more = facts.upcoming.length - listed.length;
    if (more > 0) out.push(`- …and ${more} more upcoming deadline${more === 1 ? "" : "s"}.`);
    out.push("");
  }

  out.push("## Sources", "");
  if (citations.sources.length === 0) out.push("None.");
  for (const source of input.deadLinks ? withDeadLinks(citations.sources, input.deadLinks) : citations.sources) out.push(sourceLine(source));

  return {
    markdown: `${out.join("\n")}\n`,
    missingRequired: template.sections.filter((s) => s.required && !isWritten(input.sections[s.key])).map((s) => s.key),
    factsUsed: [...citations.used],
  };
}

function indexOf(input: AssembleInput): FactIndex {
  if (!(input.facts instanceof FactIndex)) {
    return new FactIndex(input.facts, input.date, input.olderOverdueCount !== undefined ? { olderOverdueCount: input.olderOverdueCount } : {});
  }
  if (input.facts.asOf !== input.date) throw new RangeError(`the fact index is as of ${input.facts.asOf}, the memo as of ${input.date}`);
  return input.facts;
}

/** "6 final; 1 drafted (Next steps); 1 missing (Risks)", or "all 8 final". */
export function sectionSummary(template: MemoTemplate, sections: Readonly<Record<string, SectionInput>>): string {
  const final: string[] = [];
  const drafted: string[] = [];
  const missing: string[] = [];
  for (const spec of template.sections) {
    const section = sections[spec.key];
    const title = escapeMarkdown(spec.title);
    if (!isWritten(section)) missing.push(spec.required ? title : `${title}, optional`);
    else (section.state === "final" ? final : drafted).push(title);
  }
  if (final.length === template.sections.length) return `all ${final.length} final`;
  const parts = [`${final.length} final`];
  if (drafted.length > 0) parts.push(`${drafted.length} drafted (${drafted.join("; ")})`);
  if (missing.length > 0) parts.push(`${missing.length} missing (${missing.join("; ")})`);
  return parts.join("; ");
}
