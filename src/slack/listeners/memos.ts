import type { App, BlockAction, ButtonAction, OverflowAction, RespondFn, StaticSelectAction } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { dateInZone, zonedTime } from "../../facts/dates.js";
import type { Fact } from "../../facts/model.js";
import { searchFacts } from "../../facts/service.js";
import {
  approveMemo,
  assemble,
  cancelMemo,
  claimDueReminders,
  createMemo,
  getMemo,
  listMemos,
  markFinal,
  MemoError,
  type MemoDeps,
  type MemoView,
  reassignSection,
  requestSignOff,
  sectionHistory,
  sectionsFor,
  type SectionView,
  setTrackingMessage,
  writeSection,
} from "../../memos/service.js";
import { loadTemplates, type MemoTemplate } from "../../memos/template-engine.js";
import { escapeMrkdwn } from "../../render/escape.js";
import { truncate } from "../../render/mrkdwn.js";
import type { StatusCache } from "../../status/cache.js";
import { getStatus } from "../../status/service.js";
import { newReference, type SlackDeps } from "../app.js";
import { ACTION_IDS, INPUT_ACTION, MEMO_BLOCKS as B, VIEW_IDS } from "../ids.js";
import { SLACK_LIMITS } from "../limits.js";
import { noticeMessage } from "../views/facts.js";
import {
  approvalRequestMessage,
  conflictError,
  homeView,
  incompleteMessage,
  memoListMessage,
  type MemoRef,
  newMemoModal,
  ownerMessage,
  reassignModal,
  signOffModal,
  trackingMessage,
  writeModal,
} from "../views/memos.js";
import type { SlackMessage } from "../views/status.js";

/** A memo posted inline stays well under Slack's ~12,000-character markdown limit per message; longer goes as a file. */
export const INLINE_MEMO_LIMIT = 11_000;

/** Runs a memo subcommand of `/korus` after it was acked. */
export type MemoCommandRunner = (
  parsed: { name: string; id?: number; section?: string; template?: string },
  ctx: { user: string; channel: string; triggerId: string; client: WebClient; respond: RespondFn },
) => Promise<void>;

function parseRef(raw: string | undefined): MemoRef | undefined {
  try {
    const ref = JSON.parse(raw ?? "") as MemoRef;
    return typeof ref?.m === "number" ? ref : undefined;
  } catch {
    return undefined;
  }
}

/** The memo flow in Slack: new memo form, tracking message, DMs, write/conflict, reassign, sign-off, assemble, Home. */
export function registerMemoListeners(
  app: App,
  deps: SlackDeps,
  extra: { statusCache: StatusCache },
): { runMemoCommand: MemoCommandRunner; sendReminders: (client: WebClient, leadMs: number) => Promise<number> } {
  const memoDeps: MemoDeps = {
    prisma: deps.db.prisma,
    clock: deps.clock,
    timeZone: deps.timeZone,
    admins: deps.admins,
    ...(deps.memoBanner ? { banner: deps.memoBanner } : {}),
  };

  const templates = async (): Promise<MemoTemplate[]> => {
    const { templates: list, problems } = await loadTemplates();
    for (const p of problems) deps.logger.warn(`template problem: ${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`);
    return list.filter((t) => t.kind === "memo");
  };

  /** A few facts relevant to a section: full-text matches on its title, else the newest. */
  const relevantFacts = async (section: SectionView): Promise<Fact[]> => {
    const words = section.title.replace(/[^\p{L}\p{N}\s]/gu, " ").split(/\s+/).filter((w) => w.length > 3).join(" or ");
    const found = words ? await searchFacts(deps.db.prisma, { words }, { limit: 5 }) : { facts: [] as Fact[] };
    if (found.facts.length > 0) return found.facts;
    return (await searchFacts(deps.db.prisma, { words: "" }, { limit: 5 })).facts;
  };

  /** Posts in a channel, joining it once if the bot is not a member yet (public channels). */
  const post = async (client: WebClient, args: { channel: string; thread_ts?: string } & SlackMessage) => {
    try {
      return await client.chat.postMessage(args);
    } catch (error) {
      if ((error as { data?: { error?: string } }).data?.error !== "not_in_channel") throw error;
      await client.conversations.join({ channel: args.channel });
      return client.chat.postMessage(args);
    }
  };

  const inThread = async (client: WebClient, memo: MemoView, message: SlackMessage) => {
    if (!memo.channel || !memo.trackingTs) return;
    await post(client, { channel: memo.channel, thread_ts: memo.trackingTs, ...message }).catch((e) => deps.logger.warn(`thread post for memo #${memo.id} failed:`, e));
  };

  const refreshTracking = async (client: WebClient, memo: MemoView) => {
    if (!memo.channel || !memo.trackingTs) return;
    await client.chat
      .update({ channel: memo.channel, ts: memo.trackingTs, ...trackingMessage(memo, deps.timeZone) })
      .catch((e) => deps.logger.warn(`tracking message of memo #${memo.id} not updated:`, e));
  };

  const dmOwner = async (client: WebClient, memo: MemoView, section: SectionView, reminder = false) => {
    if (!section.ownerId) return;
    const facts = await relevantFacts(section);
    await client.chat
      .postMessage({ channel: section.ownerId, ...ownerMessage(memo, section, facts, deps.timeZone, reminder) })
      .catch((e) => deps.logger.warn(`DM to ${section.ownerId} for memo #${memo.id} failed:`, e));
  };

  const tell = async (respond: RespondFn, text: string): Promise<void> => {
    await respond({ response_type: "ephemeral", replace_original: false, ...noticeMessage(text) }).catch((e) => deps.logger.warn("ephemeral reply failed:", e));
  };

  /** Turns a refusal into a reply; anything else is logged with a reference the user sees. */
  const explain = async (respond: RespondFn, error: unknown, what: string) => {
    if (error instanceof MemoError) {
      await tell(respond, error.message);
      return;
    }
    const reference = newReference();
    deps.logger.error(`${what} failed (reference ${reference}):`, error);
    await tell(respond, `Sorry, I couldn't ${what}. It has been logged (reference \`${reference}\`).`);
  };

  const openWrite = async (client: WebClient, triggerId: string, memoId: number, key: string, user: string, respond: RespondFn) => {
    const memo = await getMemo(memoDeps, memoId);
    const section = memo.sections.find((s) => s.key === key);
    if (!section) return tell(respond, `Memo #${memoId} has no section "${key}".`);
    if (memo.state === "cancelled") return tell(respond, `Memo #${memoId} was cancelled.`);
    if (section.ownerId !== user && memo.createdBy !== user && !deps.admins.includes(user)) {
      return tell(respond, `Only the owner of *${escapeMrkdwn(section.title)}* (${section.ownerId ? `<@${section.ownerId}>` : "unassigned"}), the memo's creator or an admin can write it.`);
    }
    await client.views.open({ trigger_id: triggerId, view: writeModal(memo, section, await relevantFacts(section)) });
  };

  const postAssembled = async (client: WebClient, memo: MemoView, markdown: string, missing: string[]) => {
    if (!memo.channel || !memo.trackingTs) return;
    const note = missing.length > 0 ? ` (assembled without ${missing.join(", ")})` : "";
    if (markdown.length <= INLINE_MEMO_LIMIT) {
      await post(client, {
        channel: memo.channel,
        thread_ts: memo.trackingTs,
        text: escapeMrkdwn(`Memo #${memo.id} assembled${note}`),
        blocks: [{ type: "markdown", text: markdown } as never],
      });
      return;
    }
    // Too long for one message: a short summary and the memo as a Markdown file in the thread.
    const filename = `memo-${memo.id}-${memo.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 60) || "memo"}.md`;
    await client.files.uploadV2({
      channel_id: memo.channel,
      thread_ts: memo.trackingTs,
      filename,
      title: truncate(`Memo #${memo.id}: ${memo.title}`, 250),
      content: markdown,
      initial_comment: `Memo #${memo.id} assembled${note}: ${markdown.length.toLocaleString("en-US")} characters, too long for a message, so here it is as a file.`,
    });
  };

  const doAssemble = async (client: WebClient, memoId: number, user: string, respond: RespondFn, force: boolean) => {
    try {
      const { memo, assembled } = await assemble(memoDeps, memoId, user, { force });
      await postAssembled(client, memo, assembled.markdown, assembled.missingRequired);
      await refreshTracking(client, memo);
      if (!memo.channel) await tell(respond, `Memo #${memo.id} assembled (${assembled.markdown.length} characters). Export it with \`npx korus memo export ${memo.id}\`.`);
    } catch (error) {
      if (error instanceof MemoError && error.code === "incomplete") {
        const memo = await getMemo(memoDeps, memoId);
        await respond({ response_type: "ephemeral", replace_original: false, ...incompleteMessage(memo, error.details.missing ?? []) });
        return;
      }
      await explain(respond, error, "assemble the memo");
    }
  };

  const runMemoCommand: MemoCommandRunner = async (parsed, ctx) => {
    const { respond, client } = ctx;
    try {
      switch (parsed.name) {
        case "memo-new": {
          const list = await templates();
          if (list.length === 0) return tell(respond, "No memo templates load; run `npx korus templates check`.");
          const selected = parsed.template ? list.find((t) => t.id === parsed.template) : list[0];
          if (!selected) return tell(respond, `There is no memo template \`${escapeMrkdwn(parsed.template ?? "")}\`. Templates: ${list.map((t) => `\`${t.id}\``).join(", ")}.`);
          await client.views.open({ trigger_id: ctx.triggerId, view: newMemoModal({ templates: list, selected, channel: ctx.channel }) });
          return;
        }
        case "memo-list":
          await respond({ response_type: "ephemeral", ...memoListMessage(await listMemos(memoDeps, { states: ["open", "assembled"] }), deps.timeZone) });
          return;
        case "memo-show": {
          const memo = await getMemo(memoDeps, parsed.id!);
          await respond({ response_type: "ephemeral", ...trackingMessage(memo, deps.timeZone) });
          return;
        }
        case "memo-history": {
          const { section, revisions } = await sectionHistory(memoDeps, parsed.id!, parsed.section!);
          const lines = revisions.map((r) => `• rev ${r.revision} · <@${r.author}> · ${r.at.toISOString().slice(0, 16).replace("T", " ")} UTC · ${r.text.length} chars: “${escapeMrkdwn(truncate(r.text.replace(/\s+/g, " "), 160))}”`);
          await tell(respond, truncate(`*History of ${escapeMrkdwn(section.title)}* (memo #${parsed.id})\n${lines.join("\n") || "No revisions yet."}`, 3000));
          return;
        }
        case "memo-assemble":
          await doAssemble(client, parsed.id!, ctx.user, respond, false);
          return;
      }
    } catch (error) {
      await explain(respond, error, parsed.name.replace("-", " "));
    }
  };

  // ---- new memo form ----
  app.action<BlockAction<StaticSelectAction>>(ACTION_IDS.memoTemplate, async ({ ack, action, body, client }) => {
    await ack();
    if (!body.view) return;
    const list = await templates();
    const selected = list.find((t) => t.id === action.selected_option.value);
    if (!selected) return;
    const title = (body.view.state.values[B.title]?.[INPUT_ACTION] as { value?: string } | undefined)?.value ?? undefined;
    await client.views.update({ view_id: body.view.id, hash: body.view.hash, view: newMemoModal({ templates: list, selected, values: { title } }) });
  });

  app.view(VIEW_IDS.memoNew, async ({ ack, body, view, client }) => {
    const values = view.state.values as Record<string, Record<string, { value?: string | null; selected_date?: string | null; selected_time?: string | null; selected_conversation?: string | null; selected_user?: string | null }>>;
    const get = (block: string) => values[block]?.[INPUT_ACTION];
    const { t: templateId } = JSON.parse(view.private_metadata || "{}") as { t?: string };
    const title = get(B.title)?.value?.trim() ?? "";
    const date = get(B.dueDate)?.selected_date ?? null;
    const time = get(B.dueTime)?.selected_time ?? "17:00";
    const channel = get(B.channel)?.selected_conversation ?? null;
    const errors: Record<string, string> = {};
    if (!title) errors[B.title] = "Give the memo a title.";
    if (!channel) errors[B.channel] = "Pick the channel for progress updates.";
    const dueAt = date ? zonedTime(date, time, deps.timeZone) : null;
    if (dueAt && dueAt.getTime() < deps.clock.now().getTime()) errors[B.dueDate] = "That due time has passed.";
    if (!date && get(B.dueTime)?.selected_time && get(B.dueTime)?.selected_time !== "17:00") errors[B.dueDate] = "Pick a date for the due time.";
    if (Object.keys(errors).length > 0) {
      await ack({ response_action: "errors", errors });
      return;
    }
    const owners: Record<string, string> = {};
    for (const [block, v] of Object.entries(values)) {
      if (block.startsWith(B.ownerPrefix) && v[INPUT_ACTION]?.selected_user) owners[block.slice(B.ownerPrefix.length)] = v[INPUT_ACTION].selected_user!;
    }
    let memo: MemoView;
    try {
      memo = await createMemo(memoDeps, { templateId: templateId ?? "", title, dueAt, channel, owners }, body.user.id);
    } catch (error) {
      if (error instanceof MemoError) {
        await ack({ response_action: "errors", errors: { [B.title]: error.message } });
        return;
      }
      throw error;
    }
    await ack();
    try {
      const posted = await post(client, { channel: channel!, ...trackingMessage(memo, deps.timeZone) });
      if (posted.ts) {
        await setTrackingMessage(deps.db.prisma, memo.id, posted.channel ?? channel!, posted.ts);
        memo = await getMemo(memoDeps, memo.id);
      }
    } catch (error) {
      deps.logger.warn(`tracking message for memo #${memo.id} could not be posted:`, error);
      await client.chat.postMessage({
        channel: body.user.id,
        ...noticeMessage(`Memo #${memo.id} was created, but I couldn't post its progress in <#${channel}> (${escapeMrkdwn((error as { data?: { error?: string } }).data?.error ?? "error")}). Invite me there, or use \`/korus memo show ${memo.id}\`.`),
      }).catch(() => undefined);
    }
    for (const section of memo.sections) await dmOwner(client, memo, section);
  });

  // ---- writing a section ----
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.memoWrite, async ({ ack, action, body, client, respond }) => {
    await ack();
    const ref = parseRef(action.value);
    if (!ref?.k) return;
    await openWrite(client, body.trigger_id, ref.m, ref.k, body.user.id, respond).catch((e) => explain(respond, e, "open the section"));
  });

  app.view(VIEW_IDS.memoWrite, async ({ ack, body, view, client }) => {
    const ref = parseRef(view.private_metadata);
    const text = (view.state.values[B.text]?.[INPUT_ACTION] as { value?: string | null } | undefined)?.value ?? "";
    if (!ref?.k) {
      await ack({ response_action: "errors", errors: { [B.text]: "This form lost its memo; open the section again." } });
      return;
    }
    try {
      const saved = await writeSection(memoDeps, ref.m, ref.k, { text, baseRevision: ref.r }, body.user.id);
      await ack();
      await refreshTracking(client, saved.memo);
      await inThread(client, saved.memo, noticeMessage(`<@${body.user.id}> saved *${escapeMrkdwn(saved.section.title)}* (revision ${saved.section.revision}, ${saved.section.text.length} characters).`));
      if (saved.unlocked) {
        await inThread(client, saved.memo, noticeMessage(`:unlock: *${escapeMrkdwn(saved.section.title)}* changed after sign-off: the memo is unlocked and every approval is reset (now version ${saved.memo.version}). Ask for sign-off again when ready.`));
      }
    } catch (error) {
      if (error instanceof MemoError && error.code === "conflict" && error.details.latest) {
        const latest = error.details.latest;
        const by = latest.by && /^[UW]/.test(latest.by) ? `<@${latest.by}>` : latest.by;
        await ack({ response_action: "errors", errors: { [B.text]: truncate(conflictError({ ...latest, by }, deps.timeZone), 2000) } });
        return;
      }
      if (error instanceof MemoError) {
        await ack({ response_action: "errors", errors: { [B.text]: error.message } });
        return;
      }
      throw error;
    }
  });

  // ---- a section's menu on the tracking message ----
  app.action<BlockAction<OverflowAction>>(ACTION_IDS.memoSection, async ({ ack, action, body, client, respond }) => {
    await ack();
    const ref = JSON.parse(action.selected_option.value) as MemoRef & { a: string };
    const user = body.user.id;
    try {
      switch (ref.a) {
        case "write":
          await openWrite(client, body.trigger_id, ref.m, ref.k!, user, respond);
          return;
        case "final":
        case "draft": {
          const memo = await markFinal(memoDeps, ref.m, ref.k!, user, ref.a === "final");
          const section = memo.sections.find((s) => s.key === ref.k)!;
          await refreshTracking(client, memo);
          await inThread(client, memo, noticeMessage(`<@${user}> marked *${escapeMrkdwn(section.title)}* ${ref.a === "final" ? "final" : "back to draft"}.`));
          return;
        }
        case "reassign": {
          const memo = await getMemo(memoDeps, ref.m);
          const section = memo.sections.find((s) => s.key === ref.k);
          if (!section) return;
          if (section.ownerId !== user && memo.createdBy !== user && !deps.admins.includes(user)) {
            return tell(respond, `Only the owner of *${escapeMrkdwn(section.title)}*, the memo's creator or an admin can reassign it.`);
          }
          await client.views.open({ trigger_id: body.trigger_id, view: reassignModal(memo, section) });
          return;
        }
        case "history":
          await runMemoCommand({ name: "memo-history", id: ref.m, section: ref.k }, { user, channel: body.channel?.id ?? "", triggerId: body.trigger_id, client, respond });
          return;
      }
    } catch (error) {
      await explain(respond, error, "change the section");
    }
  });

  app.view(VIEW_IDS.memoReassign, async ({ ack, body, view, client }) => {
    const ref = parseRef(view.private_metadata);
    const owner = (view.state.values[B.owner]?.[INPUT_ACTION] as { selected_user?: string | null } | undefined)?.selected_user;
    if (!ref?.k || !owner) {
      await ack({ response_action: "errors", errors: { [B.owner]: "Pick the new owner." } });
      return;
    }
    try {
      const memo = await reassignSection(memoDeps, ref.m, ref.k, owner, body.user.id);
      await ack();
      const section = memo.sections.find((s) => s.key === ref.k)!;
      await refreshTracking(client, memo);
      await inThread(client, memo, noticeMessage(`<@${body.user.id}> gave *${escapeMrkdwn(section.title)}* to <@${owner}>.`));
      await dmOwner(client, memo, section);
    } catch (error) {
      if (!(error instanceof MemoError)) throw error;
      await ack({ response_action: "errors", errors: { [B.owner]: error.message } });
    }
  });

  // ---- memo actions ----
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.memoAssemble, async ({ ack, action, body, client, respond }) => {
    await ack();
    const ref = parseRef(action.value);
    if (ref) await doAssemble(client, ref.m, body.user.id, respond, false);
  });
  app.action<BlockAction<ButtonAction>>(ACTION_IDS.memoAssembleAnyway, async ({ ack, action, body, client, respond }) => {
    await ack();
    const ref = parseRef(action.value);
    if (ref) await doAssemble(client, ref.m, body.user.id, respond, true);
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.memoCancel, async ({ ack, action, body, client, respond }) => {
    await ack();
    const ref = parseRef(action.value);
    if (!ref) return;
    try {
      const memo = await cancelMemo(memoDeps, ref.m, body.user.id);
      await refreshTracking(client, memo);
      await inThread(client, memo, noticeMessage(`<@${body.user.id}> cancelled the memo. No more edits or reminders.`));
    } catch (error) {
      await explain(respond, error, "cancel the memo");
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.memoSignOff, async ({ ack, action, body, client, respond }) => {
    await ack();
    const ref = parseRef(action.value);
    if (!ref) return;
    try {
      const memo = await getMemo(memoDeps, ref.m);
      if (memo.createdBy !== body.user.id && !deps.admins.includes(body.user.id)) return tell(respond, "Only the memo's creator or an admin can ask for sign-off.");
      await client.views.open({ trigger_id: body.trigger_id, view: signOffModal(memo) });
    } catch (error) {
      await explain(respond, error, "ask for sign-off");
    }
  });

  app.view(VIEW_IDS.memoSignOff, async ({ ack, body, view, client }) => {
    const ref = parseRef(view.private_metadata);
    const approvers = (view.state.values[B.approvers]?.[INPUT_ACTION] as { selected_users?: string[] } | undefined)?.selected_users ?? [];
    if (!ref) return ack();
    try {
      const memo = await requestSignOff(memoDeps, ref.m, approvers, body.user.id);
      await ack();
      await refreshTracking(client, memo);
      await inThread(client, memo, noticeMessage(`<@${body.user.id}> asked ${approvers.map((a) => `<@${a}>`).join(", ")} to approve version ${memo.version}.`));
      for (const approver of approvers) {
        await client.chat.postMessage({ channel: approver, ...approvalRequestMessage(memo, body.user.id) }).catch((e) => deps.logger.warn(`DM to ${approver} failed:`, e));
      }
    } catch (error) {
      if (!(error instanceof MemoError)) throw error;
      await ack({ response_action: "errors", errors: { [B.approvers]: error.message } });
    }
  });

  app.action<BlockAction<ButtonAction>>(ACTION_IDS.memoApprove, async ({ ack, action, body, client, respond }) => {
    await ack();
    const ref = parseRef(action.value);
    if (!ref) return;
    try {
      const { memo, locked } = await approveMemo(memoDeps, ref.m, body.user.id, ref.v);
      await tell(respond, `You approved memo #${memo.id}, version ${memo.version}.`);
      await refreshTracking(client, memo);
      await inThread(client, memo, noticeMessage(`:white_check_mark: <@${body.user.id}> approved version ${memo.version}.${locked ? " Every approver has approved: the memo is locked. Any edit to a section unlocks it and resets the approvals." : ""}`));
    } catch (error) {
      await explain(respond, error, "record the approval");
    }
  });

  // ---- Home tab ----
  app.event("app_home_opened", async ({ event, client }) => {
    if (event.tab !== "home") return;
    const [waiting, memos, status] = await Promise.all([
      sectionsFor(memoDeps, event.user),
      listMemos(memoDeps),
      getStatus({ prisma: deps.db.prisma, clock: deps.clock, timeZone: deps.timeZone, cache: extra.statusCache }),
    ]);
    await client.views.publish({ user_id: event.user, view: homeView({ user: event.user, waiting, memos, status, timeZone: deps.timeZone }) });
  });

  /** DMs the owners of unfinished sections due within `leadMs`, at most once a day each. @returns how many. */
  const sendReminders = async (client: WebClient, leadMs: number): Promise<number> => {
    const due = await claimDueReminders(memoDeps, leadMs);
    for (const { memo, section } of due) {
      await dmOwner(client, memo, section, true);
      await inThread(client, memo, noticeMessage(`:alarm_clock: Reminded <@${section.ownerId}> about *${escapeMrkdwn(section.title)}*.`));
    }
    return due.length;
  };

  return { runMemoCommand, sendReminders };
}

/** How many characters Slack's markdown blocks allow a message (for tests and docs). */
export const MARKDOWN_MESSAGE_LIMIT = SLACK_LIMITS.markdownBlockTotal;

/** Today's date for a memo, in the team's time zone. */
export function memoDate(deps: Pick<SlackDeps, "clock" | "timeZone">): string {
  return dateInZone(deps.clock.now(), deps.timeZone);
}
