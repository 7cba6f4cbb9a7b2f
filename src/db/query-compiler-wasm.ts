/**
 * Prisma's query compiler (WebAssembly) for the bundled bot and CLI: scripts/build.mjs points the generated client's
 * `import("@prisma/client/runtime/query_compiler_small_bg.postgresql.wasm-base64.mjs")` here. That module is one
 * 2.2 MB base64 string literal; imported, it stays in memory for the life of the process twice over (the module's
 * source and the string it exports: 4.4 MiB of heap, seen in the bot's heap snapshot after the bench's load, issue 25),
 * and the 2.2 MB are parsed as JavaScript at every start. Read here as a file instead, the string is garbage once the
 * client has compiled it.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The module's path, as the generated client would import it. */
export const QUERY_COMPILER_BASE64_MODULE = "@prisma/client/runtime/query_compiler_small_bg.postgresql.wasm-base64.mjs";

/** What the base64 module exports (`{ wasm }`, the compiler in base64), read from its file. */
export function readQueryCompilerWasm(): { wasm: string } {
  const file = fileURLToPath(import.meta.resolve(QUERY_COMPILER_BASE64_MODULE));
  // The file is `const wasm = "…";` then `export { wasm }`: base64 has no quotes.
  const text = readFileSync(file, "latin1");
  const start = text.indexOf('"');
  const end = text.indexOf('"', start + 1);
  const wasm = text.slice(start + 1, end);
  // "\0asm" in base64: anything else means Prisma changed the file's form.
  if (start < 0 || end < 0 || !wasm.startsWith("AGFzbQ")) throw new Error(`${file}: not the base64 WebAssembly module expected (Prisma's layout changed?)`);
  return { wasm };
}
