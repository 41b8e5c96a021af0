/**
 * The kit on its own: a service app from `createServiceApp` (request ids, request logs, metrics, probes, error
 * handling) with one trivial route, no database. Started by the bench on an ephemeral port next to the bare
 * Express app, so that both serve only the bench (the stack's base also serves whatever else uses the stack).
 * Prints the port on stderr; its logs go to stdout like a service's.
 */
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { ApiRouter, createLogger, createServiceApp } from "@rail/common";

const api = new ApiRouter();
api.route({
  method: "get",
  path: "/hello",
  summary: "Hello",
  response: z.object({ hello: z.string() }),
  handler: async () => ({ hello: "world" }),
});
const app = createServiceApp({
  name: "kit-hello",
  prefix: "/kit/v1",
  logger: createLogger("kit-hello", "info"),
  api,
  readiness: [],
});
const server = app.listen(0, "127.0.0.1", () => {
  console.error((server.address() as AddressInfo).port);
});
