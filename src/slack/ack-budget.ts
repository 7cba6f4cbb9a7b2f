/**
 * Slack needs an answer within 3 s (docs/slack-platform.md). Work that usually takes milliseconds can answer in the ack itself,
 * which saves a second request; this budget keeps a slow case from costing the user an `operation_timeout`.
 */
export const ACK_BUDGET_MS = 1500;

/**
 * Runs `work`; when it settles within the budget, `onTime` receives it. Otherwise `onSlow` runs (ack now, say it
 * follows), `work` goes on, and its outcome arrives `late`.
 */
export async function withinAckBudget<T>(work: Promise<T>, onSlow: () => Promise<void>, budgetMs = ACK_BUDGET_MS): Promise<{ value: T; late: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  // A budget of 0 always takes the slow path.
  const slow = new Promise<"slow">((resolve) => {
    if (budgetMs <= 0) resolve("slow");
    else timer = setTimeout(() => resolve("slow"), budgetMs);
  });
  // Observe a rejection now, so that it is not reported as unhandled while the budget runs.
  const settled = work.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  const first = await Promise.race(budgetMs <= 0 ? [slow] : [settled, slow]);
  clearTimeout(timer);
  if (first !== "slow") {
    if ("error" in first) throw first.error;
    return { value: first.value, late: false };
  }
  await onSlow();
  const outcome = await settled;
  if ("error" in outcome) throw outcome.error;
  return { value: outcome.value, late: true };
}
