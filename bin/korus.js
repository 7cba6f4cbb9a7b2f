#!/usr/bin/env node
// The `korus` command: runs the compiled CLI. `npm install` builds it (prepare); `npm run build` rebuilds it.
import { existsSync } from "node:fs";

const cli = new URL("../dist/korus.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write("korus: dist/ is missing; run `npm run build` (npm install does it) and try again.\n");
  process.exit(1);
}
await import(cli.href);
