import { ApiRouter, EMPTY_RESPONSE, emptyResponseSchema } from "@rail/common";
import type { Guards } from "../shared/guards.js";
import { keycloakLinkSchema, keycloakUnlinkSchema } from "./keycloak-links.schemas.js";
import type { KeycloakLinksService } from "./keycloak-links.service.js";

/** Admin links between Keycloak subjects and passengers. */
export function keycloakLinkRoutes(links: KeycloakLinksService, { admin }: Guards): ApiRouter {
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
      await links.link(body.k_id, body.user_id);
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
      await links.unlink(body.k_id);
      return EMPTY_RESPONSE;
    },
  });

  return api;
}
