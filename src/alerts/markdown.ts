/** Alert subscriptions as Markdown, for the terminal and the console (Slack has its own, with channel mentions). */
import { dayLabel } from "../facts/labels.js";
import { escapeMarkdown } from "../render/escape.js";
import type { PlannedAlert, SubscriptionView } from "./subscriptions.js";

/** "7 days ahead", "1 day ahead", "on the day". */
export function leadLabel(lead: number): string {
  return lead === 0 ? "on the day" : `${lead} day${lead === 1 ? "" : "s"} ahead`;
}

/** "2017-08-04 (Fri): 7 days ahead of “title” (due 2017-08-11)". Plain text. */
export function plannedLine(p: PlannedAlert): string {
  return `${dayLabel(p.on)}: ${leadLabel(p.leadDays)} of “${p.title}” (due ${p.dueDate}, fact #${p.factId})`;
}

/** One subscription in one line: channel, topic, leads and time. */
export function subscriptionLine(v: SubscriptionView): string {
  return `${v.channel}, topic \`${v.topic}\`: ${v.leads.map(leadLabel).join(", ")}, at ${v.time} ${v.timeZone}`;
}

/** `korus alerts list`. */
export function subscriptionsToMarkdown(views: readonly SubscriptionView[]): string {
  if (views.length === 0) return "No channel has deadline alerts. Turn them on with `korus alerts on --channel C0123ABCD --days 7,1`.\n";
  const lines = ["**Deadline alerts**", ""];
  for (const v of views) {
    lines.push(`- ${subscriptionLine(v)} (turned on by ${escapeMarkdown(v.ownerName)}; ${v.posted} posted)`);
    for (const p of v.next) lines.push(`  - next: ${escapeMarkdown(plannedLine(p))}`);
    if (v.next.length === 0) lines.push("  - no upcoming deadline to alert");
    if (v.lastProblem) lines.push(`  - last problem: fact #${v.lastProblem.factId}: ${escapeMarkdown(v.lastProblem.detail)}`);
  }
  return `${lines.join("\n")}\n`;
}
