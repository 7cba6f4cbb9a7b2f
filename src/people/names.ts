/**
 * People by name: the one port the domain asks "who is this id?" (memo authors, section owners, approvers, whoever
 * changed a fact, owns a schedule or turned alerts on). Ids stay what permissions use (a Slack member id `U0LEAD`, or
 * `cli:alice` for a terminal user); what a reader sees is the name ("Dana Kim").
 *
 * The names are kept in the database (the `person` table, src/people/store.ts): Slack's adapter fills it from
 * users.info and the user_change event (src/slack/people.ts), the terminal from KORUS_USER_NAME or the system
 * account's full name (src/cli/local-user.ts). Domain code never calls Slack: it asks a {@link PeopleDirectory}.
 *
 * A name not known yet is said honestly, never as a bare id: "a teammate (U0LEAD)" for a Slack member (Slack has not
 * answered yet, the scope is missing, or Slack could not be reached; the bot fetches it later), "alice (terminal)" for
 * a terminal account that never ran with this version. Other actors ("korus-bot (seed)") are shown as they are.
 *
 * Labels are plain text: each output escapes them itself (src/render/escape.ts), like any other text a person chose.
 */
/**
 * A team member's id as the chat adapter gives it (upper-case letters and digits, like U0LEAD): the ids whose names
 * the adapter can look up. The adapter checks its own exact shape at its edge (src/slack/ids.ts); other actors
 * ("korus-bot (seed)") and terminal users (`cli:alice`) never match.
 */
export const MEMBER_ID = /^[A-Z][A-Z0-9]{2,}$/;

/** True for a team member's id (see {@link MEMBER_ID}). */
export function isMemberId(id: string | null | undefined): boolean {
  return typeof id === "string" && MEMBER_ID.test(id);
}

/** The prefix of a terminal user's id: `cli:` and the system account's name. */
export const TERMINAL_ID_PREFIX = "cli:";

/** What is kept about one person. */
export interface Person {
  id: string;
  /** The name shown; null while it is not known. */
  name: string | null;
  /** Slack says the account is deactivated. */
  deleted: boolean;
  /** Slack says it is a bot or an app. */
  bot: boolean;
}

/** The names of some people, as kept when they were asked for. */
export class PeopleNames {
  private readonly people: ReadonlyMap<string, Person>;

  constructor(people: Iterable<Person> = []) {
    this.people = new Map([...people].map((p) => [p.id, p]));
  }

  /** The kept name of `id`, or null when it is not known (yet). */
  name(id: string | null | undefined): string | null {
    return id ? (this.people.get(id)?.name ?? null) : null;
  }

  /** What a reader sees for `id` (plain text): the name, else an honest stand-in (see the module's comment). */
  label(id: string): string {
    return this.name(id) ?? unknownLabel(id);
  }

  /** The labels of `ids`, in order. */
  labels(ids: readonly string[]): string[] {
    return ids.map((id) => this.label(id));
  }
}

/** What a reader sees for a person whose name is not kept: "a teammate (U0LEAD)", "alice (terminal)", or the id. */
export function unknownLabel(id: string): string {
  if (isMemberId(id)) return `a teammate (${id})`;
  if (id.startsWith(TERMINAL_ID_PREFIX) && id.length > TERMINAL_ID_PREFIX.length) return `${id.slice(TERMINAL_ID_PREFIX.length)} (terminal)`;
  return id;
}

/** The port: the names of people by id. */
export interface PeopleDirectory {
  /**
   * The names of `ids` as kept (empty and repeated ids are fine). It never fails for want of a name: an unknown one
   * gets its stand-in, and is noted so that the adapter that can look it up does so later.
   *
   * `waitMs` lets an adapter that can look names up (Slack's users.info) first try, for at most that long, the names
   * not known or stale, for a document that keeps what it says (an assembled memo). Pass it only after the request
   * that led here was acknowledged: the ack never waits on a lookup.
   */
  names(ids: Iterable<string | null | undefined>, options?: { waitMs?: number }): Promise<PeopleNames>;
}

/** The distinct, non-empty ids of `ids`, in first-seen order. */
export function distinctIds(ids: Iterable<string | null | undefined>): string[] {
  return [...new Set([...ids].filter((id): id is string => typeof id === "string" && id !== ""))];
}
