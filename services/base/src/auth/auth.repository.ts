import type { Db } from "../db.js";

export const authRepository = {
  findRobot: (db: Db, id: string) => db.robot.findUnique({ where: { id } }),

  /**
   * Replaces the robot of that model id in one transaction; returns the new robot and the replaced one's id.
   * Enrolments of one model id are serialised by a transaction lock, so racing enrolments replace each other in turn.
   */
  replaceRobot: (db: Db, data: { robotModelId: string; robotModelName: string; publicKey: string }) =>
    db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('robots.robot_model_id'), hashtext(${data.robotModelId}))`;
      const previous = await tx.robot.findUnique({ where: { robotModelId: data.robotModelId } });
      if (previous) await tx.robot.deleteMany({ where: { id: previous.id } });
      const robot = await tx.robot.create({ data });
      return { robot, replacedId: previous?.id ?? null };
    }),

  countRobots: (db: Db) => db.robot.count(),

  listRobots: (db: Db, window: { skip: number; take: number }) =>
    db.robot.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...window }),

  async deleteRobot(db: Db, id: string): Promise<boolean> {
    const { count } = await db.robot.deleteMany({ where: { id } });
    return count === 1;
  },

  findActiveStore: (db: Db, id: string) => db.activeStore.findUnique({ where: { id } }),

  /** One statement, so concurrent enrolments of one terminal cannot collide on the primary key. */
  async upsertActiveStore(db: Db, id: string, publicKey: string): Promise<void> {
    await db.$executeRaw`
      INSERT INTO active_stores (id, public_key) VALUES (${id}::uuid, ${publicKey})
      ON CONFLICT (id) DO UPDATE SET public_key = EXCLUDED.public_key`;
  },

  async deleteActiveStore(db: Db, id: string): Promise<boolean> {
    const { count } = await db.activeStore.deleteMany({ where: { id } });
    return count === 1;
  },
};
