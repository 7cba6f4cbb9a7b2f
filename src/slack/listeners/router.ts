/**
 * Every listener of the bot behind one Bolt middleware, dispatching on the command's name, `action_id`,
 * `callback_id`, the shortcut's type and `callback_id`, and the event's type. Bolt runs the middleware of every
 * registered listener for every request to find the ones that match, copying the request's arguments for each; with
 * a listener per button and per form (28), that search cost a `/korus status` more CPU than the rest of its handling
 * (measured on a bare Bolt app: 26 more listeners took each request from 0.26-0.27 to 0.42-0.48 ms of CPU), and the
 * seven that were left (the command, actions, views, the shortcut and three events) still cost each request about
 * 35 µs apiece on this loaded machine (bench/ack-path.ts explains the figure). Registrations read as before,
 * `app.command(name, handler)`, `app.action(id, handler)`, `app.view(id, handler)`, `app.shortcut({ type,
 * callback_id }, handler)` and `app.event(type, handler)`, on the app this returns; `dispatcher()` is the middleware
 * that dispatches them, to put after the global middleware (listeners/index.ts). A handler gets the arguments a Bolt listener would (and a `next` it
 * does not call); what it throws goes to `app.error`, as a listener's does.
 */
import type { AnyMiddlewareArgs, App, Middleware } from "@slack/bolt";

type Handler = (args: never) => Promise<void>;

/** What the dispatcher reads of a request's arguments (Bolt sets the one that fits the request's kind). */
interface RoutedArgs {
  body: { type?: unknown };
  command?: { command?: string };
  action?: { action_id?: string };
  view?: { callback_id?: string };
  shortcut?: { type?: string; callback_id?: string };
  event?: { type?: string };
  next(): Promise<void>;
}

/** Routes the app's registrations, dispatched by `dispatcher()` once everything is registered. */
export function routeListeners(app: App): { app: App; dispatcher(): Middleware<AnyMiddlewareArgs> } {
  const commands = new Map<string, Handler>();
  const actions = new Map<string, Handler>();
  const actionPatterns: Array<[RegExp, Handler]> = [];
  const views = new Map<string, Handler>();
  const shortcuts = new Map<string, Handler>();
  const events = new Map<string, Handler>();
  const register =
    (byId: Map<string, Handler>, kind: string, patterns?: Array<[RegExp, Handler]>, key: (id: unknown) => string | undefined = (id) => (typeof id === "string" ? id : undefined)) =>
    (id: unknown, ...rest: unknown[]) => {
      const handler = rest[0] as Handler;
      if (rest.length !== 1 || typeof handler !== "function") throw new Error(`routed ${kind} listeners take one handler`);
      const name = key(id);
      if (name !== undefined && !byId.has(name)) byId.set(name, handler);
      else if (id instanceof RegExp && patterns) patterns.push([id, handler]);
      else throw new Error(`cannot route ${kind} ${String(id)}: an id registered twice, or a constraint object`);
    };
  const shortcutKey = (c: unknown) => {
    const { type, callback_id, ...other } = (c ?? {}) as { type?: unknown; callback_id?: unknown };
    return typeof type === "string" && typeof callback_id === "string" && Object.keys(other).length === 0 ? `${type}\0${callback_id}` : undefined;
  };
  const registrations: Record<string, unknown> = {
    command: register(commands, "command"),
    action: register(actions, "action", actionPatterns),
    view: register(views, "view"),
    shortcut: register(shortcuts, "shortcut", undefined, shortcutKey),
    event: register(events, "event"),
  };
  const routed = new Proxy(app, {
    get(target, property) {
      if (typeof property === "string" && property in registrations) return registrations[property];
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  const handlerOf = (args: RoutedArgs): Handler | undefined => {
    if (args.command) return commands.get(args.command.command ?? "");
    if (args.action) {
      const id = args.action.action_id ?? "";
      return actions.get(id) ?? actionPatterns.find(([pattern]) => pattern.test(id))?.[1];
    }
    // As Bolt's app.view(id) does, only a submission: a closed form is answered by the stray-request middleware.
    if (args.view) return args.body.type === "view_submission" ? views.get(args.view.callback_id ?? "") : undefined;
    if (args.shortcut) return shortcuts.get(`${args.shortcut.type}\0${args.shortcut.callback_id}`);
    if (args.event) return events.get(args.event.type ?? "");
    return undefined;
  };
  return {
    app: routed,
    // Unknown commands, action ids and views never get here: the stray-request middleware answers them first.
    dispatcher: () => async (args) => {
      const handler = handlerOf(args as unknown as RoutedArgs);
      if (handler) await handler(args as never);
      else await args.next();
    },
  };
}
