/** Registers the memo flow: the new-memo form, sections, sign-off, assembly, cancelling; returns its command runner and reminder job. */
import type { App } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { ACTION_IDS, VIEW_IDS } from "../../ids.js";
import { type ListenerDeps, tracked } from "../kit.js";
import { makeMemoCommandRunner, type MemoCommandRunner } from "./commands.js";
import { makeNewMemoButtonHandler, makeNewMemoSubmitHandler, makeTemplateChoiceHandler } from "./form.js";
import { makeApproveHandler, makeAssembleHandler, makeCancelHandler, makeSignOffButtonHandler, makeSignOffSubmitHandler } from "./lifecycle.js";
import { makeMemoNotices } from "./notices.js";
import { makeCanvasHandler, makeDiffHandler, makeExportDocxHandler } from "./outputs.js";
import { makeReminderJob } from "./reminders.js";
import { makeReassignSubmitHandler, makeSectionMenuHandler, makeSectionSubmitHandler, makeWriteButtonHandler } from "./sections.js";

export type { MemoCommandRunner } from "./commands.js";

/** The memo flow's listeners. */
export function registerMemoListeners(app: App, deps: ListenerDeps): { runMemoCommand: MemoCommandRunner; sendReminders: (client: WebClient, leadMs: number) => Promise<number> } {
  const notices = makeMemoNotices(deps);
  app.action(ACTION_IDS.memoTemplate, tracked(makeTemplateChoiceHandler(deps)));
  app.view(VIEW_IDS.memoNew, tracked(makeNewMemoSubmitHandler(deps, notices)));
  app.action(ACTION_IDS.homeMemoNew, tracked(makeNewMemoButtonHandler(deps)));
  app.action(ACTION_IDS.memoWrite, tracked(makeWriteButtonHandler(deps)));
  app.view(VIEW_IDS.memoWrite, tracked(makeSectionSubmitHandler(deps, notices)));
  app.action(ACTION_IDS.memoSection, tracked(makeSectionMenuHandler(deps, notices)));
  app.view(VIEW_IDS.memoReassign, tracked(makeReassignSubmitHandler(deps, notices)));
  app.action(ACTION_IDS.memoAssemble, tracked(makeAssembleHandler(deps, notices, false)));
  app.action(ACTION_IDS.memoAssembleAnyway, tracked(makeAssembleHandler(deps, notices, true)));
  app.action(ACTION_IDS.memoCancel, tracked(makeCancelHandler(deps, notices)));
  app.action(ACTION_IDS.memoSignOff, tracked(makeSignOffButtonHandler(deps)));
  app.view(VIEW_IDS.memoSignOff, tracked(makeSignOffSubmitHandler(deps, notices)));
  app.action(ACTION_IDS.memoApprove, tracked(makeApproveHandler(deps, notices)));
  app.action(ACTION_IDS.memoExportDocx, tracked(makeExportDocxHandler(deps)));
  app.action(ACTION_IDS.memoCanvas, tracked(makeCanvasHandler(deps)));
  app.action(ACTION_IDS.memoDiff, tracked(makeDiffHandler(deps)));
  return { runMemoCommand: makeMemoCommandRunner(deps, notices), sendReminders: makeReminderJob(deps, notices) };
}
