/**
 * What the bot's buttons, menus and forms carry back (an action's `value`, a modal's `private_metadata`): one zod
 * schema each, so that a value from an older message, a deleted memo or a forged request is recognised as stale
 * instead of being trusted. Views build these values; listeners read them with {@link readRef}.
 */
import { z } from "zod";
import { isIsoDate } from "../facts/dates.js";

const memoId = z.number().int().positive().max(2_147_483_647);
const sectionKey = z.string().min(1).max(100);

/** A memo: the Assemble, Request sign-off and Cancel buttons. */
export const memoRefSchema = z.object({ m: memoId });
/** A section: the Write section button (owner's DM, Home tab). */
export const sectionRefSchema = z.object({ m: memoId, k: sectionKey });
/** The section editor's private_metadata: the revision it started from is required. */
export const writeFormSchema = z.object({ m: memoId, k: sectionKey, r: z.number().int().min(0) });
/** A choice in a section's menu on the tracking message. */
export const sectionMenuSchema = z.object({ m: memoId, k: sectionKey, a: z.enum(["write", "final", "draft", "reassign", "history"]) });
/** The Approve button: the memo version the approver was asked about. */
export const approveRefSchema = z.object({ m: memoId, v: z.number().int().min(0) });
/** The "Changes since last version" button: the two assemblies compared. */
export const diffRefSchema = z.object({ m: memoId, f: z.number().int().positive(), t: z.number().int().positive() });
/** The new-memo form's private_metadata: the template shown. */
export const newMemoFormSchema = z.object({ t: z.string().min(1).max(100) });
/** The fact forms' private_metadata. */
export const factFormSchema = z.object({
  factId: z.number().int().positive().max(2_147_483_647).optional(),
  channel: z.string().max(255).optional(),
  /** The feed candidate the new fact is saved from (its review card's Save as fact), and where the card is. */
  candidate: z.object({ id: z.number().int().positive().max(2_147_483_647), channel: z.string().max(40).optional(), ts: z.string().max(40).optional() }).optional(),
});
/** A button on a feed candidate's review card: the candidate. */
export const candidateButtonSchema = z.object({ c: z.number().int().positive().max(2_147_483_647) });
/** A page button of fact search results. */
export const factsPageSchema = z.object({ q: z.string().max(2000), o: z.number().int().min(0).max(1_000_000) });
/** The "Open fact #12" button under an answer. */
export const askFactSchema = z.object({ f: z.number().int().positive().max(2_147_483_647) });
/** The "Status as of DAY" button under an answer. */
export const askStatusSchema = z.object({ d: z.string().refine(isIsoDate) });
/** A choice in a fact's menu: `edit:12`, `retract:12`, `history:12`, `close:12` (a deadline's "Mark met by…"). */
export const factMenuSchema = z
  .string()
  .regex(/^(edit|retract|history|close):\d{1,9}$/)
  .transform((value) => ({ verb: value.slice(0, value.indexOf(":")) as "edit" | "retract" | "history" | "close", id: Number(value.slice(value.indexOf(":") + 1)) }));

export type MemoRef = z.infer<typeof memoRefSchema>;
export type SectionRef = z.infer<typeof sectionRefSchema>;
export type WriteForm = z.infer<typeof writeFormSchema>;
export type SectionMenuRef = z.infer<typeof sectionMenuSchema>;
export type ApproveRef = z.infer<typeof approveRefSchema>;
export type DiffRef = z.infer<typeof diffRefSchema>;
export type NewMemoForm = z.infer<typeof newMemoFormSchema>;
export type FactForm = z.infer<typeof factFormSchema>;
export type FactsPage = z.infer<typeof factsPageSchema>;

/** Reads a JSON value with its schema; undefined when it is missing, not JSON, or not that shape. */
export function readRef<T>(schema: z.ZodType<T>, raw: string | undefined | null): T | undefined {
  if (!raw) return undefined;
  try {
    const result = schema.safeParse(JSON.parse(raw));
    return result.success ? result.data : undefined;
  } catch {
    return undefined;
  }
}

/** Reads a plain string value with its schema; undefined when it does not match. */
export function readValue<T>(schema: z.ZodType<T, string>, raw: string | undefined | null): T | undefined {
  const result = schema.safeParse(raw);
  return result.success ? result.data : undefined;
}
