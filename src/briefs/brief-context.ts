/**
 * What a brief template (kind: brief) gets besides the memo's variables and the fact helpers: a headline, the fact
 * changes since the last brief and the memos in progress. The brief service fills a {@link BriefContext}; the
 * template engine renders it through {@link briefVariables}.
 */
import type { IsoDate } from "../facts/dates.js";
import type { Fact } from "../facts/model.js";
import type { TemplateVariables } from "../memos/templates/template.js";
import { escapeMarkdown } from "../render/escape.js";

/** One change to the fact store since the last brief. */
export interface BriefChange {
  change: "new" | "edited" | "retracted";
  fact: Fact;
}

/** One memo the brief lists as open. */
export interface BriefMemo {
  title: string;
  /** The memo's state in the team's words, e.g. "collecting sections". */
  state: string;
  due: IsoDate | null;
}

/** The variables a brief template uses besides the fact helpers. */
export interface BriefContext {
  /** One line on top of the brief; empty for none. */
  headline?: string;
  changes?: BriefChange[];
  memos?: BriefMemo[];
  /** What the changes cover, in words: "since the last brief" (the default), "learned in the 7 days to 2018-03-30". */
  changesWindow?: string;
}

/**
 * A brief's context as template variables: `headline` (escaped), `changesWindow` (escaped), `changes` (list of {change, fact}, each fact as a
 * template sees it) and `memos` (list of {title, state, due}, escaped). Missing lists are empty, so
 * `{{#each changes}}…{{else}}None.{{/each}}` prints "None.".
 */
export function briefVariables(context: BriefContext): TemplateVariables {
  return (views) => ({
    headline: escapeMarkdown(context.headline ?? ""),
    changesWindow: escapeMarkdown(context.changesWindow ?? "since the last brief"),
    changes: (context.changes ?? []).map((c) => ({ change: c.change, fact: views.view(c.fact) })),
    memos: (context.memos ?? []).map((m) => ({ title: escapeMarkdown(m.title), state: escapeMarkdown(m.state), due: m.due ?? null })),
  });
}

/** A brief context with one of everything, from the checker's sample facts: what a brief template is checked with. */
export function sampleBriefVariables(facts: readonly Fact[]): TemplateVariables {
  const [event, , , position, , , , , note] = facts;
  const changes: BriefChange[] = [];
  if (event) changes.push({ change: "new", fact: event });
  if (position) changes.push({ change: "edited", fact: position });
  if (note) changes.push({ change: "retracted", fact: { ...note, retracted: true } });
  return briefVariables({
    headline: "Sample headline",
    changes,
    memos: [
      { title: "Sample memo", state: "collecting sections", due: "2017-07-25" },
      { title: "Sample memo without a due date", state: "assembled", due: null },
    ],
  });
}
