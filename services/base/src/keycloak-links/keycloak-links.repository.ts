import type { Db } from "../db.js";

export const keycloakLinkRepository = {
  create: (db: Db, id: string, userId: string) => db.keycloakUser.create({ data: { id, userId } }),
  async delete(db: Db, id: string): Promise<void> {
    await db.keycloakUser.deleteMany({ where: { id } });
  },
};
