// `npm run build` (also run by `npm install` through `prepare`): compiles src/ to dist/ with tsc, then makes the
// prebuilt database image (dist/db-image.tar.gz) that a new data folder starts from. The image is remade only when
// what it is made of changed (the migrations, PGlite's version).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const started = performance.now();
const tsc = spawnSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], { stdio: "inherit" });
if (tsc.status !== 0) {
  console.error("build: tsc failed");
  process.exit(tsc.status ?? 1);
}
const compiled = performance.now();
const { ensureImage } = await import("../dist/db/image.js");
const image = await ensureImage();
console.error(
  `build: dist/ compiled in ${((compiled - started) / 1000).toFixed(1)} s; database image ${image.rebuilt ? "made" : "up to date"} ` +
    `(${(image.meta.bytes / 1024 / 1024).toFixed(1)} MB, ${image.meta.migrations.length} migrations, PGlite ${image.meta.pgliteVersion})`,
);
