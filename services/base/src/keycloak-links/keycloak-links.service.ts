import { conflict, notFound } from "@rail/common";
import type { KeycloakLinksRepository } from "./keycloak-links.repository.js";

/** Admin links between Keycloak subjects and passengers (admin A25). */
export class KeycloakLinksService {
  constructor(private readonly links: KeycloakLinksRepository) {}

  async link(keycloakId: string, userId: string): Promise<void> {
    const outcome = await this.links.create(keycloakId, userId);
    if (outcome === "already_linked") throw conflict("Keycloak user already linked");
    if (outcome === "unknown_user") throw notFound("User not found");
  }

  /** Removes the link of a Keycloak subject (by `k_id`, as the reference did); idempotent. */
  unlink(keycloakId: string): Promise<void> {
    return this.links.delete(keycloakId);
  }
}
