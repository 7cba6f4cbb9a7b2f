/**
 * "Did you mean …": the nearest of the words a command could have been, by Damerau-Levenshtein distance (the
 * optimal-string-alignment form: a swap of two neighbouring letters counts one, as a typo does).
 */

/** The edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

/** How far a typed word may be from a known one and still be taken for it: one edit for short words, two from five letters. */
function allowance(word: string): number {
  return word.length >= 5 ? 2 : 1;
}

/**
 * The known word nearest to `word` within its allowance (a unique prefix of three letters or more counts too), or
 * undefined. Ties go to the earlier known word, so list the likelier ones first.
 */
export function nearest(word: string, known: readonly string[]): string | undefined {
  const typed = word.toLowerCase();
  if (typed.length === 0 || typed.length > 40) return undefined;
  let best: { word: string; distance: number } | undefined;
  for (const candidate of known) {
    if (candidate === typed) return candidate;
    const distance = editDistance(typed, candidate);
    if (distance <= allowance(typed) && (!best || distance < best.distance)) best = { word: candidate, distance };
  }
  if (best) return best.word;
  const prefixed = typed.length >= 3 ? known.filter((k) => k.startsWith(typed)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}
