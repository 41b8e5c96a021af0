import {
  ApiRouter,
  EMPTY_RESPONSE,
  emptyResponseSchema,
  engineerGuard,
  pageQuerySchema,
  pageSchema,
  serviceOrAdminGuard,
  sessionGuard,
} from "@rail/common";
import type { Deps } from "../app.js";
import {
  faceUpdateSchema,
  identificationSchema,
  userCreationSchema,
  userIdParamsSchema,
  userIdQuerySchema,
  userSchema,
} from "./users.schemas.js";
import * as users from "./users.service.js";

export function userRoutes(deps: Deps): ApiRouter {
  const admin = engineerGuard(deps.sessions);
  const robot = sessionGuard(deps.sessions, "robot");
  const service = serviceOrAdminGuard(deps.config.INTERNAL_SERVICE_TOKEN, deps.sessions);
  const api = new ApiRouter();
  const ok = async (work: Promise<unknown>) => {
    await work;
    return EMPTY_RESPONSE;
  };

  api.route({
    method: "post",
    path: "/admin/user",
    summary: "Create a passenger, optionally enrolling a face",
    tags: ["admin: users"],
    auth: admin,
    body: userCreationSchema,
    response: userSchema,
    errors: {
      400: "Face image rejected",
      409: "User already exists / Face already exists",
      503: "Face service unavailable",
    },
    handler: ({ body }) => users.createUser(deps, body.name, body.face),
  });

  api.route({
    method: "patch",
    path: "/admin/user/:user_id/face",
    summary: "Enrol another face example for a passenger",
    tags: ["admin: users"],
    auth: admin,
    params: userIdParamsSchema,
    body: faceUpdateSchema,
    response: emptyResponseSchema,
    errors: { 404: "User not found", 409: "Face already exists", 503: "Face service unavailable" },
    handler: ({ params, body }) => ok(users.setFace(deps, params.user_id, body.face)),
  });

  api.route({
    method: "delete",
    path: "/admin/user/face",
    summary: "Delete a passenger's face",
    tags: ["admin: users"],
    auth: admin,
    query: userIdQuerySchema,
    response: emptyResponseSchema,
    errors: { 404: "User not found", 503: "Face service unavailable" },
    handler: ({ query }) => ok(users.removeFace(deps, query.user_id)),
  });

  api.route({
    method: "get",
    path: "/admin/users",
    summary: "List passengers",
    tags: ["admin: users"],
    auth: admin,
    query: pageQuerySchema,
    response: pageSchema(userSchema),
    handler: ({ query }) => users.listUsers(deps, query),
  });

  api.route({
    method: "delete",
    path: "/admin/users/:user_id",
    summary: "Delete a passenger with their face, tickets and Keycloak links",
    tags: ["admin: users"],
    auth: admin,
    params: userIdParamsSchema,
    response: emptyResponseSchema,
    errors: { 404: "User not found", 503: "Face service unavailable (nothing deleted)" },
    handler: ({ params }) => ok(users.deleteUser(deps, params.user_id)),
  });

  api.route({
    method: "post",
    path: "/robot/identification",
    summary: "Identify a passenger by face",
    tags: ["robot"],
    auth: robot,
    body: identificationSchema,
    response: userSchema,
    errors: { 404: "User not found", 422: "Can`t recognize face", 503: "Face service unavailable" },
    handler: ({ body }) => users.identifyUser(deps, body.image),
  });

  api.route({
    method: "get",
    path: "/robot/user/:user_id",
    summary: "A passenger by id",
    tags: ["robot"],
    auth: robot,
    params: userIdParamsSchema,
    response: userSchema,
    errors: { 404: "User not found" },
    handler: ({ params }) => users.getUser(deps, params.user_id),
  });

  api.route({
    method: "get",
    path: "/internal/users/:user_id",
    summary: "A passenger by id, for other services (e.g. the store service checking a buyer)",
    tags: ["internal"],
    auth: service,
    params: userIdParamsSchema,
    response: userSchema,
    errors: { 404: "User not found" },
    handler: ({ params }) => users.getUser(deps, params.user_id),
  });

  return api;
}
