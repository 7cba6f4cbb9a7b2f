/**
 * Counts as people read them in CLI lines, Slack text and documents: "21,000", not "21000" (grouped as en-US, the
 * team's language, whatever the machine's locale). One place, so that a progress line's "25,000" and the last line's
 * "21,000 added" agree.
 */

/** A whole count with thousands separators: 21000 -> "21,000". */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** A count and its noun: "1 fact", "21,000 facts", "2 matches" (give the plural when it is not the noun and "s"). */
export function counted(n: number, one: string, many = `${one}s`): string {
  return `${count(n)} ${n === 1 ? one : many}`;
}
