import { readFile } from "node:fs/promises";
import { FactImportError, type ImportResult, importFactLines } from "../facts/import.js";
import { parseFactLines } from "../facts/jsonl-read.js";
import type { Database } from "./client.js";
import { packagePath } from "../paths.js";

/** The facts of the source article the project started from (prisma/seed/source-article.jsonl), in the fact JSON Lines format. */
export const SEED_FILE = packagePath("prisma/seed/source-article.jsonl");

/** Who the audit trail says seeded the facts. */
export const SEED_ACTOR = "korus-bot (seed)";

/** Stores the seed facts; facts already stored (same date, title and source) are left as they are. */
export async function seed(db: Database): Promise<ImportResult> {
  const { facts, errors } = parseFactLines(await readFile(SEED_FILE, "utf8"));
  if (errors.length > 0) throw new FactImportError(errors);
  return importFactLines(db.prisma, facts, { actor: SEED_ACTOR, action: "seed" });
}

/**
 * Seeds a database that has never held a fact, so that a first start shows a status; a database whose facts were
 * edited or retracted is left alone.
 * @returns what seeding did, or null when the database already had facts.
 */
export async function seedIfEmpty(db: Database): Promise<ImportResult | null> {
  // Raw SQL: at start this is the first question the bot asks, and Prisma's query compiler need not load for it.
  const [row] = await db.withSession((s) => s.query<{ any: boolean }>("SELECT EXISTS (SELECT 1 FROM fact) AS any"));
  return row?.any ? null : seed(db);
}
