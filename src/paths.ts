import { existsSync, readFileSync } from "node:fs";

/**
 * The package's root folder (where package.json is), found by walking up from this module. The same answer from the
 * TypeScript sources (tests, `npm run dev`), from the bundles in dist/ (`npm start`) and from an installed package
 * (node_modules/korus-bot), so files shipped beside the code are found wherever the code runs from.
 */
export const PACKAGE_ROOT: URL = findPackageRoot(new URL(".", import.meta.url));

function findPackageRoot(from: URL): URL {
  for (let dir = from; ; dir = new URL("..", dir)) {
    const manifest = new URL("package.json", dir);
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "korus-bot") return dir;
    if (dir.pathname === "/") throw new Error(`korus-bot's package.json was not found above ${from.pathname}`);
  }
}

/** A file or folder of the package, by its path from the root (a folder's path ends with "/"). */
export function packagePath(relative: string): URL {
  return new URL(relative, PACKAGE_ROOT);
}
