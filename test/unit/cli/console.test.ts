import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runConsole } from "../../../src/cli/console.js";
import { escapeMarkdown } from "../../../src/render/escape.js";

/** The console's screen after `lines`, answered with `answer` (a memo list line with an escaped title). */
async function screen(interactive: boolean, answer: string): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let text = "";
  output.on("data", (chunk: Buffer) => (text += chunk.toString()));
  input.end("memo list\nexit\n");
  await runConsole({ input, output, interactive }, async () => ({ ok: true, output: answer }));
  return text;
}

describe("the local console's screen", () => {
  const title = escapeMarkdown("Prep <b> & co &lt; [x](https://evil)");
  const answer = `- **#1** ${title} · no due time · open\n`;

  it("shows a person at the terminal the text as typed (src/render/terminal.ts); piped output stays Markdown", async () => {
    expect(title).toBe("Prep &lt;b&gt; & co &amp;lt; \\[x\\](https\\://evil)");
    const typed = await screen(true, answer);
    // No character reference and no backslash; the link-shaped title shows literally, its address in sight.
    expect(typed).toContain("- **#1** Prep <b> & co &lt; [x](https://evil) · no due time · open");
    expect(typed).not.toContain("&lt;b&gt;");
    expect(typed).not.toContain("\\[");
    expect(await screen(false, answer)).toBe(answer);
  });
});
