import type { Db } from "../db.js";

export interface UserRow {
  id: string;
  name: string;
}

/** Passengers in Postgres; the only code of this feature that touches Prisma. */
export class UsersRepository {
  constructor(private readonly db: Db) {}

  findById(id: string): Promise<UserRow | null> {
    return this.db.user.findUnique({ where: { id } });
  }

  /**
   * Creates a user unless one has that name (the reference's admin rule); null when the name is taken. Names are
   * not unique in general (passengers from Keycloak may share one), so the check is serialised per name with a
   * transaction lock.
   */
  createIfNameFree(name: string): Promise<UserRow | null> {
    return this.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('users.name'), hashtext(${name}))`;
      if (await tx.user.findFirst({ where: { name }, select: { id: true } })) return null;
      return tx.user.create({ data: { name } });
    });
  }

  count(): Promise<number> {
    return this.db.user.count();
  }

  list(window: { skip: number; take: number }): Promise<UserRow[]> {
    return this.db.user.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...window });
  }

  /** Deletes the user; tickets and Keycloak links go with it (ON DELETE CASCADE). False when absent. */
  async delete(id: string): Promise<boolean> {
    const { count } = await this.db.user.deleteMany({ where: { id } });
    return count === 1;
  }
}
