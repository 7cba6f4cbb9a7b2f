# korus-bot in a container, on Node 24 LTS: the build stage installs the lockfile's packages, compiles and packs; the
# runtime stage installs the package with production dependencies only and runs it as the unprivileged `node` user.
# test/integration/production-install.test.ts runs the same steps without Docker: the build context that
# .dockerignore leaves, the build stage's commands in it, scripts/install-production.sh, then this CMD with this ENV as
# an unprivileged user on a data folder made as below, answering /healthz and a signed /korus status.
#
#   docker build -t korus-bot .
#   docker run -p 3000:3000 -v korus-data:/data --env-file .env korus-bot
#
# Without DATABASE_URL the embedded database lives in /data, owned by `node` with mode 0700: mount a volume there
# (a new named volume takes that owner and mode; a bind-mounted host folder must belong to uid 1000). compose.yaml runs
# the bot with PostgreSQL instead.

FROM node:24-bookworm-slim AS build
WORKDIR /src
# The packages first, so that a change to the sources reuses this layer. No install script runs: the project needs
# none (package.json allowScripts denies the three its dependencies carry).
COPY package.json package-lock.json ./
COPY scripts/prisma-streams-local-stub/ scripts/prisma-streams-local-stub/
RUN npm ci --no-audit --no-fund --ignore-scripts
COPY . .
# `prepare`: generates the Prisma client, bundles src/ into dist/ and builds the database image.
RUN npm run prepare \
 && mkdir /pkg \
 && npm pack --ignore-scripts --pack-destination /pkg

FROM node:24-bookworm-slim AS runtime
# MALLOC_ARENA_MAX=1: one malloc arena for every thread (README: Memory; about 13 MiB less resident).
ENV NODE_ENV=production \
    KORUS_DATA_DIR=/data \
    PORT=3000 \
    MALLOC_ARENA_MAX=1
# Charts (/korus chart) draw their text with the system's fonts; the slim image has none.
RUN apt-get update \
 && apt-get install -y --no-install-recommends fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /src/scripts/install-production.sh /usr/local/bin/install-production.sh
COPY --from=build /pkg/ /pkg/
# The data folder belongs to the user the bot runs as, readable by it alone.
RUN install-production.sh /pkg/korus-bot-*.tgz /app \
 && rm -rf /pkg /root/.npm \
 && install -d -o node -g node -m 0700 /data
WORKDIR /app
USER node
VOLUME ["/data"]
EXPOSE 3000
# Liveness; /readyz also checks the database.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# SIGTERM (docker stop) closes the database cleanly; node is PID 1 and handles it itself.
STOPSIGNAL SIGTERM
# As npm start runs it: a 256 MB heap and a young generation of 2 x 4 MB from the start keep the bot's resident memory
# near 181 MiB after the bench's status load on the embedded database with a fifth of the former collector pauses
# (README, Running it for real: Memory; PGlite's WebAssembly kept in Liftoff by src/v8-flags.ts).
CMD ["node", "--min-semi-space-size=4", "--max-semi-space-size=4", "--max-old-space-size=256", "node_modules/korus-bot/dist/main.js"]
