/**
 * The `korus` command's entry (dist/korus.js). A `korus status` while a bot owns the embedded data folder is answered
 * by that bot over one connection, with nothing else loaded (src/cli/owner-answers.ts): it takes about what starting
 * node and connecting take. Every other command, and a status nobody answered, loads the program (src/cli/korus.ts).
 */
import { askOwner } from "./owner-answers.js";

const answered = await askOwner(process.argv.slice(2), process.env);
// The status is Markdown: read as text at a terminal (src/cli/screen.ts, loaded only then), as it is in a pipe.
if (answered !== undefined) process.stdout.write(process.stdout.isTTY ? (await import("../render/terminal.js")).markdownToTerminal(answered) : answered);
else await import("./korus.js");
