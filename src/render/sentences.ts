/**
 * Cutting text at a sentence boundary (Intl.Segmenter's English sentence rules), so that a shortened summary never
 * stops mid-sentence, where a caveat ("..., unless the Parties otherwise agree") would be lost.
 */
const SENTENCES = new Intl.Segmenter("en", { granularity: "sentence" });

/**
 * The whole sentences of `text` that fit in `limit` characters; at least the first sentence, whole, however long.
 * `cut` is true when sentences were left out.
 */
export function sentencesWithin(text: string, limit: number): { text: string; cut: boolean } {
  const clean = text.replace(/\s+/g, " ").trim();
  if (clean.length <= limit) return { text: clean, cut: false };
  let out = "";
  for (const { segment } of SENTENCES.segment(clean)) {
    if (out && (out + segment).trimEnd().length > limit) break;
    out += segment;
  }
  out = out.trimEnd();
  return { text: out, cut: out.length < clean.length };
}
