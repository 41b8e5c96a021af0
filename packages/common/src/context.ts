import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "pino";

/** Per-request state that must follow the request through awaits (logs, calls to other services). */
export interface RequestContext {
  requestId: string;
  logger: Logger;
}

const storage = new AsyncLocalStorage<RequestContext>();

export const runWithRequestContext = <T>(ctx: RequestContext, fn: () => T): T => storage.run(ctx, fn);
export const getRequestContext = (): RequestContext | undefined => storage.getStore();
