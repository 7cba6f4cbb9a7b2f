/**
 * Citations: the facts an output uses and its numbered sources, each distinct source (by {@link sourceKey}) numbered
 * once, in the order first cited. The status, memos and briefs all number their ` [n]` marks this way.
 */
import { type Fact, type FactSource, sourceKey } from "./model.js";

/** A source with its number in the output's list. */
export type NumberedSource = FactSource & { number: number };

/** The facts an output cites and the numbered sources they come from, in the order first cited. */
export class Citations {
  /** Numbered sources, in the order first cited. */
  readonly sources: NumberedSource[] = [];
  /** Facts used, in the order first cited. */
  readonly used: Fact[] = [];
  private readonly numbers = new Map<string, number>();
  private readonly usedIds = new Set<number>();

  /** Records the fact as used; returns its source number, or null when it names no source. */
  cite(fact: Fact): number | null {
    if (!this.usedIds.has(fact.id)) {
      this.usedIds.add(fact.id);
      this.used.push(fact);
    }
    if (!fact.source.title && !fact.source.url) return null;
    const key = sourceKey(fact.source);
    let number = this.numbers.get(key);
    if (number === undefined) {
      number = this.sources.length + 1;
      this.numbers.set(key, number);
      this.sources.push({ ...fact.source, number });
    }
    return number;
  }

  /** True when the fact has been cited. */
  has(fact: Fact): boolean {
    return this.usedIds.has(fact.id);
  }
}

/** " [n]" after a cited fact, "" for one without a source: the same mark in Markdown, mrkdwn and the terminal. */
export function citationMark(number: number | null): string {
  return number === null ? "" : ` [${number}]`;
}
