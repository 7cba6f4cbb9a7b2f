/**
 * The `slack_identity` table: the last identity Slack's `auth.test` gave for a bot token, kept under the token's
 * SHA-256 so that a restart without Slack still knows who the bot is (src/slack/identity.ts reads and writes it
 * through this store, and never holds the database).
 */
import type { Database } from "./client.js";

/** One token's identity as kept. */
export interface StoredIdentity {
  teamId: string;
  teamName: string | null;
  botUserId: string;
  botId: string | null;
  userName: string | null;
  workspaceUrl: string | null;
  checkedAt: Date;
}

/** Where the bot's identity is kept, per token key. */
export interface IdentityStore {
  /** The identity kept for the token whose SHA-256 is `tokenSha256`, if any. */
  find(tokenSha256: string): Promise<StoredIdentity | undefined>;
  /** Keeps `identity` for that token, replacing what was kept. */
  keep(tokenSha256: string, identity: StoredIdentity): Promise<void>;
}

/** The store over the database's `slack_identity` table. */
export function identityStoreOf(db: Pick<Database, "prisma">): IdentityStore {
  return {
    async find(tokenSha256) {
      const row = await db.prisma.slackIdentity.findUnique({ where: { tokenSha256 } });
      if (!row) return undefined;
      return { teamId: row.teamId, teamName: row.teamName, botUserId: row.botUserId, botId: row.botId, userName: row.userName, workspaceUrl: row.workspaceUrl, checkedAt: row.checkedAt };
    },
    async keep(tokenSha256, identity) {
      await db.prisma.slackIdentity.upsert({ where: { tokenSha256 }, create: { tokenSha256, ...identity }, update: identity });
    },
  };
}
