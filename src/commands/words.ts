/**
 * The two words of each command group, accepted everywhere (`/korus facts show 3`, `fact add` in the console,
 * `korus fact add`). A module of its own, importing nothing, so that the `korus` command can route a word to its group
 * before it loads anything else.
 */

/** The other word of a group and the word the registry spells it with. */
export const GROUP_WORDS: Readonly<Record<string, string>> = { facts: "fact", memos: "memo", schedules: "schedule", figure: "figures", alert: "alerts" };

/** A group's word as the registry spells it (lower case). */
export function groupWord(word: string): string {
  const lower = word.toLowerCase();
  return GROUP_WORDS[lower] ?? lower;
}

/** Whether two words name the same group (`fact` and `facts`). */
export function sameGroup(a: string, b: string): boolean {
  return groupWord(a) === groupWord(b);
}

/** The other words of `word`'s group (`facts` for `fact`, `fact` for `facts`). */
export function otherWords(word: string): string[] {
  const canonical = groupWord(word);
  return [canonical, ...Object.keys(GROUP_WORDS).filter((w) => GROUP_WORDS[w] === canonical)].filter((w) => w !== word.toLowerCase());
}
