import { conflict, notFound } from "@rail/common";
import type { Db } from "../db.js";
import { isForeignKeyViolation, isUniqueViolation } from "../shared/db-errors.js";
import { keycloakLinkRepository } from "./keycloak-links.repository.js";

/** Links a Keycloak subject to a passenger (admin A25). */
export async function linkKeycloakUser(db: Db, keycloakId: string, userId: string): Promise<void> {
  try {
    await keycloakLinkRepository.create(db, keycloakId, userId);
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict("Keycloak user already linked");
    if (isForeignKeyViolation(err)) throw notFound("User not found");
    throw err;
  }
}

/** Removes the link of a Keycloak subject (by `k_id`, as the reference did); idempotent. */
export const unlinkKeycloakUser = (db: Db, keycloakId: string) =>
  keycloakLinkRepository.delete(db, keycloakId);
