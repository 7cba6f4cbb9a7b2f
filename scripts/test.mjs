// `npm test`: the linter, the build (the tests run dist/ and its database image), then the type check and the tests
// side by side. tsc runs on one core for 15-30 s; beside vitest (whose workers fill both cores) its time overlaps the
// tests' instead of adding to them, while one core idled during it before. Arguments after `npm test --` go to vitest.
// Exits non-zero when any step fails; the type check and the tests both run to the end, so both reports are shown.
import { spawn, spawnSync } from "node:child_process";

const bin = (name) => new URL(`../node_modules/.bin/${name}`, import.meta.url).pathname;
const root = new URL("..", import.meta.url).pathname;

function runSync(command, args) {
  const result = spawnSync(command, args, { cwd: root, stdio: "inherit" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

function run(command, args) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit" });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

runSync("npm", ["run", "--silent", "lint"]);
runSync(process.execPath, ["scripts/build.mjs", "--if-changed"]);
const [typecheck, tests] = await Promise.all([
  run(bin("tsc"), ["--noEmit"]).then((code) => {
    process.stderr.write(code === 0 ? "typecheck: no errors\n" : "typecheck: tsc found errors (above)\n");
    return code;
  }),
  run(bin("vitest"), ["run", ...process.argv.slice(2)]),
]);
process.exit(typecheck !== 0 ? typecheck : tests);
