import {
  ApiRouter,
  EMPTY_RESPONSE,
  emptyResponseSchema,
  engineerGuard,
  pageQuerySchema,
  pageSchema,
  sessionGuard,
} from "@rail/common";
import type { Deps } from "../app.js";
import {
  adminAccessSchema,
  authCardUpdateSchema,
  engineerCreationSchema,
  engineerIdParamsSchema,
  engineerLoginBodySchema,
  engineerSchema,
  privilegesUpdateSchema,
  tokenResponseSchema,
} from "./engineers.schemas.js";
import * as engineers from "./engineers.service.js";

export function engineerRoutes(deps: Deps): ApiRouter {
  const admin = engineerGuard(deps.sessions);
  const robot = sessionGuard(deps.sessions, "robot");
  const api = new ApiRouter();

  api.route({
    method: "post",
    path: "/auth/engineer/login",
    summary: "Engineer login: a bearer token for the admin API",
    tags: ["auth"],
    body: engineerLoginBodySchema,
    response: tokenResponseSchema,
    errors: { 401: "Invalid credentials", 429: "Too many failed attempts for this login from this address" },
    handler: ({ body, req }) => engineers.loginEngineer(deps, body.login, body.password, req.ip ?? "unknown"),
  });

  api.route({
    method: "post",
    path: "/admin/engineer",
    summary: "Create an engineer",
    tags: ["admin: engineers"],
    auth: admin,
    body: engineerCreationSchema,
    response: engineerSchema,
    errors: { 403: "ADMIN privilege required", 409: "Engineer already exists" },
    handler: ({ body }) => engineers.createEngineer(deps, body),
  });

  api.route({
    method: "get",
    path: "/admin/engineers",
    summary: "List engineers",
    tags: ["admin: engineers"],
    auth: admin,
    query: pageQuerySchema,
    response: pageSchema(engineerSchema),
    handler: ({ query }) => engineers.listEngineers(deps, query),
  });

  api.route({
    method: "delete",
    path: "/admin/engineers/:engineer_id",
    summary: "Delete an engineer (and their auth card); ends their sessions",
    tags: ["admin: engineers"],
    auth: admin,
    params: engineerIdParamsSchema,
    response: emptyResponseSchema,
    errors: { 404: "Engineer not found" },
    handler: async ({ params }) => {
      await engineers.deleteEngineer(deps, params.engineer_id);
      return EMPTY_RESPONSE;
    },
  });

  api.route({
    method: "put",
    path: "/admin/engineer_privileges",
    summary: "Replace an engineer's privileges; ends their sessions",
    tags: ["admin: engineers"],
    auth: admin,
    body: privilegesUpdateSchema,
    response: emptyResponseSchema,
    errors: { 404: "Engineer not found" },
    handler: async ({ body }) => {
      await engineers.setPrivileges(deps, body.id, body.privileges);
      return EMPTY_RESPONSE;
    },
  });

  api.route({
    method: "put",
    path: "/admin/engineer/:engineer_id/auth_card",
    summary: "Set (or with a null/empty key remove) an engineer's RFID card",
    tags: ["admin: engineers"],
    auth: admin,
    params: engineerIdParamsSchema,
    body: authCardUpdateSchema,
    response: emptyResponseSchema,
    errors: { 404: "Engineer not found", 409: "Auth card already in use" },
    handler: async ({ params, body }) => {
      await engineers.setAuthCard(deps, params.engineer_id, body.key);
      return EMPTY_RESPONSE;
    },
  });

  api.route({
    method: "post",
    path: "/robot/engineer/admin_access",
    summary: "RFID card check: the engineer if the card grants ROBOT_ADMIN",
    tags: ["robot"],
    auth: robot,
    body: adminAccessSchema,
    response: engineerSchema,
    errors: { 403: "Access denied" },
    handler: ({ body }) => engineers.robotAdminAccess(deps, body.key),
  });

  return api;
}
