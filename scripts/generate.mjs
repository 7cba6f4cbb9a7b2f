// Runs `prisma generate` offline. Prisma 7 tries to download its schema engine unless
// PRISMA_SCHEMA_ENGINE_BINARY names an existing file; generate never runs that engine, so any file does.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
let cli;
try {
  cli = require.resolve("prisma/build/index.js");
} catch {
  console.error("prisma is not installed (it is a devDependency): run `npm install` without --omit=dev");
  process.exit(1);
}
const env = { PRISMA_SCHEMA_ENGINE_BINARY: process.execPath, PRISMA_HIDE_UPDATE_MESSAGE: "1", ...process.env };
const result = spawnSync(process.execPath, [cli, "generate"], { stdio: "inherit", env });
process.exit(result.status ?? 1);
