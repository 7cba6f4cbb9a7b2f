/**
 * One Bolt listener for all block actions and one for all view submissions, dispatching on `action_id` and
 * `callback_id`. Bolt runs the middleware of every registered listener for every request to find the ones that match;
 * with a listener per button and per form (28), that search cost a `/korus status` more CPU than the rest of its
 * handling (measured on a bare Bolt app: 26 more listeners took each request from 0.26-0.27 to 0.42-0.48 ms of CPU).
 * Registrations read as before, `app.action(id, handler)` and `app.view(id, handler)`, on the app this returns.
 */
import type { App } from "@slack/bolt";

type Handler = (args: never) => Promise<void>;

/** Routes the app's `action` and `view` registrations; call `install()` once everything is registered. */
export function routeListeners(app: App): { app: App; install(): void } {
  const actions = new Map<string, Handler>();
  const actionPatterns: Array<[RegExp, Handler]> = [];
  const views = new Map<string, Handler>();
  const register =
    (byId: Map<string, Handler>, patterns: Array<[RegExp, Handler]> | undefined, kind: string) =>
    (id: unknown, ...rest: unknown[]) => {
      const handler = rest[0] as Handler;
      if (rest.length !== 1 || typeof handler !== "function") throw new Error(`routed ${kind} listeners take one handler`);
      if (typeof id === "string" && !byId.has(id)) byId.set(id, handler);
      else if (id instanceof RegExp && patterns) patterns.push([id, handler]);
      else throw new Error(`cannot route ${kind} ${String(id)}: an id registered twice, or a constraint object`);
    };
  const routed = new Proxy(app, {
    get(target, property) {
      if (property === "action") return register(actions, actionPatterns, "action");
      if (property === "view") return register(views, undefined, "view");
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const call = (handler: Handler | undefined, args: unknown) => (handler ? handler(args as never) : Promise.resolve());
  return {
    app: routed,
    install: () => {
      // Unknown ids never get here: the stray-request middleware answers them first.
      app.action(/^/, async (args) => {
        const id = (args.action as { action_id?: string }).action_id ?? "";
        await call(actions.get(id) ?? actionPatterns.find(([pattern]) => pattern.test(id))?.[1], args);
      });
      app.view(/^/, async (args) => {
        await call(views.get(args.view.callback_id), args);
      });
    },
  };
}
