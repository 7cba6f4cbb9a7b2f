/**
 * The buttons of a feed candidate's review card (src/slack/views/candidates.ts): Save as fact opens the new-fact form
 * filled in from the candidate (its submission, the `/korus fact add` form's handler, marks the candidate saved and
 * the card with it); Dismiss and Not relevant decide it at once and turn the card into its outcome. A button whose
 * value is not one the bot wrote is answered as stale; one for a candidate someone decided meanwhile says who did
 * what, and the card shows it.
 */
import type { AllMiddlewareArgs, BlockAction, ButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { CandidateView } from "../../feeds/candidates.js";
import { FeedError } from "../../feeds/deps.js";
import { dateInZone } from "../../time-zone.js";
import { isSlackUserId } from "../ids.js";
import { candidateButtonSchema, readRef } from "../carried-values.js";
import { type CandidateDecision, candidateDecidedMessage, LIST_BUTTONS_PREFIX } from "../views/candidates.js";
import { factModal } from "../views/fact-modal.js";
import { type ListenerDeps, openFormSoon, StaleRequest } from "./kit.js";

type ButtonArgs = SlackActionMiddlewareArgs<BlockAction<ButtonAction>> & AllMiddlewareArgs;
type CandidateDeps = Pick<ListenerDeps, "services" | "clock" | "timeZone" | "ackBudgetMs" | "logger" | "people">;

/** The candidate a button names. @throws StaleRequest for a value the bot did not write. */
function buttonCandidate(action: ButtonAction): number {
  const ref = readRef(candidateButtonSchema, action.value);
  if (!ref) throw new StaleRequest(`candidate button value ${JSON.stringify(action.value ?? null).slice(0, 80)}`);
  return ref.c;
}

/** How a decided candidate reads on its card; null while it waits. */
function decisionOf(c: CandidateView): CandidateDecision | null {
  if (c.state === "accepted" && c.factId !== null) return { how: "accepted", factId: c.factId };
  if (c.state === "dismissed" || c.state === "irrelevant") return { how: c.state };
  return null;
}

/** Why a candidate cannot be decided any more, in words, naming who decided it by name. */
async function decidedAlready(deps: Pick<CandidateDeps, "people">, c: CandidateView): Promise<FeedError> {
  const how = c.state === "accepted" ? `saved as fact #${c.factId}` : c.state === "irrelevant" ? "marked not relevant to its topic" : "dismissed";
  const who = c.decidedBy ? (await deps.people.names([c.decidedBy])).label(c.decidedBy) : null;
  return new FeedError("conflict", `Candidate #${c.id} was already ${how}${who ? ` by ${who}` : ""}.`);
}

/** Who decided, for the card: a Slack member as their mention (Slack shows the name), anyone else by name. */
async function deciderOnCard(deps: Pick<CandidateDeps, "people">, id: string | null): Promise<string> {
  if (!id) return "someone";
  return isSlackUserId(id) ? id : (await deps.people.names([id])).label(id);
}

/** Dismiss, or Not relevant to this topic: decides the candidate and turns the card into the outcome. */
export function makeCandidateDecisionHandler(deps: CandidateDeps, how: "dismissed" | "irrelevant") {
  return async ({ ack, action, body, respond }: ButtonArgs): Promise<void> => {
    await ack();
    const id = buttonCandidate(action);
    const user = body.user.id;
    // A card in the review channel becomes its outcome; in `/korus candidates`' list (an ephemeral message holding
    // several cards) the outcome is said under it, so that the other cards stay.
    const replace_original = !action.block_id.startsWith(LIST_BUTTONS_PREFIX);
    try {
      const decided = await deps.services.feeds.dismissCandidate(id, user, how);
      await respond({ replace_original, ...(replace_original ? {} : { response_type: "ephemeral" as const }), ...candidateDecidedMessage(decided, { how }, user) });
    } catch (error) {
      if (!(error instanceof FeedError && error.code === "conflict")) throw error;
      // Someone decided it first: the card shows their decision, and this person hears who (app.error, ephemerally).
      const now = await deps.services.feeds.getCandidate(id);
      const decision = decisionOf(now);
      if (decision && replace_original) await respond({ replace_original, ...candidateDecidedMessage(now, decision, await deciderOnCard(deps, now.decidedBy)) });
      throw error;
    }
  };
}

/** Save as fact: the new-fact form filled in from the candidate (title, date, source with its URL and day, known). */
export function makeCandidateSaveHandler(deps: CandidateDeps) {
  return async ({ ack, action, body, client }: ButtonArgs): Promise<void> => {
    await ack();
    const id = buttonCandidate(action);
    const build = (async () => {
      const candidate = await deps.services.feeds.getCandidate(id);
      if (candidate.state !== "pending") throw await decidedAlready(deps, candidate);
      const [draft, recent] = await Promise.all([deps.services.feeds.candidateDraft(id), deps.services.facts.recentFacts()]);
      const card = { id, ...(body.channel?.id ? { channel: body.channel.id } : {}), ...(body.message?.ts ? { ts: body.message.ts } : {}) };
      return factModal({
        recent,
        meta: { ...(body.channel?.id ? { channel: body.channel.id } : {}), candidate: card },
        draft: {
          date: draft.date ?? dateInZone(deps.clock.now(), deps.timeZone),
          title: draft.title,
          summary: draft.summary,
          sources: draft.sources,
          ...(draft.known ? { known: draft.known } : {}),
        },
      });
    })();
    await openFormSoon(deps, client, body.trigger_id, "new fact", build);
  };
}

/** The topic a fact saved from candidate `id` belongs to (the candidate's feed's). */
export async function candidateTopic(deps: Pick<CandidateDeps, "services">, id: number): Promise<string> {
  return (await deps.services.feeds.getCandidate(id)).topic;
}

/**
 * After the new-fact form saved fact `factId` from a candidate: marks the candidate saved and its card with it.
 * Returns a line for the form's "Fact #N added" (empty when all went well).
 */
export async function candidateSaved(deps: CandidateDeps, client: WebClient, card: { id: number; channel?: string; ts?: string }, factId: number, user: string): Promise<string> {
  let view: CandidateView;
  try {
    view = await deps.services.feeds.markCandidateAccepted(card.id, factId, user);
  } catch (error) {
    if (!(error instanceof FeedError)) throw error;
    return `\n\nThe fact is saved; ${error.message.charAt(0).toLowerCase()}${error.message.slice(1)}`;
  }
  if (card.channel && card.ts) {
    try {
      await client.chat.update({ channel: card.channel, ts: card.ts, ...candidateDecidedMessage(view, { how: "accepted", factId }, user) });
    } catch (error) {
      deps.logger.warn(`could not mark candidate #${card.id}'s card saved in ${card.channel}:`, error);
    }
  }
  return `\n\nCandidate #${card.id} is marked saved.`;
}
