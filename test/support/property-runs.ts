/**
 * How many cases a property test tries. `npm test` tries the fast count, which keeps the fast suite within its time;
 * `npm run test:slow` (vitest.slow.config.ts, which CI runs too) runs the same files again with
 * KORUS_PROPERTY_RUNS=full and tries the full count. A number in KORUS_PROPERTY_RUNS tries that many, in either suite
 * (to chase a failure, or to soak a property for a while).
 */
export function propertyRuns(counts: { fast: number; full: number }): number {
  const chosen = process.env.KORUS_PROPERTY_RUNS;
  if (chosen === undefined || chosen === "") return counts.fast;
  if (chosen === "full") return counts.full;
  const runs = Number(chosen);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`KORUS_PROPERTY_RUNS must be "full" or a whole number above 0, not ${JSON.stringify(chosen)}`);
  return runs;
}
