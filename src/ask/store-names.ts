/**
 * The names the fact store itself defines, for reading a question's abbreviations: acronyms written out in the facts
 * ("Ministry of Trade, Industry and Energy (MOTIE)") and the initials of the names in titles and summaries ("JC" for
 * "Joint Committee"). Read from the store, so no list of abbreviations is kept.
 */
import type { Fact } from "../facts/model.js";

/** The acronyms the store defines: "Long Name (ABBR)" in a title, summary or source title. */
export function storeAcronyms(facts: readonly Fact[]): Array<{ terms: string[] }> {
  const found = new Map<string, string>();
  const pattern = /((?:[A-Z][\w’'.-]*,? (?:(?:of|and|for|the|on|in|&) )*){1,8})\(([A-Z]{2,8})\)/g;
  for (const f of facts) {
    const texts = [f.title, f.summary, ...f.sources.map((s) => s.title ?? "")];
    for (const text of texts) {
      for (const m of text.matchAll(pattern)) {
        const long = m[1]!.trim().replace(/,$/, "");
        const initials = long
          .split(/\s+/)
          .filter((w) => /^[A-Z]/.test(w))
          .map((w) => w[0])
          .join("");
        // Only an acronym of the words before it: "U.S. Census Bureau (2017)" is not a definition.
        if (initials.includes(m[2]![0]!) && !found.has(m[2]!)) found.set(m[2]!, long);
      }
    }
  }
  return [...found].map(([abbr, long]) => ({ terms: [abbr, long] }));
}

/**
 * The initials of the names in the store's titles and summaries ("Joint Committee", "New York"): a reader writes "JC" or
 * "NY" for them. Names of two to four capitalised words (with "of" between) not starting with a function word ("The
 * United States", by `isFunctionWord`); initials that stand for two names ("KH": Korea Herald, Kim Hyun) are ambiguous and left out.
 */
export function nameInitials(facts: readonly Fact[], isFunctionWord: (lowerCaseWord: string) => boolean): Map<string, string> {
  const byInitials = new Map<string, Set<string>>();
  const name = /(?<![\w.])([A-Z][a-z]+(?:\s+(?:of\s+)?[A-Z][a-z]+){1,3})(?!\w)/g;
  for (const f of facts) {
    for (const text of [f.title, f.summary]) {
      for (const m of text.matchAll(name)) {
        const words = m[1]!.split(/\s+/);
        if (isFunctionWord(words[0]!.toLowerCase())) continue;
        const initials = words
          .filter((w) => /^[A-Z]/.test(w))
          .map((w) => w[0])
          .join("");
        byInitials.set(initials, (byInitials.get(initials) ?? new Set()).add(m[1]!));
      }
    }
  }
  return new Map([...byInitials].filter(([, names]) => names.size === 1).map(([initials, names]) => [initials, [...names][0]!]));
}
