import {
  ApiRouter,
  EMPTY_RESPONSE,
  emptyResponseSchema,
  pageQuerySchema,
  pageSchema,
  storeSchema,
} from "@rail/common";
import type { Guards } from "../shared/guards.js";
import {
  challengeAnswerSchema,
  challengeRequestSchema,
  challengeSchema,
  robotIdParamsSchema,
  robotNewLoginSchema,
  robotAdminSchema,
  robotSchema,
  storeIdParamsSchema,
  storeNewLoginSchema,
  storeTerminalSchema,
  tokenSchema,
} from "./auth.schemas.js";
import type { AuthService } from "./auth.service.js";
import type { ClientKind } from "./challenges.js";

/** Robot/terminal enrolment and challenge login; robot and terminal administration. */
export function authRoutes(
  auth: AuthService,
  { admin }: Guards,
  settings: { challengeTtlSeconds: number },
): ApiRouter {
  const api = new ApiRouter();

  api.route({
    method: "post",
    path: "/auth/robot/new_login",
    summary: "Enrol (or re-enrol) a robot's RSA public key with engineer credentials (ROBOT_LOGIN)",
    tags: ["auth"],
    body: robotNewLoginSchema,
    response: robotSchema,
    errors: { 401: "Invalid credentials", 403: "Insufficient privileges", 429: "Too many failed attempts" },
    handler: ({ body, req }) => auth.enrolRobot({ ...body, ip: req.ip ?? "unknown" }),
  });

  api.route({
    method: "post",
    path: "/auth/store/new_login",
    summary: "Enrol a store terminal's RSA public key with engineer credentials (STORE_LOGIN)",
    tags: ["auth"],
    body: storeNewLoginSchema,
    response: storeSchema,
    errors: {
      401: "Invalid credentials",
      403: "Insufficient privileges",
      404: "Store not found",
      503: "Store service unavailable",
    },
    handler: ({ body, req }) => auth.enrolStore({ ...body, ip: req.ip ?? "unknown" }),
  });

  for (const kind of ["robot", "store"] as ClientKind[]) {
    api.route({
      method: "post",
      path: `/auth/${kind}/login`,
      summary: `Request a login challenge (RSA-OAEP-SHA256 ciphertext, valid ${settings.challengeTtlSeconds} s)`,
      tags: ["auth"],
      body: challengeRequestSchema,
      response: challengeSchema,
      errors: { 429: "Too many login requests from this address" },
      handler: ({ body, req }) => auth.issueChallenge(kind, body.id, req.ip ?? "unknown"),
    });
    api.route({
      method: "post",
      path: `/auth/${kind}/login_code`,
      summary: "Answer a login challenge with its plaintext: a session token",
      tags: ["auth"],
      body: challengeAnswerSchema,
      response: tokenSchema,
      errors: { 401: "Invalid credentials", 429: "Too many login requests from this address" },
      handler: ({ body, req }) => auth.answerChallenge(kind, body.request_id, body.data, req.ip ?? "unknown"),
    });
  }

  api.route({
    method: "get",
    path: "/admin/robots",
    summary: "List enrolled robots (model, key fingerprint, enrolled at, last login)",
    tags: ["admin: robots"],
    auth: admin,
    query: pageQuerySchema,
    response: pageSchema(robotAdminSchema),
    handler: ({ query }) => auth.listRobots(query),
  });

  api.route({
    method: "get",
    path: "/admin/store_terminals",
    summary: "List enrolled store terminals (key fingerprint, enrolled at, last login)",
    tags: ["admin: robots"],
    auth: admin,
    query: pageQuerySchema,
    response: pageSchema(storeTerminalSchema),
    handler: ({ query }) => auth.listStoreTerminals(query),
  });

  api.route({
    method: "delete",
    path: "/admin/robots/:robot_id",
    summary: "Delete a robot and end its sessions (idempotent)",
    tags: ["admin: robots"],
    auth: admin,
    params: robotIdParamsSchema,
    response: emptyResponseSchema,
    handler: async ({ params }) => {
      await auth.deleteRobot(params.robot_id);
      return EMPTY_RESPONSE;
    },
  });

  api.route({
    method: "delete",
    path: "/admin/store_terminals/:store_id",
    summary: "Forget a store terminal's key and end its sessions (idempotent)",
    tags: ["admin: robots"],
    auth: admin,
    params: storeIdParamsSchema,
    response: emptyResponseSchema,
    handler: async ({ params }) => {
      await auth.deleteStoreTerminal(params.store_id);
      return EMPTY_RESPONSE;
    },
  });

  return api;
}
