import type { Db } from "../db.js";

export interface RobotRow {
  id: string;
  robotModelId: string;
  robotModelName: string;
  publicKey: string;
  createdAt: Date;
  lastLoginAt: Date | null;
}

export interface TerminalRow {
  id: string;
  publicKey: string;
  createdAt: Date;
  lastLoginAt: Date | null;
}

/** Enrolled robots and store terminals (their public keys); the only code of this feature that touches Prisma. */
export class AuthRepository {
  constructor(private readonly db: Db) {}

  findRobot(id: string): Promise<RobotRow | null> {
    return this.db.robot.findUnique({ where: { id } });
  }

  /**
   * Replaces the robot of that model id in one transaction; returns the new robot and the replaced one's id.
   * Enrolments of one model id are serialised by a transaction lock, so racing enrolments replace each other in turn.
   */
  replaceRobot(data: {
    robotModelId: string;
    robotModelName: string;
    publicKey: string;
  }): Promise<{ robot: RobotRow; replacedId: string | null }> {
    return this.db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('robots.robot_model_id'), hashtext(${data.robotModelId}))`;
      const previous = await tx.robot.findUnique({ where: { robotModelId: data.robotModelId } });
      if (previous) await tx.robot.deleteMany({ where: { id: previous.id } });
      const robot = await tx.robot.create({ data });
      return { robot, replacedId: previous?.id ?? null };
    });
  }

  countRobots(): Promise<number> {
    return this.db.robot.count();
  }

  listRobots(window: { skip: number; take: number }): Promise<RobotRow[]> {
    return this.db.robot.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...window });
  }

  async deleteRobot(id: string): Promise<boolean> {
    const { count } = await this.db.robot.deleteMany({ where: { id } });
    return count === 1;
  }

  findActiveStore(id: string): Promise<{ id: string; publicKey: string } | null> {
    return this.db.activeStore.findUnique({ where: { id } });
  }

  /** One statement, so concurrent enrolments of one terminal cannot collide on the primary key. */
  async upsertActiveStore(id: string, publicKey: string): Promise<void> {
    await this.db.$executeRaw`
      INSERT INTO active_stores (id, public_key) VALUES (${id}::uuid, ${publicKey})
      ON CONFLICT (id) DO UPDATE SET public_key = EXCLUDED.public_key, created_at = now(), last_login_at = NULL`;
  }

  /** Stamps a successful challenge login (one UPDATE; a client deleted meanwhile simply matches no row). */
  async touchLogin(kind: "robot" | "store", id: string): Promise<void> {
    if (kind === "robot")
      await this.db.robot.updateMany({ where: { id }, data: { lastLoginAt: new Date() } });
    else await this.db.activeStore.updateMany({ where: { id }, data: { lastLoginAt: new Date() } });
  }

  countTerminals(): Promise<number> {
    return this.db.activeStore.count();
  }

  listTerminals(window: { skip: number; take: number }): Promise<TerminalRow[]> {
    return this.db.activeStore.findMany({ orderBy: [{ createdAt: "asc" }, { id: "asc" }], ...window });
  }

  async deleteActiveStore(id: string): Promise<boolean> {
    const { count } = await this.db.activeStore.deleteMany({ where: { id } });
    return count === 1;
  }
}
