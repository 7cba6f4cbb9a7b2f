#!/bin/sh
# Installs a korus-bot package (the tarball `npm pack` makes) into a folder with production dependencies only, ready
# to start with `node node_modules/korus-bot/dist/main.js` there. The Dockerfile's runtime stage runs exactly this,
# and test/integration/production-install.test.ts runs it and starts the bot, so the container recipe stays honest
# on machines where no image can be built.
# Usage: scripts/install-production.sh PACKAGE.tgz FOLDER
set -eu
if [ $# -ne 2 ]; then
  echo "usage: $0 PACKAGE.tgz FOLDER" >&2
  exit 2
fi
tarball=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
mkdir -p "$2"
cd "$2"
[ -f package.json ] || printf '{ "name": "korus-bot-deployment", "private": true }\n' > package.json
npm install --omit=dev --no-audit --no-fund --prefer-offline "$tarball"
# The package's own files and its dependencies only: no compiler, test runner or Prisma CLI.
for dev in typescript vitest prisma tsx; do
  if [ -e "node_modules/$dev" ]; then
    echo "install-production: development package $dev was installed" >&2
    exit 1
  fi
done
