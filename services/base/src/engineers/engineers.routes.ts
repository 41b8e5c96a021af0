import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema, pageQuerySchema, pageSchema } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import {
  adminAccessSchema,
  authCardSchema,
  authCardUpdateSchema,
  engineerCreationSchema,
  engineerIdParamsSchema,
  engineerLoginBodySchema,
  engineerSchema,
  privilegesUpdateSchema,
  tokenResponseSchema,
} from "./engineers.schemas.js";
import type { EngineersService } from "./engineers.service.js";

/** Engineer login, engineer administration, and the robot's RFID card check. */
export function engineerRoutes(engineers: EngineersService, { admin, robot }: Guards): ApiRouter {
  const api = new ApiRouter();

  api.route({
    method: "post",
    path: "/auth/engineer/login",
    summary: "Engineer login: a bearer token for the admin API",
    tags: ["auth"],
    body: engineerLoginBodySchema,
    response: tokenResponseSchema,
    errors: { 401: "Invalid credentials", 429: "Too many failed attempts for this login from this address" },
    handler: ({ body, req }) => engineers.login(body.login, body.password, req.ip ?? "unknown"),
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
    handler: ({ body }) => engineers.create(body),
  });

  api.route({
    method: "get",
    path: "/admin/engineers",
    summary: "List engineers",
    tags: ["admin: engineers"],
    auth: admin,
    query: pageQuerySchema,
    response: pageSchema(engineerSchema),
    handler: ({ query }) => engineers.list(query),
  });

  api.route({
    method: "get",
    path: "/admin/auth_cards",
    summary: "List engineers' RFID cards (keys masked)",
    tags: ["admin: engineers"],
    auth: admin,
    query: pageQuerySchema,
    response: pageSchema(authCardSchema),
    handler: ({ query }) => engineers.listAuthCards(query),
  });

  api.route({
    method: "delete",
    path: "/admin/engineers/:engineer_id",
    summary: "Delete an engineer (and their auth card); ends their sessions",
    tags: ["admin: engineers"],
    auth: admin,
    params: engineerIdParamsSchema,
    response: emptyResponseSchema,
    errors: {
      404: "Engineer not found",
      409: "The last ADMIN cannot be deleted or lose the ADMIN privilege",
    },
    handler: async ({ params }) => {
      await engineers.delete(params.engineer_id);
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
    errors: {
      404: "Engineer not found",
      409: "The last ADMIN cannot be deleted or lose the ADMIN privilege",
    },
    handler: async ({ body }) => {
      await engineers.setPrivileges(body.id, body.privileges);
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
      await engineers.setAuthCard(params.engineer_id, body.key);
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
    handler: ({ body }) => engineers.robotAdminAccess(body.key),
  });

  return api;
}
