import type { Db } from "../db.js";

export const userRepository = {
  findById: (db: Db, id: string) => db.user.findUnique({ where: { id } }),

  /**
   * Creates a user unless one has that name (the reference's admin rule). Names are not unique in general
   * (passengers from Keycloak may share one), so the check is serialised per name with a transaction lock.
   */
  createIfNameFree: (db: Db, name: string) =>
    db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('users.name'), hashtext(${name}))`;
      if (await tx.user.findFirst({ where: { name }, select: { id: true } })) return null;
      return tx.user.create({ data: { name } });
    }),

  count: (db: Db) => db.user.count(),

  list: (db: Db, window: { skip: number; take: number }) =>
    db.user.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...window }),

  /** Deletes the user; tickets and Keycloak links go with it (ON DELETE CASCADE). */
  async delete(db: Db, id: string): Promise<boolean> {
    const { count } = await db.user.deleteMany({ where: { id } });
    return count === 1;
  },
};
