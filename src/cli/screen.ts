/**
 * How the `korus` command prints Markdown: as text for a person at a terminal (src/render/terminal.ts: `<b> & [x]` as
 * typed, a link with its address beside it), and as Markdown, unchanged, into a pipe or a file, where a program or a
 * Markdown reader takes it. Plain lines (`Added fact #3: …`, a file's name) and other formats (JSON Lines, HTML,
 * iCalendar) are written as they are.
 */

/** The terminal's renderer, loaded only when a terminal will read something (it brings marked, ~60 ms to load). */
const terminal = process.stdout.isTTY || process.stderr.isTTY ? await import("../render/terminal.js") : undefined;

/** Writes `markdown` to `stream` (standard output unless given): read as text at a terminal, Markdown elsewhere. */
export function printMarkdown(markdown: string, stream: NodeJS.WriteStream = process.stdout): void {
  stream.write(stream.isTTY && terminal ? terminal.markdownToTerminal(markdown) : markdown);
}
