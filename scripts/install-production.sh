#!/bin/sh
# Installs a korus-bot package (the tarball `npm pack` makes) into a folder with production dependencies only, ready
# to start with `node node_modules/korus-bot/dist/main.js` there. The Dockerfile's runtime stage runs exactly this,
# and test/integration/production-install.test.ts runs it and starts the bot, so the container recipe stays honest
# on machines where no image can be built.
#
# The folder's package.json carries the package's `overrides` (npm applies only the root's: without them docx would
# bring nanoid 6, which needs Node 22) and denies the package's own `prepare` (it builds from sources the tarball does
# not ship; dist/ is built already), so that npm prints no warning.
# Usage: scripts/install-production.sh PACKAGE.tgz FOLDER
set -eu
if [ $# -ne 2 ]; then
  echo "usage: $0 PACKAGE.tgz FOLDER" >&2
  exit 2
fi
tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
mkdir -p "$2"
cd "$2"
tar -xzOf "$tarball" package/package.json | node -e '
  const fs = require("node:fs");
  const path = require("node:path");
  const packed = JSON.parse(fs.readFileSync(0, "utf8"));
  const file = "package.json";
  const root = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : { name: `${packed.name}-deployment`, private: true };
  // A "$name" override points at a development dependency of the package, which is not installed here.
  root.overrides = Object.fromEntries(Object.entries(packed.overrides ?? {}).filter(([, spec]) => !(typeof spec === "string" && spec.startsWith("$"))));
  // The package as the dependency of this folder. npm matches the allowScripts entry of a tarball by its resolved
  // spec: the absolute path while installing, the saved relative one after.
  const spec = `file:${path.relative(process.cwd(), process.argv[1])}`;
  root.dependencies = { ...root.dependencies, [packed.name]: spec };
  root.allowScripts = { [spec]: false, [`file:${process.argv[1]}`]: false };
  fs.writeFileSync(file, `${JSON.stringify(root, null, 2)}\n`);
' "$tarball"
npm install --omit=dev --no-audit --no-fund --prefer-offline
# The package's own files and its dependencies only: no compiler, test runner or Prisma CLI.
for dev in typescript vitest prisma tsx; do
  if [ -e "node_modules/$dev" ]; then
    echo "install-production: development package $dev was installed" >&2
    exit 1
  fi
done
