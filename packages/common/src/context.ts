import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "pino";

/** Per-request state that must follow the request through awaits (logs, calls to other services). */
export interface RequestContext {
  requestId: string;
  logger: Logger;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Runs `fn(...args)` with `ctx` as the request context (arguments instead of a closure: no allocation per call). */
export const runWithRequestContext = <A extends unknown[], T>(
  ctx: RequestContext,
  fn: (...args: A) => T,
  ...args: A
): T => storage.run(ctx, fn, ...args);
export const getRequestContext = (): RequestContext | undefined => storage.getStore();
