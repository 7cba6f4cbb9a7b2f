import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
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
export async function runConsole(io: ConsoleIo, execute: (line: string) => Promise<TextAnswer>): Promise<number> {
  const rl = createInterface({ input: io.input, output: io.interactive ? io.output : undefined, terminal: io.interactive });
  const write = (text: string) => io.output.write(text.endsWith("\n") ? text : `${text}\n`);
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
        const answer = await execute(line);
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
