/**
 * Citations: the facts an output uses and its numbered sources, each distinct source (by {@link sourceKey}) numbered
 * once, in the order first cited. The status, memos and briefs all number their ` [n]` marks this way; a fact with
 * several sources gets one number per source (` [1, 3]`), and each other reading of a disputed fact its own.
 */
import { ALSO_REPORTED, readingLabel, sameEventLabel, SOURCES_DIFFER } from "./labels.js";
import { type DisputedReading, type Fact, type FactSource, sourceKey } from "./model.js";

/** A cited link that is dead, and its archived copy when one was kept (src/sources/dead-links.ts). */
export interface ArchiveNote {
  /** The archived page's number (`korus sources show ID`). */
  id: number;
  deadSince: string;
  reason: string | null;
  /** The day the copy was fetched; null when no copy could be kept. */
  fetchedOn: string | null;
}

/** A source with its number in the output's list, and a note when its link is dead. */
export type NumberedSource = FactSource & { number: number; archive?: ArchiveNote };

/** Another reading of a fact with the number of its source. */
export interface CitedReading extends DisputedReading {
  number: number | null;
}

/** The facts an output cites and the numbered sources they come from, in the order first cited. */
export class Citations {
  /** Numbered sources, in the order first cited. */
  readonly sources: NumberedSource[] = [];
  /** Facts used, in the order first cited. */
  readonly used: Fact[] = [];
  private readonly numbers = new Map<string, number>();
  private readonly usedIds = new Set<number>();

  /** Records the fact as used; returns the numbers of its sources (empty when it names none). */
  cite(fact: Fact): number[] {
    if (!this.usedIds.has(fact.id)) {
      this.usedIds.add(fact.id);
      this.used.push(fact);
    }
    const numbers: number[] = [];
    for (const source of fact.sources) {
      const n = this.citeSource(source);
      if (n !== null && !numbers.includes(n)) numbers.push(n);
    }
    return numbers;
  }

  /** The fact's other readings ("sources differ"), each with its source's number; cite the fact first. */
  readings(fact: Fact): CitedReading[] {
    return fact.disputed.map((d) => ({ ...d, number: this.citeSource(d.source) }));
  }

  /** Numbers one source (once per distinct source); null for one without title or URL. */
  citeSource(source: FactSource): number | null {
    if (!source.title && !source.url) return null;
    const key = sourceKey(source);
    let number = this.numbers.get(key);
    if (number === undefined) {
      number = this.sources.length + 1;
      this.numbers.set(key, number);
      this.sources.push({ ...source, number });
    }
    return number;
  }

  /** True when the fact has been cited. */
  has(fact: Fact): boolean {
    return this.usedIds.has(fact.id);
  }
}

/**
 * " [1]" or " [1, 3]" after a cited fact, "" for one without a source: the same mark in Markdown, mrkdwn and the
 * terminal.
 */
export function citationMark(numbers: readonly number[] | number | null): string {
  const list = numbers === null ? [] : typeof numbers === "number" ? [numbers] : numbers;
  return list.length === 0 ? "" : ` [${list.join(", ")}]`;
}

/** What is printed beside a cited fact: its other readings and the other reports of the same event, each cited. */
export interface FactNotes {
  readings: CitedReading[];
  sameEvent: Array<{ fact: Fact; numbers: number[] }>;
}

/** Cites the fact's other readings and the other facts of its event (`sameEvent`), numbering their sources. */
export function citeNotes(citations: Citations, fact: Fact, sameEvent: readonly Fact[]): FactNotes {
  return {
    readings: citations.readings(fact),
    sameEvent: sameEvent.map((other) => ({ fact: other, numbers: citations.cite(other) })),
  };
}

/**
 * The notes as one parenthesis after a fact: ` (sources differ: “June 1, 2018” per Global Trade Alert [3]; also
 * reported: 2018-03-26 (Korea): … [4])`, or "". `escapeText` makes each text safe for the output (Markdown, mrkdwn, none).
 */
export function notesText(notes: FactNotes, escapeText: (text: string) => string): string {
  const parts: string[] = [];
  if (notes.readings.length > 0) {
    parts.push(`${SOURCES_DIFFER}: ${notes.readings.map((r) => `${escapeText(readingLabel(r))}${citationMark(r.number)}`).join("; ")}`);
  }
  if (notes.sameEvent.length > 0) {
    parts.push(`${ALSO_REPORTED}: ${notes.sameEvent.map((s) => `${escapeText(sameEventLabel(s.fact))}${citationMark(s.numbers)}`).join("; ")}`);
  }
  return parts.length === 0 ? "" : ` (${parts.join("; ")})`;
}
