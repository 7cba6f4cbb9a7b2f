import { strFromU8, unzipSync } from "fflate";

/** The parts of a .docx, as text. */
export function unzipDocx(bytes: Uint8Array): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipSync(bytes)).map(([name, data]) => [name, strFromU8(data)]));
}

/** The text a reader sees of some WordprocessingML: the runs' text, entities decoded. */
function runText(xml: string): string {
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)]
    .map((m) => m[1]!)
    .join("")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/**
 * The footnotes of a .docx as a reader meets them: the ids the body references, in order, and each footnote's text
 * by id (Word's separator notes, which carry a `w:type`, left out).
 */
export function docxFootnotes(parts: Record<string, string>): { references: number[]; notes: Map<number, string> } {
  const references = [...(parts["word/document.xml"] ?? "").matchAll(/<w:footnoteReference w:id="(-?\d+)"\/>/g)].map((m) => Number(m[1]));
  const notes = new Map<number, string>();
  for (const m of (parts["word/footnotes.xml"] ?? "").matchAll(/<w:footnote ([^>]*)>(.*?)<\/w:footnote>/gs)) {
    if (/w:type=/.test(m[1]!)) continue;
    notes.set(Number(/w:id="(-?\d+)"/.exec(m[1]!)![1]), runText(m[2]!).trim());
  }
  return { references, notes };
}

/** The body's text (document.xml), paragraphs joined by line feeds. */
export function docxBodyText(parts: Record<string, string>): string {
  return [...(parts["word/document.xml"] ?? "").matchAll(/<w:p[ >].*?<\/w:p>/gs)].map((p) => runText(p[0])).join("\n");
}
