/**
 * Where an agreement stood on a day, from its milestone facts known by then (pure): signed, approved by each side, in
 * force, its amendments in force. "signed 2007-06-30; not yet in force" as of 2011; "in force since 2012-03-15" after.
 */
import type { IsoDate } from "../facts/dates.js";
import { actorLabel } from "../facts/labels.js";
import type { Fact, Milestone } from "../facts/model.js";

/** The standing line and the facts it rests on (each to be cited), or null when no milestone is known. */
export function agreementStanding(facts: readonly Fact[], asOf: IsoDate): { standing: string; basis: Fact[] } | null {
  const marked = facts.filter((f) => f.milestone && !f.retracted && f.visibleFrom <= asOf).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.id - b.id));
  if (marked.length === 0) return null;
  const latest = (m: Milestone, happened: boolean) => marked.filter((f) => f.milestone === m && f.date <= asOf === happened).at(happened ? -1 : 0);
  const inForce = latest("in-force", true);
  if (inForce) {
    const parts = [`in force since ${inForce.date}`];
    const basis = [inForce];
    const amended = latest("amended-in-force", true) ?? latest("amended-in-force", false);
    if (amended) {
      parts.push(amended.date <= asOf ? `amended agreement in force since ${amended.date}` : `amendments enter into force ${amended.date}`);
      basis.push(amended);
    }
    return { standing: parts.join("; "), basis };
  }
  const parts: string[] = [];
  const basis: Fact[] = [];
  const signed = latest("signed", true);
  if (signed) {
    parts.push(`signed ${signed.date}`);
    basis.push(signed);
  }
  // The latest approval of each side that has approved by then.
  const approvals = new Map<string, Fact>();
  for (const f of marked) if (f.milestone === "approved" && f.date <= asOf) approvals.set(f.actor, f);
  if (approvals.size > 0) {
    const who = [...approvals.values()].map((f) => `${f.actor === "US" ? "the United States" : actorLabel(f.actor)} (${f.date})`);
    parts.push(`approved by ${who.length === 1 ? who[0] : `${who.slice(0, -1).join(", ")} and ${who.at(-1)}`}`);
    basis.push(...approvals.values());
  }
  const announced = latest("in-force", false);
  if (announced) basis.push(announced);
  parts.push(announced ? `enters into force ${announced.date}` : "not yet in force");
  return { standing: parts.join("; "), basis };
}
