/**
 * People's names from Slack into the `person` table (src/people/store.ts), which the domain reads through its port
 * (src/people/names.ts). Names come from `users.info` (the `users:read` scope) and are kept current by the
 * `user_change` event; nothing here is ever on the way to an ack:
 *
 * - A name is looked up after a request's ack: the person who made a request once its listeners are done (the
 *   `requesters` middleware), ids the domain asked about and did not know a few seconds after they were noted (by
 *   then Slack's 3 s for the ack are over), and the people of a memo being assembled (after its button's ack).
 * - `users.info` is Tier 4 (about 100 calls a minute per workspace, docs/slack-platform.md): calls go one at a time through a
 *   token bucket of that rate; a 429 pauses every lookup for its Retry-After, and the id is tried again after it.
 * - A lookup that fails (Slack unreachable, `missing_scope`, `user_not_found`) leaves the person shown as "a teammate
 *   (U…)" and is not tried again for LOOKUP_RETRY_MS (15 minutes), then at the next round (every few minutes,
 *   `refreshDue`), as is a name read more than a day ago. The first failure of a kind is logged once, and so is the
 *   recovery.
 * - A deactivated member keeps the name Slack still gives; a bot or app is named like a person.
 * - `user_change` renames a person the bot already shows (others are not stored): an Events API retry, or an event
 *   older than the profile kept, changes nothing (the profile's `updated` orders them).
 */
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";
import { ErrorCode, LogLevel, WebClient, type WebClientOptions } from "@slack/web-api";
import type { Logger } from "../logger.js";
import { distinctIds } from "../people/names.js";
import type { PersonStore } from "../commands/services-slack.js";
import { LOOKUP_RETRY_MS, NAME_STALE_MS, type NameLookup, type PersonTable, type SlackPerson } from "../people/store.js";
import { isSlackUserId } from "./ids.js";
import { slackErrorCode } from "./slack-errors.js";

/** Tier 4: about 100 calls a minute. */
const CALLS_PER_MINUTE = 100;
/** Calls that may go at once after a quiet spell (a memo's few authors), still within the minute's budget. */
const BURST = 10;
/** Ids noted by the domain are looked up this long after: every request that noted them has been acked by then. */
const NOTED_DELAY_MS = 3000;
/** People looked up per round of `refreshDue`. */
const ROUND_SIZE = 50;

/** A Slack user object, as far as users.info and user_change give what the name needs. */
export interface SlackUserObject {
  id?: string;
  name?: string;
  real_name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  updated?: number;
  profile?: { real_name?: string; display_name?: string };
}

/**
 * The name of a Slack user as the bot shows it: the full name (`profile.real_name`, else `real_name`), else the
 * display name, else the handle (`name`). A memo goes to people outside Slack, who know the person by their full name.
 */
export function slackPersonOf(user: SlackUserObject & { id: string }): SlackPerson {
  const pick = [user.profile?.real_name, user.real_name, user.profile?.display_name, user.name].find((n) => typeof n === "string" && n.trim() !== "");
  return {
    id: user.id,
    name: pick ?? null,
    deleted: user.deleted === true,
    bot: user.is_bot === true,
    updated: typeof user.updated === "number" ? user.updated : null,
  };
}

interface Waiter {
  done: Promise<void>;
  resolve: () => void;
}

/** Failures that say something about the setup, worth one line for the operator. */
function describeLookupFailure(code: string): string {
  switch (code) {
    case "missing_scope":
      return "the app lacks the users:read scope (reinstall it from manifest.yml)";
    case "not_allowed_token_type":
    case "invalid_auth":
    case "token_revoked":
    case "account_inactive":
      return `Slack refused the bot token (${code})`;
    default:
      return `Slack answered ${code}`;
  }
}

/** Looks names up in Slack and keeps them; see the module's comment. */
export class SlackPeople implements NameLookup {
  /** The directory the domain asks: the table, with this lookup behind it. */
  readonly directory: PersonTable;
  private readonly queue: string[] = [];
  private readonly waiters = new Map<string, Waiter>();
  /** When each person's name was last stored, as far as this process knows (ms): a requester seen again costs nothing. */
  private readonly fresh = new Map<string, number>();
  /** When a lookup of each person last failed (ms): not tried again for LOOKUP_RETRY_MS, whoever asks. */
  private readonly tried = new Map<string, number>();
  private readonly notedIds = new Set<string>();
  private notedTimer: NodeJS.Timeout | undefined;
  private draining = false;
  private tokens = BURST;
  private refilledAt: number;
  private pausedUntil = 0;
  /** The kind of failure last logged, so that a run of failures is logged once. */
  private failing: string | undefined;
  private closed = false;

  constructor(private readonly deps: { client: WebClient; store: PersonStore; directory: PersonTable; logger: Logger; now?: () => Date }) {
    this.refilledAt = Date.now();
    this.directory = deps.directory;
    this.directory.lookUpWith(this);
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** NameLookup: ids the domain asked about and does not know; looked up a few seconds later. */
  noted(ids: string[]): void {
    if (this.closed) return;
    for (const id of ids) if (isSlackUserId(id)) this.notedIds.add(id);
    if (this.notedIds.size > 0 && !this.notedTimer) {
      this.notedTimer = setTimeout(() => {
        this.notedTimer = undefined;
        // Someone looked up meanwhile (the person who made the request, say) is not asked about again.
        const now = this.now().getTime();
        const ids = [...this.notedIds].filter((id) => now - (this.fresh.get(id) ?? -Infinity) >= NAME_STALE_MS);
        this.notedIds.clear();
        this.enqueue(ids);
      }, NOTED_DELAY_MS);
      this.notedTimer.unref();
    }
  }

  /** NameLookup: looks `ids` up now; resolves when they are stored (or failed) or after `waitMs`, whichever is first. */
  async settle(ids: string[], waitMs: number): Promise<void> {
    const waits = this.enqueue(ids);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(waits), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
  }

  /**
   * The person who made a request, after its listeners are done (so after its ack): looked up when this process has
   * not stored their name lately and the table has no fresh one.
   */
  async requester(id: string): Promise<void> {
    if (this.closed || !isSlackUserId(id)) return;
    const now = this.now().getTime();
    const stored = this.fresh.get(id);
    if (stored !== undefined && now - stored < NAME_STALE_MS) return;
    // The table may know them from an earlier run, or from another instance: read once, then remember.
    const row = await this.deps.store.kept(id);
    if (row?.name && row.fetchedAt && now - row.fetchedAt.getTime() < NAME_STALE_MS) {
      this.fresh.set(id, row.fetchedAt.getTime());
      return;
    }
    this.enqueue([id]);
  }

  /** A `user_change` event: renames the person if the bot shows them (idempotent; see the module's comment). */
  async userChanged(user: SlackUserObject & { id: string }): Promise<boolean> {
    const changed = await this.deps.store.save(slackPersonOf(user), this.now(), { onlyKnown: true });
    if (changed) this.fresh.set(user.id, this.now().getTime());
    return changed;
  }

  /** One round: looks up the people whose name is unknown or stale (and not tried lately). @returns how many. */
  async refreshDue(): Promise<number> {
    if (this.closed) return 0;
    const due = await this.deps.store.toLookUp(this.now(), ROUND_SIZE);
    // The table keeps any member id the domain was asked about; users.info takes only Slack's (U…, W…). Another is
    // marked tried, so that it does not take a place in every round.
    const ids = due.filter((id) => isSlackUserId(id));
    for (const id of due) if (!isSlackUserId(id)) await this.deps.store.failed(id, "not_a_slack_user_id", this.now());
    await Promise.all(this.enqueue(ids));
    return ids.length;
  }

  /** Stops taking work (the bot is closing); lookups under way finish. */
  close(): void {
    this.closed = true;
    clearTimeout(this.notedTimer);
    this.queue.length = 0;
    for (const waiter of this.waiters.values()) waiter.resolve();
    this.waiters.clear();
  }

  private enqueue(ids: string[]): Array<Promise<void>> {
    const waits: Array<Promise<void>> = [];
    if (this.closed) return waits;
    const now = this.now().getTime();
    for (const id of distinctIds(ids)) {
      if (!isSlackUserId(id) || now - (this.tried.get(id) ?? -Infinity) < LOOKUP_RETRY_MS) continue;
      let waiter = this.waiters.get(id);
      if (!waiter) {
        let resolve: () => void = () => undefined;
        const done = new Promise<void>((r) => (resolve = r));
        waiter = { done, resolve };
        this.waiters.set(id, waiter);
        this.queue.push(id);
      }
      waits.push(waiter.done);
    }
    void this.drain();
    return waits;
  }

  /** Waits for a call's turn: Slack's pause after a 429, then the token bucket. */
  private async turn(): Promise<void> {
    for (;;) {
      const now = Date.now();
      if (now < this.pausedUntil) {
        await new Promise((resolve) => setTimeout(resolve, this.pausedUntil - now));
        continue;
      }
      this.tokens = Math.min(BURST, this.tokens + ((now - this.refilledAt) * CALLS_PER_MINUTE) / 60_000);
      this.refilledAt = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, Math.ceil(((1 - this.tokens) * 60_000) / CALLS_PER_MINUTE)));
    }
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0 && !this.closed) {
        await this.turn();
        const id = this.queue.shift();
        if (id === undefined || this.closed) break;
        const retry = await this.lookUp(id).catch((error: unknown) => {
          // The database failed, not Slack: the round tries again.
          this.deps.logger.warn(`could not keep the name of ${id}:`, error);
          return false;
        });
        if (retry) {
          this.queue.unshift(id);
          continue;
        }
        this.waiters.get(id)?.resolve();
        this.waiters.delete(id);
      }
    } finally {
      this.draining = false;
    }
  }

  /** One users.info call, stored. @returns true when Slack asked to wait (429): the id goes back first in line. */
  private async lookUp(id: string): Promise<boolean> {
    let user: SlackUserObject | undefined;
    try {
      user = (await this.deps.client.users.info({ user: id })).user as SlackUserObject | undefined;
    } catch (error) {
      const e = error as { code?: string; retryAfter?: number };
      if (e?.code === ErrorCode.RateLimitedError) {
        this.pausedUntil = Date.now() + Math.max(1, e.retryAfter ?? 1) * 1000;
        this.deps.logger.info(`users.info is rate limited; looking names up again in ${Math.max(1, e.retryAfter ?? 1)} s`);
        return true;
      }
      await this.failed(id, slackErrorCode(error));
      return false;
    }
    if (!user?.id) {
      await this.failed(id, "no_user_in_answer");
      return false;
    }
    await this.deps.store.save(slackPersonOf({ ...user, id: user.id }), this.now());
    this.fresh.set(id, this.now().getTime());
    this.tried.delete(id);
    if (this.failing !== undefined) {
      this.deps.logger.info("users.info answers again: people are shown by name");
      this.failing = undefined;
    }
    return false;
  }

  private async failed(id: string, code: string): Promise<void> {
    this.tried.set(id, this.now().getTime());
    await this.deps.store.failed(id, code, this.now());
    // One person Slack does not know is no news for the operator; anything else is said once per run of failures.
    if (code === "user_not_found" || code === "user_not_visible") return;
    const kind = code === "network_error" || code.startsWith("http_") ? "unreachable" : code;
    if (this.failing === kind) return;
    this.failing = kind;
    const why = kind === "unreachable" ? `Slack could not be reached (${code})` : describeLookupFailure(code);
    this.deps.logger.warn(`could not look up names with users.info: ${why}; people are shown as "a teammate (U…)" until it answers, tried again every few minutes`);
  }
}

/** The Web API client for name lookups: no retries of its own, rate limits handed back (the lookups pace themselves). */
export function peopleClient(token: string, options: WebClientOptions): WebClient {
  return new WebClient(token, { ...options, rejectRateLimitedCalls: true, retryConfig: { retries: 0 }, timeout: 10_000, logLevel: LogLevel.ERROR });
}

/** Who made a request, from any request body the bot handles (a slash command, an action, a form, an event). */
function requesterOf(body: unknown): string | undefined {
  const b = (body ?? {}) as { user_id?: unknown; user?: { id?: unknown }; event?: { user?: unknown } };
  const id = typeof b.user_id === "string" ? b.user_id : typeof b.user?.id === "string" ? b.user.id : typeof b.event?.user === "string" ? b.event.user : undefined;
  return isSlackUserId(id) ? id : undefined;
}

/**
 * Global middleware: once a request's listeners are done (its ack is sent), the person who made it is looked up if
 * their name is not kept, so that whatever they wrote shows their name.
 */
export function knowRequesters(people: SlackPeople, logger: Logger): Middleware<AnyMiddlewareArgs> {
  return async ({ body, next }) => {
    try {
      await next();
    } finally {
      const user = requesterOf(body);
      if (user) people.requester(user).catch((error: unknown) => logger.warn(`could not check the name of ${user}:`, error));
    }
  };
}
