/**
 * A feed's keywords: which items become candidates. A keyword matches at the start of a word, in any case and with or
 * without accents ("Korea" matches "Korean" and "KOREA"; "Turkiye" matches "Türkiye"); a keyword of several words
 * matches them in order with any spacing between ("free trade agreement"). No keywords: every item matches.
 */

/** At most this many keywords per feed, each at most this long. */
export const KEYWORD_LIMITS = { count: 20, length: 100 } as const;

/** Lower case, accents removed, so that matching ignores both. */
function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/**
 * "Korea, KORUS" as a list of keywords, or the problem with it (an empty keyword between commas is ignored).
 */
export function parseKeywords(text: string | readonly string[] | undefined): string[] | { problem: string } {
  const raw = typeof text === "string" ? text.split(",") : [...(text ?? [])];
  const keywords = [...new Set(raw.map((k) => k.replace(/\s+/g, " ").trim()).filter(Boolean))];
  if (keywords.length > KEYWORD_LIMITS.count) return { problem: `at most ${KEYWORD_LIMITS.count} keywords per feed (${keywords.length} given)` };
  const long = keywords.find((k) => k.length > KEYWORD_LIMITS.length);
  if (long) return { problem: `a keyword may be at most ${KEYWORD_LIMITS.length} characters (\`${long.slice(0, 30)}…\` is ${long.length})` };
  // eslint-disable-next-line no-control-regex
  // biome-ignore lint/suspicious/noControlCharactersInRegex: a keyword with a control character is refused.
  const control = keywords.find((k) => /[\u0000-\u001F\u007F-\u009F]/.test(k));
  if (control) return { problem: "a keyword may not contain control characters" };
  return keywords;
}

/** A matcher for `keywords`: the keywords an item's text matches (all of them when the list is empty, as `["*"]`). */
export function keywordMatcher(keywords: readonly string[]): (text: string) => string[] {
  if (keywords.length === 0) return () => [];
  const patterns = keywords.map((k) => ({
    keyword: k,
    pattern: new RegExp(
      `(?<![\\p{L}\\p{N}])${fold(k)
        .split(" ")
        .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
        .join("\\s+")}`,
      "u",
    ),
  }));
  return (text) => {
    const folded = fold(text);
    return patterns.filter((p) => p.pattern.test(folded)).map((p) => p.keyword);
  };
}

/** True when an item with these matches becomes a candidate: something matched, or the feed has no keywords. */
export function itemMatches(keywords: readonly string[], matched: readonly string[]): boolean {
  return keywords.length === 0 || matched.length > 0;
}
