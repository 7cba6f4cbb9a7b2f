/**
 * The `korus` command's Markdown as a person at a terminal reads it, and as a pipe gets it: the real command, run with
 * a pseudo-TTY (util-linux `script`) and with a pipe, on a data folder holding a fact, a source and a memo whose titles
 * carry Markdown's and HTML's special characters and link-shaped text.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { escapeMarkdown } from "../../src/render/escape.js";
import { cleanEnv, run, runAtTerminal, tempDataDir } from "../support/processes.js";

/** A title with everything Markdown or HTML would read: a tag, an ampersand, a link, brackets typed with backslashes. */
const TITLE = "<b> Zebra & co [x](https://evil.example/a) \\[y\\] *not bold*";
const SOURCE = "Wire <i> [report] *one* & co";
const MEMO = "Prep <b> & [memo](https://evil.example/m) \\[draft\\]";

const korus = (args: string[], env: NodeJS.ProcessEnv) => run("node", ["bin/korus.js", ...args], { env });
const korusAtTerminal = (args: string[], env: NodeJS.ProcessEnv) => runAtTerminal("node", ["bin/korus.js", ...args], { env });

describe("the korus command's Markdown at a terminal and in a pipe", () => {
  it("shows a person at a terminal every title as typed, links with their address, nothing link-shaped as a link; a pipe gets Markdown", { timeout: 300_000 }, async () => {
    const env = cleanEnv({ KORUS_DATA_DIR: tempDataDir() });
    const file = path.join(tempDataDir(), "facts.jsonl");
    const fact = {
      date: "2017-07-20",
      known: "2017-07-20",
      title: TITLE,
      kind: "event",
      actor: "US",
      summary: "See [the notice](https://ustr.gov/n) & <i>this</i>.",
      sources: [{ title: SOURCE, url: "https://ustr.gov/s" }],
    };
    writeFileSync(file, `${JSON.stringify(fact)}\n`);
    const imported = await korus(["facts", "import", file], env);
    expect(imported.code, imported.stderr).toBe(0);
    const created = await korus(["memo", "new", "--template", "special-session-prep", "--title", MEMO], env);
    expect(created.code, created.stderr).toBe(0);
    const search = await korus(["facts", "search", "zebra"], env);
    const id = /· #(\d+): /.exec(search.stdout)?.[1];
    expect(id, search.stdout).toBeDefined();

    // Every group of commands that prints Markdown: the registry's (fact show), each group's own, and status.
    const commands: [string[], string][] = [
      [["status"], TITLE],
      [["fact", "show", id!], TITLE],
      [["facts", "search", "zebra"], TITLE],
      [["fact", "history", id!], TITLE],
      [["facts", "export", "--format", "md"], TITLE],
      [["timeline"], TITLE],
      [["brief"], TITLE],
      [["ask", "what happened with zebra?"], TITLE],
      [["memo", "list"], MEMO],
      [["memo", "show", "1"], MEMO],
      [["memo", "export", "1"], MEMO],
    ];
    for (const [args, title] of commands) {
      const name = `korus ${args.join(" ")}`;
      const typed = await korusAtTerminal(args, env);
      expect(typed.code, `${name}\n${typed.stdout}`).toBe(0);
      // At a terminal: the title as typed (its typed backslashes too), not its Markdown form.
      expect(typed.stdout, name).toContain(title);
      expect(typed.stdout, name).not.toContain(escapeMarkdown(title));
      expect(typed.stdout, name).not.toMatch(/&lt;|&gt;|&amp;/);
      // The link-shaped text is text: nothing shows its label with another address (`x (https://evil…)`).
      expect(typed.stdout, name).not.toMatch(/\b(x|report|memo) \(https:/);

      const piped = await korus(args, env);
      expect(piped.code, `${name}\n${piped.stderr}`).toBe(0);
      expect(piped.stdout, name).toContain(escapeMarkdown(title));
      expect(piped.stdout, name).not.toContain(title);
    }

    // A source's link at a terminal: its title as typed, then where it really goes.
    const shown = await korusAtTerminal(["fact", "show", id!], env);
    expect(shown.stdout).toContain(`Source: ${SOURCE} (https://ustr.gov/s)`);
    // The summary's own link (Markdown its writer typed) shows its address; its HTML shows as written.
    expect(shown.stdout).toContain("See the notice (https://ustr.gov/n) & <i>this</i>.");
    // The same Markdown when piped, as before.
    expect((await korus(["fact", "show", id!], env)).stdout).toContain(`Source: [${escapeMarkdown(SOURCE)}](https://ustr.gov/s)`);

    // Plain lines and other formats are written as they are, at a terminal too.
    const jsonl = await korusAtTerminal(["facts", "export"], env);
    expect(jsonl.stdout).toContain(JSON.stringify(TITLE));
    const html = await korusAtTerminal(["memo", "export", "1", "--format", "html"], env);
    expect(html.stdout).toContain("Prep &lt;b&gt; &amp; [memo](https://evil.example/m)");
  });
});
