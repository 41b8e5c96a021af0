import { isUniqueViolation } from "@rail/common";
import type { Db } from "../db.js";

export interface LinkedPassenger {
  userId: string;
  name: string;
  email: string | null;
}

export interface NewPassenger {
  subject: string;
  name: string;
  email: string | null;
}

/** Users and their Keycloak links; the only place this feature touches Prisma. */
export class PassengerRepository {
  constructor(private readonly db: Db) {}

  async findLinkedUser(subject: string): Promise<LinkedPassenger | null> {
    const link = await this.db.keycloakUser.findUnique({
      where: { id: subject },
      select: { userId: true, user: { select: { name: true, email: true } } },
    });
    return link ? { userId: link.userId, name: link.user.name, email: link.user.email } : null;
  }

  /** "email_taken" when another user claimed the email in between (unique index). */
  async updateProfile(
    userId: string,
    changes: { name?: string; email?: string },
  ): Promise<"updated" | "email_taken"> {
    try {
      await this.db.user.update({ where: { id: userId }, data: changes, select: { id: true } });
      return "updated";
    } catch (err) {
      if (isUniqueViolation(err)) return "email_taken";
      throw err;
    }
  }

  async isEmailTaken(email: string): Promise<boolean> {
    return (await this.db.user.count({ where: { email } })) > 0;
  }

  /**
   * Creates the user and its link in one transaction; returns the user id. A concurrent first request for the
   * same subject makes the link insert fail on the primary key (or the email on its unique index): the
   * transaction then rolls back, leaving no orphan user, and the answer is "conflict".
   */
  async createLinkedUser(p: NewPassenger): Promise<string | "conflict"> {
    try {
      return await this.db.$transaction(async (tx) => {
        const user = await tx.user.create({ data: { name: p.name, email: p.email }, select: { id: true } });
        await tx.keycloakUser.create({ data: { id: p.subject, userId: user.id } });
        return user.id;
      });
    } catch (err) {
      if (isUniqueViolation(err)) return "conflict";
      throw err;
    }
  }
}
