/**
 * Entry point of the build step that makes the prebuilt database image (scripts/build.mjs runs it after bundling):
 * remade only when the migrations, the seed facts or PGlite's version changed. Prints what it did.
 */
import { ensureImage } from "./image.js";

const { meta, rebuilt } = await ensureImage();
process.stderr.write(
  `build: database image ${rebuilt ? "made" : "up to date"} (${(meta.bytes / 1024 / 1024).toFixed(1)} MB gzipped, ${meta.migrations.length} migrations, PGlite ${meta.pgliteVersion})\n`,
);
