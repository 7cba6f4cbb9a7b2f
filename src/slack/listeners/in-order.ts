/**
 * Several middleware run as one Bolt middleware. Bolt gives each global middleware a copy of the request's arguments
 * (about ten fields) and a frame of its own; the bot's five (request log, requester names, ack bookkeeping, stray
 * requests, the listener router) run for every request, the `/korus status` ack included. Here they share one copy,
 * whose `next` moves on as each calls it; each still runs in order and may stop the chain by not calling `next`.
 */
import type { AnyMiddlewareArgs, Middleware } from "@slack/bolt";

type Args = AnyMiddlewareArgs & { next(): Promise<void> };

/** `middleware`, in order, as one middleware; the last one's `next` is Bolt's. */
export function inOrder(middleware: ReadonlyArray<Middleware<AnyMiddlewareArgs>>): Middleware<AnyMiddlewareArgs> {
  return async (args) => {
    const shared = { ...args } as Args;
    let called = -1;
    const step = async (index: number): Promise<void> => {
      if (index <= called) throw new Error("next() called multiple times");
      called = index;
      if (index === middleware.length) return args.next();
      // Read by each middleware when it calls next(), which happens before the one after it replaces it.
      shared.next = () => step(index + 1);
      await middleware[index]!(shared as Parameters<Middleware<AnyMiddlewareArgs>>[0]);
    };
    await step(0);
  };
}
