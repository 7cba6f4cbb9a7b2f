/**
 * Splits a Markdown document into pieces of at most `max` characters, each ending at a block boundary when it can:
 * before a heading if the piece is already half full, else between paragraphs or list items, else between lines, and
 * only as a last resort inside a line. A fenced code block is never split unless it alone is longer than `max`.
 */
export function splitMarkdown(markdown: string, max: number): string[] {
  if (max < 100) throw new RangeError("max must be at least 100 characters");
  const text = markdown.replace(/\r\n?/g, "\n").trim();
  if (text.length <= max) return text ? [text] : [];

  // Blocks: runs of lines separated by blank lines, with a fenced code block kept whole.
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | null = null;
  for (const line of text.split("\n")) {
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === null && marker) fence = marker;
    else if (fence !== null && marker && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
    if (fence === null && line.trim() === "" && !marker) {
      if (current.length > 0) blocks.push(current.join("\n"));
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) blocks.push(current.join("\n"));

  const pieces: string[] = [];
  let piece = "";
  const flush = () => {
    if (piece) pieces.push(piece);
    piece = "";
  };
  for (const block of blocks.flatMap((b) => (b.length <= max ? [b] : splitLong(b, max)))) {
    const heading = /^#{1,6}\s/.test(block);
    const joined = piece ? `${piece}\n\n${block}` : block;
    if (joined.length > max || (heading && piece.length > max / 2)) {
      flush();
      piece = block;
    } else {
      piece = joined;
    }
  }
  flush();
  return pieces;
}

/** A block longer than `max`: by lines, and a line longer than `max` by characters. */
function splitLong(block: string, max: number): string[] {
  const out: string[] = [];
  let piece = "";
  for (const line of block.split("\n")) {
    const parts = line.length <= max ? [line] : Array.from({ length: Math.ceil(line.length / max) }, (_, i) => line.slice(i * max, (i + 1) * max));
    for (const part of parts) {
      const joined = piece ? `${piece}\n${part}` : part;
      if (joined.length > max) {
        out.push(piece);
        piece = part;
      } else {
        piece = joined;
      }
    }
  }
  if (piece) out.push(piece);
  return out;
}
