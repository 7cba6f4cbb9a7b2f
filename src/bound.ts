/**
 * Domain functions with their dependencies given: the services a composition root builds once and hands to an
 * adapter, which then calls `services.facts.getFact(id)` and never holds the database client the dependencies carry.
 */

/** `F` without its first parameter (its dependencies). */
export type WithoutFirst<F> = F extends (first: never, ...rest: infer A) => infer R ? (...args: A) => R : never;

/** Each function of `T` without its first parameter. */
export type BoundAll<T> = { readonly [K in keyof T]: WithoutFirst<T[K]> };

/**
 * Each of `fns` with `deps` given as its first argument. `deps` must be what each function's first parameter takes
 * (tsc says which function does not).
 */
export function bindFirst<D, T extends Record<string, (deps: D, ...args: never[]) => unknown>>(deps: D, fns: T): BoundAll<T> {
  const bound: Record<string, (...args: unknown[]) => unknown> = {};
  for (const [name, fn] of Object.entries(fns)) bound[name] = (...args) => (fn as (deps: D, ...args: unknown[]) => unknown)(deps, ...args);
  return bound as BoundAll<T>;
}
