-- The bot's identity in Slack as its last successful auth.test gave it, so that requests can be authorized (and acked)
-- while Slack's Web API cannot be reached. One row per bot token, keyed by the token's SHA-256 (never the token itself):
-- a new token starts with no identity until Slack answers for it.
-- CreateTable
CREATE TABLE "slack_identity" (
    "token_sha256" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "team_name" TEXT,
    "bot_user_id" TEXT NOT NULL,
    "bot_id" TEXT,
    "user_name" TEXT,
    "workspace_url" TEXT,
    "checked_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slack_identity_pkey" PRIMARY KEY ("token_sha256")
);
