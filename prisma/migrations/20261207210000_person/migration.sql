-- People by name: the name of each Slack user (and terminal user) the bot shows, so that memos, briefs, lists and
-- exports say "Dana Kim" rather than a member id. Slack names come from users.info and the user_change event; a
-- terminal user's from KORUS_USER_NAME or the system account's full name. A row whose name is null is a person the bot
-- was asked to show before it knew their name: the bot looks it up (src/slack/people.ts).
-- CreateTable
CREATE TABLE "person" (
    "id" TEXT NOT NULL,
    "name" TEXT,
    "fetched_at" TIMESTAMPTZ(3),
    "profile_updated" INTEGER,
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "bot" BOOLEAN NOT NULL DEFAULT false,
    "tried_at" TIMESTAMPTZ(3),
    "problem" TEXT,

    CONSTRAINT "person_pkey" PRIMARY KEY ("id")
);
