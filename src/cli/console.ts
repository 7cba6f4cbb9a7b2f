import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import { markdownToTerminal } from "../render/terminal.js";
import type { TextAnswer } from "./text-commands.js";

/** Where the console reads and writes. */
export interface ConsoleIo {
  input: Readable;
  output: Writable;
  /** Prompt and greet only when a person is typing. */
  interactive: boolean;
}

const EXIT_WORDS = new Set(["exit", "quit", "/exit", "/quit", ":q"]);

/**
 * The local console: reads `/korus ...` commands line by line (typed, or piped in) and prints each answer, until
 * `exit`, Ctrl-D or the end of input. Commands run one after another, in order.
 * @returns how many commands were not understood.
 */
export async function runConsole(
  io: ConsoleIo,
  execute: (line: string, form: { ask?: (question: string) => Promise<string | null>; say: (text: string) => void }) => Promise<TextAnswer>,
): Promise<number> {
  const rl = createInterface({ input: io.input, output: io.interactive ? io.output : undefined, terminal: io.interactive });
  // A person at the terminal reads the answers' Markdown as text (`<b> [x]`, not `&lt;b&gt; \[x\]`, src/render/terminal.ts);
  // piped output stays Markdown.
  const shown = io.interactive ? markdownToTerminal : (text: string) => text;
  const write = (text: string) => io.output.write(shown(text.endsWith("\n") ? text : `${text}\n`));
  let closed = false;
  rl.on("close", () => (closed = true));
  // A form's questions (interactive only): the answer line goes to the question, not to the command loop.
  const ask = (question: string) =>
    new Promise<string | null>((resolve) => {
      if (closed) return resolve(null);
      const onClose = () => resolve(null);
      rl.once("close", onClose);
      rl.question(question, (answer) => {
        rl.off("close", onClose);
        resolve(answer);
      });
    });
  const form = io.interactive ? { ask, say: write } : { say: write };
  let failures = 0;
  if (io.interactive) {
    rl.setPrompt("korus> ");
    rl.prompt();
    // Ctrl-C at the prompt ends the console, as Ctrl-D does.
    rl.on("SIGINT", () => rl.close());
  }
  for await (const raw of rl) {
    const line = raw.trim();
    if (EXIT_WORDS.has(line.toLowerCase())) break;
    if (line !== "" && !line.startsWith("#")) {
      try {
        const answer = await execute(line, form);
        if (!answer.ok) failures++;
        write(answer.output);
      } catch (error) {
        failures++;
        write(`Sorry, that failed: ${(error as Error).message}`);
      }
    }
    if (io.interactive) rl.prompt();
  }
  rl.close();
  return failures;
}
