import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema, engineerGuard } from "@rail/common";
import type { Deps } from "../app.js";
import { keycloakLinkSchema, keycloakUnlinkSchema } from "./keycloak-links.schemas.js";
import { linkKeycloakUser, unlinkKeycloakUser } from "./keycloak-links.service.js";

export function keycloakLinkRoutes(deps: Deps): ApiRouter {
  const admin = engineerGuard(deps.sessions);
  const api = new ApiRouter();

  api.route({
    method: "post",
    path: "/admin/keycloak_user",
    summary: "Link a Keycloak subject to a passenger",
    tags: ["admin: users"],
    auth: admin,
    body: keycloakLinkSchema,
    response: emptyResponseSchema,
    errors: { 404: "User not found", 409: "Keycloak user already linked" },
    handler: async ({ body }) => {
      await linkKeycloakUser(deps.db, body.k_id, body.user_id);
      return EMPTY_RESPONSE;
    },
  });

  api.route({
    method: "delete",
    path: "/admin/keycloak_user",
    summary: "Unlink a Keycloak subject (JSON body; idempotent)",
    tags: ["admin: users"],
    auth: admin,
    body: keycloakUnlinkSchema,
    response: emptyResponseSchema,
    handler: async ({ body }) => {
      await unlinkKeycloakUser(deps.db, body.k_id);
      return EMPTY_RESPONSE;
    },
  });

  return api;
}
