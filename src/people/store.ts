/**
 * The `person` table: the names the bot shows, kept in the database so that every process (the bot, the console, the
 * `korus` command) says the same name without asking Slack. {@link PersonTable} is the port's implementation over it;
 * the writers below are for whoever learns a name (src/slack/people.ts, src/cli/local-user.ts).
 */
import type { PrismaClient } from "../generated/prisma/client.js";
import { oneLineText } from "../text-guard.js";
import { distinctIds, isMemberId, MEMBER_ID, PeopleNames, type PeopleDirectory, type Person } from "./names.js";

/** Longest name kept (Slack allows 80 characters for a display name; a real name can be longer). */
export const PERSON_NAME_MAX = 100;

/** A name read longer ago than this is looked up again (user_change keeps it current in between). */
export const NAME_STALE_MS = 24 * 3600_000;

/** A lookup that failed is tried again after this long. */
export const LOOKUP_RETRY_MS = 15 * 60_000;

/** A name as kept: one line, no control or invisible characters, at most {@link PERSON_NAME_MAX}; null when empty. */
export function personName(raw: string | null | undefined): string | null {
  return typeof raw === "string" ? oneLineText(raw, PERSON_NAME_MAX) : null;
}

interface PersonRow extends Person {
  fetchedAt: Date | null;
}

/** What the directory reads and notes people through: a client, or one inside a transaction. */
type PersonReader = Pick<PrismaClient, "person">;

/** What an adapter that can look names up gives the table (Slack's, in src/slack/people.ts). */
export interface NameLookup {
  /** Ids whose name is not kept or is stale: look them up later (never before the request's ack). */
  noted(ids: string[]): void;
  /** Looks `ids` up now, for at most `waitMs`; resolves when they are stored or the time is up. */
  settle(ids: string[], waitMs: number): Promise<void>;
}

/** Whether a kept person's name should be looked up (again). */
function due(row: PersonRow | undefined, now: Date): boolean {
  return !row || row.name === null || row.fetchedAt === null || now.getTime() - row.fetchedAt.getTime() > NAME_STALE_MS;
}

/**
 * The people directory over the `person` table. Without a lookup (the console, the `korus` command) it answers from
 * the table, and leaves a row without a name for each Slack member it was asked about and does not know, which the
 * bot looks up at its next round (src/slack/people.ts). With a lookup (the bot) it also hands the unknown and stale
 * ones to it.
 */
export class PersonTable implements PeopleDirectory {
  constructor(
    private readonly prisma: PersonReader,
    private readonly options: { lookup?: NameLookup; now?: () => Date } = {},
  ) {}

  /** From now on, names not known or stale are handed to `lookup` (the bot's, made after the table). */
  lookUpWith(lookup: NameLookup): void {
    this.options.lookup = lookup;
  }

  async names(ids: Iterable<string | null | undefined>, options: { waitMs?: number } = {}): Promise<PeopleNames> {
    const wanted = distinctIds(ids);
    if (wanted.length === 0) return new PeopleNames();
    const now = this.options.now?.() ?? new Date();
    let rows = await readPeople(this.prisma, wanted);
    const lookup = this.options.lookup;
    const dueIds = wanted.filter((id) => isMemberId(id) && due(rows.get(id), now));
    if (dueIds.length === 0) return new PeopleNames(rows.values());
    // Only a name not known at all is worth waiting for; a stale one is shown as kept and refreshed later.
    const unknown = dueIds.filter((id) => !rows.get(id)?.name);
    if (unknown.length > 0 && lookup && options.waitMs && options.waitMs > 0) {
      await lookup.settle(unknown, options.waitMs);
      rows = await readPeople(this.prisma, wanted);
    }
    const missing = dueIds.filter((id) => !rows.has(id));
    if (missing.length > 0) await notePeople(this.prisma, missing);
    lookup?.noted(dueIds.filter((id) => !rows.get(id)?.name || due(rows.get(id), now)));
    return new PeopleNames(rows.values());
  }
}

async function readPeople(prisma: PersonReader, ids: string[]): Promise<Map<string, PersonRow>> {
  const rows = await prisma.person.findMany({
    where: { id: { in: ids } },
    select: { id: true, name: true, deleted: true, bot: true, fetchedAt: true },
  });
  return new Map(rows.map((r) => [r.id, r]));
}

/** Rows without a name for people to look up (kept rows are left alone). */
export async function notePeople(prisma: PersonReader, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await prisma.person.createMany({ data: ids.map((id) => ({ id })), skipDuplicates: true });
}

/** A Slack user as users.info and the user_change event give it, as far as the name goes. */
export interface SlackPerson {
  id: string;
  name: string | null;
  deleted: boolean;
  bot: boolean;
  /** The profile's `updated` (seconds), when Slack gave it. */
  updated: number | null;
}

/**
 * Keeps a name Slack gave. An answer about an older profile than the one kept (an Events API retry, or a user_change
 * delivered after a newer users.info) changes nothing, so that storing the same event twice is harmless. With
 * `onlyKnown`, a person the bot never showed is not added (user_change arrives for everyone in the workspace).
 * @returns whether the row changed.
 */
export async function saveSlackPerson(prisma: PrismaClient, person: SlackPerson, at: Date, options: { onlyKnown?: boolean } = {}): Promise<boolean> {
  const name = personName(person.name);
  const updated = person.updated !== null && Number.isSafeInteger(person.updated) && person.updated >= 0 && person.updated < 2 ** 31 ? person.updated : null;
  if (options.onlyKnown) {
    return (
      (await prisma.$executeRaw`
        UPDATE "person"
           SET "name" = ${name}, "fetched_at" = ${at}, "profile_updated" = ${updated}, "deleted" = ${person.deleted},
               "bot" = ${person.bot}, "tried_at" = NULL, "problem" = NULL
         WHERE "id" = ${person.id}
           AND ("profile_updated" IS NULL OR ${updated}::int IS NULL OR "profile_updated" <= ${updated}::int)`) > 0
    );
  }
  return (
    (await prisma.$executeRaw`
      INSERT INTO "person" ("id", "name", "fetched_at", "profile_updated", "deleted", "bot")
      VALUES (${person.id}, ${name}, ${at}, ${updated}, ${person.deleted}, ${person.bot})
      ON CONFLICT ("id") DO UPDATE
         SET "name" = EXCLUDED."name", "fetched_at" = EXCLUDED."fetched_at", "profile_updated" = EXCLUDED."profile_updated",
             "deleted" = EXCLUDED."deleted", "bot" = EXCLUDED."bot", "tried_at" = NULL, "problem" = NULL
       WHERE "person"."profile_updated" IS NULL OR EXCLUDED."profile_updated" IS NULL
          OR "person"."profile_updated" <= EXCLUDED."profile_updated"`) > 0
  );
}

/** Records that looking `id` up failed and why (a Slack error code); a name kept from before stays. */
export async function lookupFailed(prisma: PrismaClient, id: string, problem: string, at: Date): Promise<void> {
  const why = problem.slice(0, 200);
  await prisma.person.upsert({ where: { id }, create: { id, triedAt: at, problem: why }, update: { triedAt: at, problem: why } });
}

/**
 * Slack members whose name should be looked up now: not known, or read more than {@link NAME_STALE_MS} ago, and not
 * tried in the last {@link LOOKUP_RETRY_MS}. Unknown ones first.
 */
export async function peopleToLookUp(prisma: PrismaClient, now: Date, limit: number): Promise<string[]> {
  const stale = new Date(now.getTime() - NAME_STALE_MS);
  const retry = new Date(now.getTime() - LOOKUP_RETRY_MS);
  const rows = await prisma.$queryRaw<Array<{ id: string }>>`
    SELECT "id" FROM "person"
     WHERE "id" ~ ${MEMBER_ID.source}
       AND ("name" IS NULL OR "fetched_at" IS NULL OR "fetched_at" < ${stale})
       AND ("tried_at" IS NULL OR "tried_at" < ${retry})
     ORDER BY ("name" IS NULL) DESC, "fetched_at" ASC NULLS FIRST, "id"
     LIMIT ${limit}`;
  return rows.map((r) => r.id);
}

/**
 * Keeps the name of a terminal user (`cli:<account>`), as the console or the `korus` command runs: written only when
 * it differs from the kept one, so an unchanged name costs one statement and no write.
 */
export async function recordLocalPerson(prisma: PrismaClient, person: { id: string; name: string }, at: Date): Promise<void> {
  const name = personName(person.name);
  if (!name) return;
  await prisma.$executeRaw`
    INSERT INTO "person" ("id", "name", "fetched_at") VALUES (${person.id}, ${name}, ${at})
    ON CONFLICT ("id") DO UPDATE SET "name" = EXCLUDED."name", "fetched_at" = EXCLUDED."fetched_at"
     WHERE "person"."name" IS DISTINCT FROM EXCLUDED."name"`;
}

/** The writes and reads of an adapter that learns names (src/slack/people.ts), over the `person` table. */
export interface PersonStore {
  /** The kept name of `id` and when it was read, if a row exists. */
  kept(id: string): Promise<{ name: string | null; fetchedAt: Date | null } | undefined>;
  /** {@link saveSlackPerson}. */
  save(person: SlackPerson, at: Date, options?: { onlyKnown?: boolean }): Promise<boolean>;
  /** {@link lookupFailed}. */
  failed(id: string, problem: string, at: Date): Promise<void>;
  /** {@link peopleToLookUp}. */
  toLookUp(now: Date, limit: number): Promise<string[]>;
}

/** The person store over `prisma`. */
export function personStoreOf(prisma: PrismaClient): PersonStore {
  return {
    kept: async (id) => (await prisma.person.findUnique({ where: { id }, select: { name: true, fetchedAt: true } })) ?? undefined,
    save: (person, at, options) => saveSlackPerson(prisma, person, at, options),
    failed: (id, problem, at) => lookupFailed(prisma, id, problem, at),
    toLookUp: (now, limit) => peopleToLookUp(prisma, now, limit),
  };
}

/** The table directory for code given only a database (the console, the `korus` command, the scheduler). */
export function peopleOf(prisma: PersonReader): PeopleDirectory {
  return new PersonTable(prisma);
}
