import { isForeignKeyViolation, isUniqueViolation } from "@rail/common";
import type { Db } from "../db.js";

/** Links from Keycloak subjects to passengers; the only code of this feature that touches Prisma. */
export class KeycloakLinksRepository {
  constructor(private readonly db: Db) {}

  /** "already_linked" when the subject has a link (primary key), "unknown_user" when the user does not exist. */
  async create(id: string, userId: string): Promise<"created" | "already_linked" | "unknown_user"> {
    try {
      await this.db.keycloakUser.create({ data: { id, userId } });
      return "created";
    } catch (err) {
      if (isUniqueViolation(err)) return "already_linked";
      if (isForeignKeyViolation(err)) return "unknown_user";
      throw err;
    }
  }

  /** Idempotent. */
  async delete(id: string): Promise<void> {
    await this.db.keycloakUser.deleteMany({ where: { id } });
  }
}
