import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema, pageSchema } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import {
  faceUpdateSchema,
  identificationSchema,
  userCreationSchema,
  userIdParamsSchema,
  userIdQuerySchema,
  userSchema,
  usersQuerySchema,
} from "./users.schemas.js";
import type { UsersService } from "./users.service.js";

/** Passenger administration, the robot's identification and lookups, and the internal lookup for services. */
export function userRoutes(users: UsersService, { admin, robot, service }: Guards): ApiRouter {
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
    handler: ({ body }) => users.create(body.name, body.face),
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
    handler: ({ params, body }) => ok(users.setFace(params.user_id, body.face)),
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
    handler: ({ query }) => ok(users.removeFace(query.user_id)),
  });

  api.route({
    method: "get",
    path: "/admin/users",
    summary: "List passengers (optionally by part of the name)",
    tags: ["admin: users"],
    auth: admin,
    query: usersQuerySchema,
    response: pageSchema(userSchema),
    handler: ({ query }) => users.list(query),
  });

  api.route({
    method: "get",
    path: "/admin/users/:user_id",
    summary: "A passenger by id",
    tags: ["admin: users"],
    auth: admin,
    params: userIdParamsSchema,
    response: userSchema,
    errors: { 404: "User not found" },
    handler: ({ params }) => users.get(params.user_id),
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
    handler: ({ params }) => ok(users.delete(params.user_id)),
  });

  api.route({
    method: "post",
    path: "/robot/identification",
    summary: "Identify a passenger by face",
    description:
      "Reference body `{image}` searches everyone enrolled. With `train_number` + `train_date` (the robot's current " +
      "run) only the passengers holding a ticket on that run are compared (threshold + margin in the face service).",
    tags: ["robot"],
    auth: robot,
    body: identificationSchema,
    response: userSchema,
    errors: { 404: "User not found", 422: "Can`t recognize face", 503: "Face service unavailable" },
    handler: ({ body }) =>
      users.identifyOnRun(
        body.image,
        body.train_number !== undefined && body.train_date !== undefined
          ? { trainNumber: body.train_number, trainDate: body.train_date }
          : undefined,
      ),
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
    handler: ({ params }) => users.get(params.user_id),
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
    handler: ({ params }) => users.get(params.user_id),
  });

  return api;
}
