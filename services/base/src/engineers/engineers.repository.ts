import type { Db } from "../db.js";

export const engineerRepository = {
  findByLogin: (db: Db, login: string) => db.engineer.findUnique({ where: { login } }),

  findById: (db: Db, id: string) => db.engineer.findUnique({ where: { id } }),

  create: (db: Db, data: { login: string; passwordHash: string; privileges: number }) =>
    db.engineer.create({ data }),

  /** Inserts unless the login exists; returns whether a row was created (existing rows are left untouched). */
  async createIfAbsent(
    db: Db,
    data: { login: string; passwordHash: string; privileges: number },
  ): Promise<boolean> {
    const inserted = await db.$executeRaw`
      INSERT INTO engineers (login, password_hash, privileges)
      VALUES (${data.login}, ${data.passwordHash}, ${data.privileges})
      ON CONFLICT (login) DO NOTHING`;
    return inserted === 1;
  },

  count: (db: Db) => db.engineer.count(),

  list: (db: Db, window: { skip: number; take: number }) =>
    db.engineer.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...window }),

  /** Deletes the engineer (its card goes with it: ON DELETE CASCADE). Returns whether it existed. */
  async delete(db: Db, id: string): Promise<boolean> {
    const { count } = await db.engineer.deleteMany({ where: { id } });
    return count === 1;
  },

  async setPrivileges(db: Db, id: string, privileges: number): Promise<boolean> {
    const { count } = await db.engineer.updateMany({ where: { id }, data: { privileges } });
    return count === 1;
  },

  findCardByKey: (db: Db, key: string) =>
    db.authCard.findUnique({ where: { key }, include: { engineer: true } }),

  upsertCard: (db: Db, engineerId: string, key: string) =>
    db.authCard.upsert({ where: { engineerId }, create: { engineerId, key }, update: { key } }),

  deleteCards: (db: Db, engineerId: string) => db.authCard.deleteMany({ where: { engineerId } }),
};
