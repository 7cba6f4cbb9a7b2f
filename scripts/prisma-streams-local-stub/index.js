// Stands in for @prisma/streams-local: the prisma CLI loads it only for `prisma dev` (a local Prisma Postgres server),
// which korus-bot does not use (it has its own embedded database). The real package needs Node 22 or later.
const reason =
  "@prisma/streams-local is replaced by a stub in korus-bot (package.json overrides): `prisma dev` is not part of this project's tools; the bot's embedded database is PGlite (README: Quick start)";

export async function startLocalDurableStreamsServer() {
  throw new Error(reason);
}
