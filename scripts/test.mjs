// `npm test`: the linter, the build (the tests run dist/ and its database image), then the type check and the tests
// side by side; beside vitest (whose workers fill both cores) the check's time overlaps the tests' instead of adding to
// them. The check is TypeScript's native compiler (tsgo, @typescript/native-preview) on the same tsconfig.json: about
// 10 CPU-s on a clean clone where tsc takes 25-30 (measured here, one after the other under load: tsgo 8.0 s user +
// 2.2 s system, tsc 23.3 + 2.4), with the same errors on this tree; its incremental state is kept apart from tsc's. `npm run typecheck` is still
// tsc, the released compiler. Single-threaded: its parallel checkers each check the shared declarations again, and
// beside vitest's two workers the cores are busy anyway (cold, one after the other under load: 6.6, 7.6 and 7.7 CPU-s
// single-threaded against 10.1, 10.2 and 14.3 with its default checkers; it still reports a planted TS2322).
// Arguments after `npm test --` go to vitest.
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
  run(bin("tsgo"), ["--noEmit", "--singleThreaded", "--tsBuildInfoFile", "node_modules/.cache/korus/typecheck-tsgo.tsbuildinfo"]).then((code) => {
    process.stderr.write(code === 0 ? "typecheck: no errors\n" : "typecheck: tsgo found errors (above)\n");
    return code;
  }),
  run(bin("vitest"), ["run", ...process.argv.slice(2)]),
]);
process.exit(typecheck !== 0 ? typecheck : tests);
